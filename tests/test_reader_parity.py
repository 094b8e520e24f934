"""The fast reader (pypdfium2) against the reference (pdfplumber): same pages, same words, same places.

On the files below the two readers agree exactly (every word, tops identical, x0 within 0.5 pt), so
the thresholds leave room for a different producer's metrics only; a reader that drops tone marks,
swaps coordinates or loses a line fails.
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

import pytest

from parser.read.pagemodel import Page, SourceDocument
from parser.read.pdf import read_pdf

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "docs"
SEED = ROOT / "samples" / "nd-149-kh-ldld-2023.pdf"  # LibreOffice export
SIGNED = ROOT / "samples" / "lc-cv-4378-tra-ho-so-mong-son-2026.pdf"  # e-signed: number and day stamped in widgets
FILES = [
    SEED,
    ROOT / "samples" / "nd-149-kh-ldld-2023-rl.pdf",  # reportlab
    ROOT / "samples" / "cp-ubnd-kimson-2024.pdf",
    SIGNED,
    CORPUS / "lc-cv-ubnd-tinh-chi-dao-quan-ly-giam-sat-vlncn.pdf",
    CORPUS / "lc-qd-1696-qd-ubnd-uy-quyen-15-5-2026.pdf",  # a landscape page
]
MIN_WORD_OVERLAP = 0.97
MAX_MEDIAN_SHIFT = 1.0  # pt; measured: <= 0.16
LINE_TOLERANCE = 2.0  # pt between the tops of one line in the two readers; measured: 0


@lru_cache(maxsize=None)
def read(path: Path, reader: str, max_pages: int | None = None) -> SourceDocument:
    return read_pdf(str(path), reader=reader, max_pages=max_pages)


def word_overlap(a: Counter, b: Counter) -> float:
    return sum((a & b).values()) / max(sum(a.values()), sum(b.values()), 1)


def shifts(fast: Page, ref: Page) -> tuple[list[float], list[float]]:
    """|x0| and |top| differences of each fast word to the nearest reference word with its text."""
    where = defaultdict(list)
    for w in ref.words:
        where[w.text].append(w)
    dx, dy = [], []
    for w in fast.words:
        if where[w.text]:
            twin = min(where[w.text], key=lambda r: abs(r.x0 - w.x0) + abs(r.top - w.top))
            dx.append(abs(twin.x0 - w.x0))
            dy.append(abs(twin.top - w.top))
    return dx, dy


def lines(page: Page) -> list[tuple[float, str]]:
    """(top, text without spaces) of each visual line."""
    out: list[list] = []
    for w in sorted(page.words, key=lambda w: w.top):
        if out and w.top - out[-1][0] <= LINE_TOLERANCE:
            out[-1][1].append(w)
        else:
            out.append([w.top, [w]])
    return [(top, "".join(w.text for w in sorted(ws, key=lambda w: w.x0))) for top, ws in out]


def missing_lines(fast: Page, ref: Page) -> list[str]:
    """Reference lines with no line of about the same text at the same height in the fast reader."""
    found = lines(fast)
    return [text for top, text in lines(ref)
            if not any(abs(y - top) <= LINE_TOLERANCE and SequenceMatcher(None, text, t).ratio() >= 0.9
                       for y, t in found)]


def check_page(fast: Page, ref: Page) -> None:
    overlap = word_overlap(Counter(w.text for w in fast.words), Counter(w.text for w in ref.words))
    assert overlap >= MIN_WORD_OVERLAP, f"page {fast.number}: words agree on {overlap:.1%}"
    dx, dy = shifts(fast, ref)
    assert len(dx) >= MIN_WORD_OVERLAP * len(fast.words), f"page {fast.number}: words without a twin"
    assert statistics.median(dx) < MAX_MEDIAN_SHIFT and statistics.median(dy) < MAX_MEDIAN_SHIFT, \
        f"page {fast.number}: median shift x {statistics.median(dx):.2f}, y {statistics.median(dy):.2f}"
    assert not missing_lines(fast, ref), f"page {fast.number}: lines lost: {missing_lines(fast, ref)[:3]}"


@pytest.fixture(scope="module", params=FILES, ids=lambda p: p.name)
def both(request) -> tuple[SourceDocument, SourceDocument]:
    return read(request.param, "pdfium"), read(request.param, "pdfplumber")


def test_same_pages(both):
    fast, ref = both
    assert len(fast.pages) == len(ref.pages) > 0
    for pf, pr in zip(fast.pages, ref.pages):
        assert (pf.number, pf.width, pf.height) == (pr.number, pytest.approx(pr.width, abs=0.5),
                                                    pytest.approx(pr.height, abs=0.5))


def test_same_words_in_same_places(both):
    for pf, pr in zip(*(doc.pages for doc in both)):
        check_page(pf, pr)


@pytest.mark.parametrize("reader", ["pdfium", "pdfplumber"])
def test_seed_header_reads_as_two_columns(reader):
    page = read(SEED, reader).pages[0]
    assert {"Thực", "Tự", "do", "KẾ", "HOẠCH", "LĐLĐ", "CỘNG", "HOÀ"} <= {w.text for w in page.words}
    # "TỔNG LĐLĐ VIỆT NAM" (the issuer) and "CỘNG HOÀ ..." share the first line, a column gap between them
    cong = next(w for w in page.words if w.text == "CỘNG")
    left = sorted((w for w in page.words if abs(w.top - cong.top) < 3 and w.x1 <= cong.x0), key=lambda w: w.x0)
    assert [w.text for w in left] == ["TỔNG", "LĐLĐ", "VIỆT", "NAM"]
    assert cong.x0 - left[-1].x1 > 2 * cong.size
    assert cong.x0 > page.width / 3


@pytest.mark.parametrize("reader", ["pdfium", "pdfplumber"])
def test_stamped_number_comes_from_the_signature_widget(reader):
    page = read(SIGNED, reader).pages[0]
    number_line = next(w for w in page.words if w.text.startswith("Số"))
    on_line = sorted((w for w in page.words if abs(w.top - number_line.top) < 2 and w.x0 < page.width / 2),
                     key=lambda w: w.x0)
    assert "4378" in " ".join(w.text for w in on_line)


def test_text_after_a_non_bmp_character():
    """A math italic 𝑄 is two UTF-16 units to pdfium: the characters after it must keep their own text."""
    path = CORPUS / "lc-panm-cua-dn-duy-hieu-mo-da-xuan-hoa.pdf"
    check_page(read(path, "pdfium", 16).pages[15], read(path, "pdfplumber", 16).pages[15])


@pytest.mark.parametrize("text, remap, want", [
    # a glyph mapped to U+0000 is no character (pdfium's one-call text writes it as U+FFFE, its line-end hyphen)
    (b"abZcd efZ gh", {"Z": "0000"}, ["ab", "cd", "ef", "gh"]),
    # what pdfium reports for a hyphen at a line end, either way, is a hyphen
    (b"aXb cYd", {"X": "0002", "Y": "FFFE"}, ["a-b", "c-d"]),
    # a character beyond the BMP (two UTF-16 units, two pdfium characters) is one letter of its own
    (b"AB Q CD Q", {"Q": "D835DC44"}, ["AB", "𝑄", "CD", "𝑄"]),
])
def test_characters_pdfium_reports_in_odd_ways(tmp_path, text, remap, want):
    from tests.tiny_pdf import one_page, to_unicode

    path = tmp_path / "odd.pdf"
    path.write_bytes(one_page(text, to_unicode(remap)))
    assert [w.text for w in read_pdf(str(path)).pages[0].words] == want
