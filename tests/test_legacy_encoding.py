"""Legacy Vietnamese encodings (TCVN3/ABC, VNI) in PDF text layers.

Unit round trips for the 134 letters, detection on real-looking strings, and end to end: the seed plan
rendered with its text in TCVN3 or VNI code points (DejaVu Serif drawing them, the font named like the
legacy font or neutrally) must parse to the same fields as its Unicode twin rendered the same way.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from parser import ParseOptions, parse
from parser.read.pdf import read_pdf
from parser.read.words import Glyph
from parser.text.legacy import (ENCODINGS, TCVN3_TO_UNICODE, VIETNAMESE_LETTERS, VNI_TO_UNICODE,
                                decode_legacy_glyphs, detect_legacy, font_encoding, from_unicode,
                                tcvn3_needs_upper_font, to_unicode)

SPEC = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "nd-149-kh-ldld-2023.spec.json"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
FACES = {"": "DejaVuSerif.ttf", "-B": "DejaVuSerif-Bold.ttf", "-I": "DejaVuSerif-Italic.ttf",
         "-BI": "DejaVuSerif-BoldItalic.ttf"}


# --- letters ---------------------------------------------------------------------------------------------------
def test_the_134_letters():
    assert len(VIETNAMESE_LETTERS) == len(set(VIETNAMESE_LETTERS)) == 134
    assert sum(c.islower() for c in VIETNAMESE_LETTERS) == 67
    # every legacy code point is Latin-1 and decodes to a Vietnamese letter
    assert all(ord(c) < 0x100 for k in list(TCVN3_TO_UNICODE) + list(VNI_TO_UNICODE) for c in k)
    assert set(TCVN3_TO_UNICODE.values()) | set(VNI_TO_UNICODE.values()) <= set(VIETNAMESE_LETTERS)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_letter_round_trips(encoding):
    for letter in VIETNAMESE_LETTERS:
        code = from_unicode(letter, encoding)
        assert all(ord(c) < 0x100 for c in code), (letter, code)
        # TCVN3 draws toned capitals with an upper-case font (.VnTimeH) at the lower-case code points
        font = ".VnTimeH" if encoding == "tcvn3" and tcvn3_needs_upper_font(letter) else ".VnTime"
        if encoding == "vni":
            font = "VNI-Times"
        assert to_unicode(code, encoding, font) == letter, (encoding, letter, code)
        # inside words too, next to ASCII letters
        word = "ng" + letter + "n"
        expected = word.upper() if font == ".VnTimeH" else word
        assert to_unicode(from_unicode(word, encoding), encoding, font) == expected


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_sentence_round_trip(encoding):
    text = "Tổ chức thực hiện các phong trào thi đua yêu nước năm 2023; Ủy ban nhân dân tỉnh Nam Định"
    lower = text.replace("Ủy", "ủy")  # regular TCVN3 fonts have no Ủ
    source = lower if encoding == "tcvn3" else text
    code = from_unicode(source, encoding)
    assert code != source and to_unicode(code, encoding) == source


def test_known_codes():
    assert from_unicode("Kế hoạch tổ chức phong trào thi đua", "tcvn3") == "KÕ ho¹ch tæ chøc phong trµo thi ®ua"
    assert from_unicode("Kế hoạch tổ chức phong trào thi đua", "vni") == "Keá hoaïch toå chöùc phong traøo thi ñua"
    assert from_unicode("LĐLĐ Ăn Ở", "tcvn3") == "L§L§ ¡n ë"
    assert from_unicode("ĐƯỜNG Ơ", "vni") == "ÑÖÔØNG Ô"


def test_upper_case_font_convention():
    assert to_unicode("kÕ ho¹ch", "tcvn3", "ABCDEF+.VnTimeH") == "KẾ HOẠCH"
    assert to_unicode("KÕ HO¹CH", "tcvn3", ".VnArialH,Bold") == "KẾ HOẠCH"
    # the regular font draws what it has: a lower-case ế between capitals
    assert to_unicode("KÕ HO¹CH", "tcvn3", ".VnTime") == "Kế HOạCH"
    # no font name: all-capital words are capitals typed with the lower-case code points
    assert to_unicode("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "tcvn3") == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert to_unicode("KÕ ho¹ch sè 27/KH-UBND cña L§L§ tØnh", "tcvn3") == "Kế hoạch số 27/KH-UBND của LĐLĐ tỉnh"


def test_hyphen_for_u_horn():
    # some producers map 0xAD (ư) to the WinAnsi hyphen
    assert to_unicode("tr-êng h-íng c«ng nh©n", "tcvn3") == "trường hướng công nhân"
    assert to_unicode("sè 27/KH-UBND, Nam-§Þnh, 2023-2025, - Lu", "tcvn3") == "số 27/KH-UBND, Nam-Định, 2023-2025, - Lu"
    assert to_unicode("tr\xadêng", "tcvn3") == "trường"


def test_font_names():
    assert font_encoding(".VnTime") == ("tcvn3", False)
    assert font_encoding("AAAAAA+.VnTimeH") == ("tcvn3", True)
    assert font_encoding(".VnTimeH,BoldItalic") == ("tcvn3", True)
    assert font_encoding(".VnTime-Bold") == ("tcvn3", False)
    assert font_encoding("VnArialH") == ("tcvn3", True)
    assert font_encoding("VNI-Times") == ("vni", False)
    assert font_encoding("BCDEEE+VNI-Helve,Bold") == ("vni", False)
    for name in ("", "TimesNewRomanPSMT", "ABCDEF+DejaVuSerif-Bold", "Arial,Bold", "VNPro", "Vni"):
        assert font_encoding(name) == (None, False), name


# --- detection -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,encoding", [
    ("KÕ ho¹ch tæ chøc phong trµo thi ®ua", "tcvn3"),
    ("Thùc hiÖn sù chØ ®¹o cña §oµn Chñ tÞch Tæng Liªn ®oµn lao ®éng ViÖt Nam", "tcvn3"),
    ("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "tcvn3"),
    ("Keá hoaïch toå chöùc phong traøo thi ñua", "vni"),
    ("Thöïc hieän söï chæ ñaïo cuûa Ñoaøn Chuû tòch Toång Lieân ñoaøn lao ñoäng Vieät Nam", "vni"),
    ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "vni"),
])
def test_detect_by_statistics(text, encoding):
    assert detect_legacy(text) == encoding
    assert detect_legacy(text, "TimesNewRomanPSMT") == encoding


@pytest.mark.parametrize("text", [
    "",
    "The quick brown fox jumps over the lazy dog.",
    "Café au lait, système, Noël, façade, naïve, Zürich, São Paulo, Ångström, Søren, ½ × 3 § 2",
    "Kế hoạch tổ chức phong trào thi đua năm 2023",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM - Độc lập - Tự do - Hạnh phúc",
    "Tân Sơn, Mã số 27, Lò Văn Páo, Bản Ô, Hà Giang",  # Unicode words that are also Latin-1
    "149/KH-LĐLĐ 17/02/2023",
])
def test_detect_negatives(text):
    assert detect_legacy(text) is None


def test_detect_by_font_name():
    assert detect_legacy("KÕ", ".VnTime") == "tcvn3"
    assert detect_legacy("Keá", "VNI-Times") == "vni"
    # a legacy font name carrying Unicode text is Unicode
    assert detect_legacy("Kế hoạch tổ chức", ".VnTime") is None


# --- glyphs ----------------------------------------------------------------------------------------------------
def _glyphs(text: str, font: str, x: float = 10.0, size: float = 10.0) -> list[Glyph]:
    out = []
    for ch in text:
        w = 0.25 * size if ch == " " else 0.5 * size
        out.append(Glyph(ch, x, 100.0, x + w, size, font))
        x += w
    return out


def test_unicode_glyphs_pass_untouched():
    glyphs = _glyphs("Kế hoạch tổ chức phong trào – “thi đua” 2023", "TimesNewRomanPSMT")
    assert decode_legacy_glyphs(glyphs) is glyphs
    glyphs = _glyphs("Café Noël × ½ §2", "Arial")
    assert decode_legacy_glyphs(glyphs) is glyphs


def test_glyphs_tcvn3_per_font():
    glyphs = _glyphs("KÕ ho¹ch ", ".VnTime") + _glyphs("tæ chøc", "ABCDEF+.VnTimeH", x=60) + \
        _glyphs(" Café", "Arial", x=100)
    out = decode_legacy_glyphs(glyphs)
    assert "".join(g.text for g in out) == "Kế hoạch TỔ CHỨC Café"
    assert [g.x0 for g in out] == [g.x0 for g in glyphs]


def test_glyphs_vni_marks_merge():
    glyphs = _glyphs("Keá hoaïch thi ñua", "VNI-Times")
    out = decode_legacy_glyphs(glyphs)
    assert "".join(g.text for g in out) == "Kế hoạch thi đua"
    e = next(g for g in out if g.text == "ế")
    src = [g for g in glyphs if g.text in "eá"][:2]
    assert (e.x0, e.x1) == (src[0].x0, src[1].x1)
    # without a font name, by statistics
    out = decode_legacy_glyphs(_glyphs("Keá hoaïch toå chöùc phong traøo thi ñua", "F1"))
    assert "".join(g.text for g in out) == "Kế hoạch tổ chức phong trào thi đua"


# --- PDFs ------------------------------------------------------------------------------------------------------
def _register(family: str, face_name: str | None, draws: dict[str, str] | None = None) -> None:
    """DejaVu Serif registered as `family` (+ -B, -I, -BI), its PDF name `face_name` (+ ,Bold ...).

    `draws` makes it metrically a legacy font: each code point advances as the letter it stands for
    (`µ` as `à`), a VNI mark (to "") not at all, as the mark is drawn over the letter before it."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    styles = {"": "", "-B": ",Bold", "-I": ",Italic", "-BI": ",BoldItalic"}
    for suffix, file in FACES.items():
        font = TTFont(family + suffix, str(DEJAVU / file))
        if face_name:
            font.face.name = (face_name + styles[suffix]).encode("latin-1")
        widths = font.face.charWidths
        for code, letter in (draws or {}).items():
            widths[ord(code)] = widths.get(ord(letter), font.face.defaultWidth) if letter else 0
        pdfmetrics.registerFont(font)
    addMapping(family, 0, 0, family)
    addMapping(family, 1, 0, family + "-B")
    addMapping(family, 0, 1, family + "-I")
    addMapping(family, 1, 1, family + "-BI")


