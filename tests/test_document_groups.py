"""Documents, not files: the seed plan's three renderings are one document; different plans stay apart.

Real parses of real files (the corpus in ../shared, the seed in samples/), on SQLite and PostgreSQL.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from archive import grouping
from tests.test_archive_support import ROOT, db_url, pg_url, store  # noqa: F401  (fixtures)

CORPUS = ROOT.parent / "shared" / "corpus" / "docs"
if not CORPUS.exists():
    CORPUS = Path("/work/shared/corpus/docs")
SEED_RENDERINGS = ("nd-149-kh-ldld-2023.pdf", "nd-149-kh-ldld-2023-rl.pdf", "nd-149-kh-ldld-2023-scan.pdf")
DRAFT_PAIR = ("lc-kh-3024-27-5-2026-ky-rieng-sin-quyen-orig.docx", "lc-kh-3024-27-5-2026-ky-rieng-sin-quyen-docx.pdf")
# unnumbered plans of the same issuer (SỞ CÔNG THƯƠNG) and year, written from one template: never one document
SAME_ISSUER_YEAR = ("lc-kh-2242-23-4-2026-kiem-tra-cap-gcn-28-don-vi-orig.docx",
                    "lc-kh-3957-3-7-2026-kiem-tra-cap-gcn-19-don-vi-orig.docx",
                    "lc-kh-3898-30-6-2026-huan-luyen-nguoi-quan-ly-orig.docx")
_PARSED: dict[str, tuple[str, str]] = {}


def parsed(name: str) -> tuple[str, str]:
    """(sha256, parsed JSON) of a corpus file, parsed once per session (the scan with OCR)."""
    if name not in _PARSED:
        from parser import ParseOptions, parse

        path = CORPUS / name
        assert path.exists(), f"the shared corpus is missing {path}"
        _PARSED[name] = (hashlib.sha256(path.read_bytes()).hexdigest(),
                         parse(str(path), ParseOptions(ocr="auto")).model_dump_json())
    return _PARSED[name]


def keep(store, name: str) -> str:
    doc_id, data = parsed(name)
    media = "application/pdf" if name.endswith(".pdf") else \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    store.add(doc_id, name, media, data, content=(CORPUS / name).read_bytes())
    return doc_id


def ldg_plans(store) -> int:
    found = store.movement_list("Lao động giỏi")
    return max((m["plans"] for m in found["results"]), default=0)


def test_the_seed_plans_three_renderings_are_one_document(store):
    ids = [keep(store, name) for name in SEED_RENDERINGS]
    assert len(set(ids)) == 3
    assert {store.group_of(i) for i in ids} == {ids[0]}
    files = store.files(ids[2])
    assert [f["id"] for f in files] == ids and files[0]["shown"] and not files[1]["shown"]
    assert store.search("149/KH-LĐLĐ")["total"] == 1
    assert store.search(None)["total"] == 1
    assert ldg_plans(store) == 1
    top = store.movement_top()
    assert all(m["plans"] == 1 for y in top["results"] for m in y["movements"])
    # each file can still be opened
    assert all(store.get_file(i) is not None and store.get_json(i) for i in ids)


def test_pick_the_shown_file_and_split_a_wrong_grouping(store):
    ids = [keep(store, name) for name in SEED_RENDERINGS]
    assert store.choose(ids[1], "tester") == ids[1]
    assert {store.group_of(i) for i in ids} == {ids[1]}
    result = store.search("149/KH-LĐLĐ")
    assert result["total"] == 1 and result["results"][0]["id"] == ids[1] and ldg_plans(store) == 1
    assert store.split(ids[2], "tester") is True
    assert store.group_of(ids[2]) == ids[2] and store.search(None)["total"] == 2 and ldg_plans(store) == 2
    assert [f["id"] for f in store.files(ids[0])] == [ids[1], ids[0]]
    assert store.split(ids[2], "tester") is False  # alone now
    actions = [e["action"] for e in store.audit_log(50, 0, None)["results"]]
    assert "document.choose" in actions and "document.split" in actions


def test_the_trash_shows_the_next_file(store):
    ids = [keep(store, name) for name in SEED_RENDERINGS[:2]]
    assert store.delete(ids[0], "tester")
    assert store.group_of(ids[1]) == ids[1] and store.search(None)["total"] == 1
    assert store.search(None)["results"][0]["id"] == ids[1]
    assert store.restore(ids[0], "tester")
    assert store.search(None)["total"] == 1 and ldg_plans(store) == 1


def test_an_unnumbered_draft_and_its_pdf_group_by_text(store):
    a, b = (keep(store, name) for name in DRAFT_PAIR)
    assert store.group_of(b) == a and store.search(None)["total"] == 1


def test_different_plans_of_one_issuer_and_year_stay_apart(store):
    ids = [keep(store, name) for name in SAME_ISSUER_YEAR]
    assert {store.group_of(i) for i in ids} == set(ids) and store.search(None)["total"] == 3


def test_the_signature_is_a_fair_estimate():
    _, one = parsed(DRAFT_PAIR[0])
    _, other = parsed(SAME_ISSUER_YEAR[1])
    text = json.loads(one)["text"]
    assert grouping.similar(grouping.signature(text), grouping.signature(text)) == 1.0
    s = grouping.similar(grouping.signature(text), grouping.signature(json.loads(other)["text"]))
    assert 0.2 < s < grouping.TEXT_THRESHOLD
    assert grouping.signature("ngắn quá") is None
    assert grouping.identity("149/KH-LĐLĐ", "LĐLĐ TỈNH NAM ĐỊNH", "2023-03-06") == "149/khldld|ldld tinh nam dinh|2023-03-06"
    assert grouping.identity(None, "LĐLĐ", "2023-03-06") is None


@pytest.fixture(autouse=True)
def _corpus():
    assert CORPUS.exists(), f"the shared corpus is missing: {CORPUS}"
