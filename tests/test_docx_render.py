"""A .docx page is drawn legibly: every word inside the page, words on a line never running into each other,
text of one line in one size. Real files of the shared corpus."""
from __future__ import annotations

import io
from collections import defaultdict

import pytest
from PIL import Image

from parser.read.docx import read_docx
from service.web.render import docx_layout, render_page_png
from tests.test_document_groups import CORPUS

DOCX = ["lc-kh-3024-27-5-2026-ky-rieng-sin-quyen-orig.docx", "lc-tb-3915-1-7-2026-huan-luyen-nguoi-quan-ly-orig.docx",
        "rd-ld-cv-ubnd-nc-3980-draft-2025.docx"]


@pytest.mark.parametrize("name", DOCX)
def test_docx_words_stay_inside_the_page_and_apart(name):
    path = CORPUS / name
    page = read_docx(str(path)).pages[0]
    width = 1000
    layout = docx_layout(page, width / page.width, width)
    assert len(layout) > 50
    assert all(0 <= x and x + drawn <= width for x, _, _, _, drawn, _ in layout)  # nothing off the right edge
    lines = defaultdict(list)
    for x, _, text, font, drawn, line in layout:
        lines[line].append((x, x + drawn, text, font.size))
    for words in lines.values():
        words.sort()
        for (a0, a1, a, _), (b0, _, b, _) in zip(words, words[1:]):
            assert a1 <= b0 + 0.5, f"{a!r} runs into {b!r}"  # not `UBNDTỈNHLÀOCAI`
    status, png, _ = render_page_png(str(path), "docx", 1)
    assert status == "ok" and Image.open(io.BytesIO(png)).size[0] == width


def test_the_header_line_reads_as_separate_words():
    page = read_docx(str(CORPUS / DOCX[0])).pages[0]
    layout = docx_layout(page, 1000 / page.width, 1000)
    first = min(layout, key=lambda t: (t[1], t[0]))[5]
    words = sorted((x, x + d, t, f.size) for x, _, t, f, d, line in layout if line == first)
    assert [t for _, _, t, _ in words][:4] == ["UBND", "TỈNH", "LÀO", "CAI"]
    assert all(b0 - a1 >= 2 for (_, a1, _, _), (b0, _, _, _) in zip(words, words[1:4]))
    assert len({s for *_, s in words[:4]}) == 1  # one size across the line