TCVN3_DRAWS = dict(TCVN3_TO_UNICODE)
# an upper-case font draws capitals at the lower-case positions, ASCII ones too
TCVN3_H_DRAWS = {k: v.upper() for k, v in TCVN3_TO_UNICODE.items()} | {
    c: c.upper() for c in "abcdefghijklmnopqrstuvwxyz"}
VNI_DRAWS = {k: v for k, v in VNI_TO_UNICODE.items() if len(k) == 1} | {
    k[1]: "" for k in VNI_TO_UNICODE if len(k) == 2}


def _tcvn3_markup(text: str, upper_family: str) -> str:
    """TCVN3 as typed: all-capital words and toned capitals in the upper-case font, at lower-case code points."""
    runs: list[list] = []  # [upper?, text]

    def add(upper: bool, s: str) -> None:
        if runs and (runs[-1][0] == upper or not s.strip()):
            runs[-1][1] += s
        else:
            runs.append([upper, s])

    for word in re.split(r"(\s+)", text):
        letters = [c for c in word if c.isalpha()]
        if not word.strip():
            add(runs[-1][0] if runs else False, word)
        elif letters and all(c.isupper() for c in letters) and (
                len(letters) > 1 or any(map(tcvn3_needs_upper_font, word))):
            add(True, from_unicode(word.lower(), "tcvn3"))
        else:
            for c in word:
                add(tcvn3_needs_upper_font(c), from_unicode(c.lower() if tcvn3_needs_upper_font(c) else c, "tcvn3"))
    return "".join(f'<font name="{upper_family}">{escape(s)}</font>' if up else escape(s) for up, s in runs)


