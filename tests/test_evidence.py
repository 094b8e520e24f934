"""Evidence beyond the header's own print: e-signature stamps, a copy's stamp, annex reference lines."""
from pathlib import Path

import pytest

from parser.options import ParseOptions
from parser.pipeline import parse

DOCS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "docs"


@pytest.fixture(scope="module")
def parsed():
    cache = {}

    def get(name):
        if name not in cache:
            path = DOCS / name
            assert path.exists(), f"missing corpus file {path} (shared/ must sit beside the repo)"
            cache[name] = parse(path, ParseOptions(ocr="auto"))
        return cache[name]

    return get


def test_a_copy_stamp_dates_the_copy_and_supports_a_handwritten_day(parsed):
    # an e-copy (SAO Y) of a scan whose day is handwritten: the copy's stamp gives the date, marked as such
    doc = parsed("rd-bca-cv-4409-c04-2025.pdf")
    assert doc.copy_of is not None and doc.copy_of.kind == "SAO Y"
    assert doc.copy_of.issuer == "Bộ Công an" and doc.copy_of.date == "2025-10-01"
    assert doc.issued_date is not None and doc.issued_date.value == "2025-10-01"
    assert doc.issued_date.evidence == "copy stamp" and doc.issued_date.confidence < 0.95
    assert any("chữ ký số" in w.message for w in doc.warnings)
    # the stamp's words are not the header's
    assert "Thời gian ký" not in (doc.issuer.value if doc.issuer else "")


def test_an_annex_reference_line_gives_a_handwritten_number_and_day(parsed):
    doc = parsed("rd-bca-cv-5689-c04-2025.pdf")
    assert doc.number is not None and doc.number.value == "5689/BCA-C04"
    assert doc.number.evidence == "annex reference" and doc.number.confidence < 0.95
    assert doc.number.page == 3  # the line on the annex page, not the header
    assert doc.issued_date.value == "2025-12-16" and doc.issued_date.evidence == "annex reference"
    assert doc.model_dump()["copy"] is None  # not a copy


def test_a_signing_systems_stamp_is_read_and_taken_out_of_the_page(parsed):
    doc = parsed("lc-cv-2265-bct-atmt-trien-khai.pdf")
    text = doc.text
    assert "Thời gian ký" not in text and "Ký bởi" not in text
