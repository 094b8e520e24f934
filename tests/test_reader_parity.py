"""The fast reader (pypdfium2) against the reference (pdfplumber): same words, same places."""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from parser.read.pdf import read_pdf

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "docs"
FILES = [
    ROOT / "samples" / "nd-149-kh-ldld-2023.pdf",  # LibreOffice export
    ROOT / "samples" / "nd-149-kh-ldld-2023-rl.pdf",  # reportlab
    ROOT / "samples" / "cp-ubnd-kimson-2024.pdf",
    ROOT / "samples" / "lc-cv-4378-tra-ho-so-mong-son-2026.pdf",  # e-signed: number and day stamped in widgets
    CORPUS / "lc-cv-ubnd-tinh-chi-dao-quan-ly-giam-sat-vlncn.pdf",
    CORPUS / "lc-qd-1696-qd-ubnd-uy-quyen-15-5-2026.pdf",
]


def word_overlap(a: Counter, b: Counter) -> float:
    return sum((a & b).values()) / max(sum(a.values()), sum(b.values()), 1)


@pytest.fixture(scope="module", params=FILES, ids=lambda p: p.name)
def both(request):
    path = str(request.param)
    return read_pdf(path, reader="pdfium"), read_pdf(path, reader="pdfplumber")


def test_same_pages(both):
    fast, ref = both
    assert [(p.number, round(p.width), round(p.height)) for p in fast.pages] == \
           [(p.number, round(p.width), round(p.height)) for p in ref.pages]


def test_same_words(both):
    fast, ref = both
    for pf, pr in zip(fast.pages, ref.pages):
        assert word_overlap(Counter(w.text for w in pf.words), Counter(w.text for w in pr.words)) >= 0.97, pf.number


def test_same_places(both):
    fast, ref = both
    for pf, pr in zip(fast.pages, ref.pages):
        where = defaultdict(list)
        for w in pr.words:
            where[w.text].append(w)
        dx, dy = [], []
        for w in pf.words:
            if where[w.text]:
                twin = min(where[w.text], key=lambda r: abs(r.x0 - w.x0) + abs(r.top - w.top))
                dx.append(abs(twin.x0 - w.x0))
                dy.append(abs(twin.top - w.top))
        assert len(dx) >= 0.97 * len(pf.words)
        assert statistics.median(dx) < 1.0 and statistics.median(dy) < 1.0
        assert max(dy) < 6, "a word sits on another line than in the reference"


def test_seed_header_reads_as_two_columns():
    page = read_pdf(str(FILES[0])).pages[0]
    texts = {w.text for w in page.words}
    assert {"Thực", "Tự", "do", "KẾ", "HOẠCH", "LĐLĐ"} <= texts
    # "TỔNG LĐLĐ VIỆT NAM" and "CỘNG HOÀ ..." share the first line, a column gap between them
    cong = next(w for w in page.words if w.text == "CỘNG")
    left = [w for w in page.words if abs(w.top - cong.top) < 3 and w.x1 <= cong.x0]
    assert [w.text for w in left] == ["TỔNG", "LĐLĐ", "VIỆT", "NAM"]
    assert cong.x0 - left[-1].x1 > 2 * cong.size


def test_stamped_number_comes_from_the_signature_widget():
    page = read_pdf(str(FILES[3])).pages[0]
    number_line = [w for w in page.words if w.text.startswith("Số")][0]
    on_line = sorted((w for w in page.words if abs(w.top - number_line.top) < 2 and w.x0 < page.width / 2),
                     key=lambda w: w.x0)
    assert "4378" in " ".join(w.text for w in on_line)