def render_seed(spec: dict, out: str, mode: str) -> None:
    """The seed plan the way /work/shared/tools/render_plan.py draws it with reportlab (DejaVu Serif 13),
    its text in `mode`: unicode | tcvn3 | tcvn3-neutral | vni | vni-neutral (neutral: fonts named TT1, TT2)."""
    import reportlab.platypus.paragraph as rl_paragraph
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    family = {"unicode": "LgUni", "tcvn3": "LgVnTime", "tcvn3-neutral": "LgTcvn3Neutral", "vni": "LgVni",
              "vni-neutral": "LgVniNeutral"}[mode]
    _register("LgUni", None)
    _register("LgVnTime", ".VnTime", TCVN3_DRAWS)
    _register("LgVnTimeH", ".VnTimeH", TCVN3_H_DRAWS)
    _register("LgVni", "VNI-Times", VNI_DRAWS)
    # neutral names, as some producers write them
    _register("LgTcvn3Neutral", "TT1", TCVN3_DRAWS)
    _register("LgVniNeutral", "TT2", VNI_DRAWS)
    if mode == "tcvn3":
        e = lambda s: _tcvn3_markup(s, "LgVnTimeH")  # noqa: E731
    elif mode == "unicode":
        e = escape
    else:
        e = lambda s: escape(from_unicode(s, mode.split("-")[0]))  # noqa: E731

    def S(**kw):
        base = dict(fontName=family, fontSize=13, leading=13 * 1.35)
        base.update(kw)
        return ParagraphStyle("s", **base)

    body = S(alignment=TA_JUSTIFY, firstLineIndent=1 * cm, spaceAfter=4)
    center = S(alignment=TA_CENTER)
    hl = "<br/>".join(("<b>%s</b>" % e(x)) if i == len(spec["header_left"]) - 1 else e(x)
                      for i, x in enumerate(spec["header_left"]))
    hr = "<br/>".join(("<b>%s</b>" % e(x)) if i == 0 else "<b><u>%s</u></b>" % e(x)
                      for i, x in enumerate(spec.get("header_right", [])))
    head = Table([[Paragraph(hl, S(alignment=TA_CENTER, fontSize=12, leading=15)),
                   Paragraph(hr, S(alignment=TA_CENTER, fontSize=12, leading=15))],
                  [Paragraph(e(spec.get("number_line") or ""), S(alignment=TA_CENTER, fontSize=12)),
                   Paragraph("<i>%s</i>" % e(spec.get("date_line") or ""), S(alignment=TA_CENTER, fontSize=12))]],
                 colWidths=[6.5 * cm, 9.5 * cm])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [head, Spacer(1, 12), Paragraph("<b>%s</b>" % e(spec["doc_type_line"]), center)]
    story += [Paragraph("<b>%s</b>" % e(line), center) for line in spec["title_lines"]]
    story.append(Spacer(1, 10))
    for p in spec["body"]:
        if p.startswith("# "):
            story.append(Paragraph("<b>%s</b>" % e(p[2:]), body))
        elif p.startswith("_ "):
            story.append(Paragraph("<i>%s</i>" % e(p[2:]), body))
        elif p.startswith("> "):
            story.append(Paragraph(e(p[2:]), S(alignment=TA_JUSTIFY, spaceAfter=4)))
        else:
            story.append(Paragraph(e(p), body))
    rec = ("<b><i>%s</i></b><br/>" % e(spec.get("recipients_heading", "Nơi nhận:")) + "<br/>".join(
        e(x) for x in spec.get("recipients", []))) if spec.get("recipients") else ""
    sig = "<br/>".join(("<i>%s</i>" % e(x)) if x.startswith("(") else "<b>%s</b>" % e(x)
                       for x in spec.get("signature", []))
    foot = Table([[Paragraph(rec, S(alignment=TA_LEFT, fontSize=10.5, leading=13)),
                   Paragraph(sig, S(alignment=TA_CENTER))]], colWidths=[8 * cm, 8 * cm])
    foot.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    if rec or sig:
        story += [Spacer(1, 10), foot]
    # reportlab takes U+00AD for a soft hyphen and drops it; in TCVN3 it is the letter ư, drawn
    shy = rl_paragraph._shy
    rl_paragraph._shy = "\uffff"
    try:
        SimpleDocTemplate(out, pagesize=A4, leftMargin=3 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                          bottomMargin=2 * cm, title="", author="").build(story)
    finally:
        rl_paragraph._shy = shy


def fields(doc) -> dict:
    d = json.loads(doc.model_dump_json())
    value = lambda f: (f or {}).get("value")  # noqa: E731
    return {
        "number": value(d["number"]), "doc_type": value(d["doc_type"]), "issuer": value(d["issuer"]),
        "parent_issuer": value(d["parent_issuer"]), "place": value(d["place"]),
        "issued_date": value(d["issued_date"]), "title": value(d["title"]),
        "legal_bases": [(b["number"], b["type"], b["date"], b["issuer"]) for b in d["legal_bases"]],
        "movements": [(m["name"], m["canonical_key"]) for m in d["movements"]],
        "phases": [(p["label"], p["start"], p["end"], p["anniversaries"]) for p in d["phases"]],
        "anniversaries": [(a["event"], a["years"], a["anniversary_date"]) for a in d["anniversaries"]],
        "signer": {k: value(v) for k, v in (d["signer"] or {}).items()},
        "recipients": [r["text"] for r in d["recipients"]],
        "warnings": sorted((w["field"] or "", w["message"]) for w in d["warnings"]),
    }


def _raw_text(path: str) -> str:
    """Page 1's text layer as pdfium reads it, before vanban decodes anything."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    # missing inputs fail the tests that need them, in plain words; they never skip them
    if not SPEC.exists():
        pytest.fail(f"{SPEC} is missing: the shared corpus (../shared) must sit beside the repository", pytrace=False)
    missing = [face for face in FACES.values() if not (DEJAVU / face).exists()]
    if missing:
        pytest.fail(f"DejaVu Serif faces missing ({', '.join(missing)}): apt-get install fonts-dejavu-core "
                    f"fonts-dejavu-extra", pytrace=False)
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    folder = tmp_path_factory.mktemp("legacy")
    path = str(folder / "unicode.pdf")
    render_seed(spec, path, "unicode")
    twin = fields(parse(path, ParseOptions(ocr="never")))
    assert twin["number"] == "149/KH-LĐLĐ" and len(twin["movements"]) >= 10 and twin["signer"]["name"]
    return spec, folder, twin


@pytest.mark.parametrize("mode", ["tcvn3", "tcvn3-neutral", "vni", "vni-neutral"])
def test_seed_plan_in_legacy_encoding_parses_like_its_unicode_twin(seed, mode):
    spec, folder, twin = seed
    path = str(folder / f"{mode}.pdf")
    render_seed(spec, path, mode)
    # the text layer really is legacy
    assert {"tcvn3": "ho¹ch", "vni": "hoaïch"}[mode.split("-")[0]] in _raw_text(path)
    got = fields(parse(path, ParseOptions(ocr="never")))
    if mode == "tcvn3-neutral":
        # without the .VnTimeH name a toned capital in a lower-case word (`Ủy`) cannot be told from `ủy`
        fold = lambda v: json.loads(json.dumps(v, ensure_ascii=False).casefold())  # noqa: E731
        got, twin = fold(got), fold(twin)
    assert got == twin


def test_legacy_text_layer_both_readers(seed, tmp_path):
    spec, _, _ = seed
    for mode, sample in (("tcvn3", "KẾ HOẠCH"), ("vni", "Kế hoạch")):
        path = str(tmp_path / f"{mode}.pdf")
        render_seed({**spec, "body": spec["body"][:4], "recipients": [], "signature": []}, path, mode)
        with open(path, "rb") as fh:
            assert sample.encode("utf-16-be") not in fh.read()
        texts = {}
        for reader in ("pdfium", "pdfplumber"):
            words = [w.text for p in read_pdf(path, reader=reader).pages for w in p.words]
            texts[reader] = " ".join(words)
            assert "KẾ HOẠCH" in texts[reader] and "Tổ chức thực hiện các phong trào thi đua" in texts[reader]
            assert "Ủy ban Nhân dân tỉnh" in texts[reader]
            assert not re.search("[µ¹§®ÕæøÖïñ\xad]", texts[reader]), texts[reader][:200]
        assert texts["pdfium"] == texts["pdfplumber"]


def test_docx_runs_in_legacy_fonts_are_read_as_unicode(tmp_path):
    import docx

    from parser.read.docx import read_docx
    from parser.text.legacy import from_unicode

    document = docx.Document()
    document.add_paragraph().add_run(from_unicode("Kế hoạch tổ chức phong trào thi đua", "tcvn3")).font.name = ".VnTime"
    document.add_paragraph().add_run(from_unicode("Lao động giỏi, Lao động sáng tạo", "vni")).font.name = "VNI-Times"
    document.add_paragraph("Nam Định, ngày 17 tháng 2 năm 2023")
    path = tmp_path / "legacy.docx"
    document.save(path)
    words = " ".join(w.text for w in read_docx(str(path)).pages[0].words)
    assert words == "Kế hoạch tổ chức phong trào thi đua Lao động giỏi, Lao động sáng tạo Nam Định, ngày 17 tháng 2 năm 2023"
