"""Field extractors on small real-shaped inputs: each rule, and the traps next to it."""
from parser.extract import anniversaries, body, legal_bases, movements, phases
from parser.extract.recipients import recipients
from parser.extract.signature import signer
from parser.nlp import analyse
from parser.text.repair import join_split_letters, normalize_text
from parser.read.pagemodel import Word
from tests.textrefs import refs


def test_tone_placement_and_loose_marks_are_normalized():
    assert normalize_text("Hoà bình, thuỷ lợi, Uỷ ban") == "Hòa bình, thủy lợi, Ủy ban"
    assert normalize_text("quý khoẻ") == "quý khỏe"  # "quý": the u belongs to qu
    assert normalize_text("ho \u0323c") == "học"


def test_split_letters_of_a_justified_line_are_joined():
    words = [Word("v", 0, 0, 5, 10, size=12), Word("ật", 6, 0, 15, 10, size=12),
             Word("li", 20, 0, 28, 10, size=12), Word("n", 30, 0, 35, 10, size=12), Word("ổ", 36, 0, 42, 10, size=12)]
    assert [w.text for w in join_split_letters(words)] == ["vật", "li", "nổ"]


def test_legal_bases_take_number_date_type_and_issuer():
    _, (p,) = refs("Căn cứ Kế hoạch số 27/KH-UBND ngày 13/2/2023 của Ủy ban Nhân dân tỉnh về tổ chức thực hiện;")
    (b,) = legal_bases.legal_bases(analyse([p]))
    assert b.value["number"] == "27/KH-UBND"
    assert b.value["date"] == "2023-02-13"
    assert b.value["type"] == "Kế hoạch"
    assert b.value["issuer"] == "Ủy ban Nhân dân tỉnh"


def test_legal_basis_text_is_its_whole_clause():
    _, (p,) = refs("Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15/6/2022; Căn cứ Nghị định số 98/2023/NĐ-CP "
                   "ngày 31/12/2023 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng; "
                   "Căn cứ Kế hoạch số 05/KH-UBND ngày 04/01/2024 của UBND tỉnh, Ban Thường vụ phát động thi đua.")
    texts = [b.value["text"] for b in legal_bases.legal_bases(analyse([p]))]
    assert texts == ["Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15/6/2022",
                     "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31/12/2023 của Chính phủ quy định chi tiết thi hành "
                     "một số điều của Luật Thi đua, khen thưởng",
                     "Căn cứ Kế hoạch số 05/KH-UBND ngày 04/01/2024 của UBND tỉnh"]


def test_legal_bases_do_not_borrow_a_later_date_and_keep_codes():
    _, (p,) = refs("Căn cứ Luật Quản lý ngày 29/6/2024 (được sửa đổi, bổ sung tại Luật số 118/2025/QH15); "
                   "Nghị định số 181/2024/NĐ-CP ngày 31/12/2024 của Chính phủ và QCVN 01:2019/BCT, qua thẩm định")
    found = {b.value["number"]: b.value["date"] for b in legal_bases.legal_bases(analyse([p]))}
    assert found == {"118/2025/QH15": None, "181/2024/NĐ-CP": "2024-12-31", "QCVN 01:2019/BCT": None}


def test_preamble_is_the_opening_clauses_only():
    _, ps = refs("Sở Công Thương nhận được hồ sơ theo Giấy phép số 2010/GP-BTNMT ngày 19/10/2009.",
                 "Căn cứ Nghị định số 181/2024/NĐ-CP ngày 31/12/2024;", "I. MỤC ĐÍCH", "Căn cứ Quyết định số 9/QĐ-X;")
    preamble, _ = body.split_preamble(ps)
    assert [r.text[:20] for r in preamble] == ["Căn cứ Nghị định số "]


def test_movements_themes_and_titles_of_honour_are_told_apart():
    _, ps = refs("Thực hiện chủ đề phong trào thi đua năm 2023 “Đoàn kết, vượt khó”; cụ thể hóa các phong trào "
                 "“Lao động giỏi, Lao động sáng tạo”; “Giỏi việc nước, Đảm việc nhà” giai đoạn 2021-2025; "
                 "“Sáng kiến mới của tỉnh” và cuộc vận động “Dân vận khéo”.",
                 "Xét tặng danh hiệu “Chiến sĩ thi đua cơ sở”, “Lao động tiên tiến”.")
    found, themes = movements.movements_and_themes(analyse(ps))
    names = [m.value["name"] for m in found]
    assert names == ["Lao động giỏi, Lao động sáng tạo", "Giỏi việc nước, Đảm việc nhà", "Sáng kiến mới của tỉnh", "Dân vận khéo"]
    assert found[1].value["period"] == "giai đoạn 2021-2025"
    assert found[3].value["kind"] == "cuộc vận động"
    assert found[0].value["canonical_key"] == "ldg_ldst"
    assert [t.value for t in themes] == ["Đoàn kết, vượt khó"]


def test_phases_with_months_and_years_left_to_the_end_date():
    _, ps = refs("- Giai đoạn 1: Từ tháng 01/2024 đến hết tháng 6/2024, sơ kết vào đầu tháng 7/2024.",
                 "- Đợt 2: Từ ngày 21/11 đến ngày 31/12/2024, thi đua.",
                 "Đợt 3: Từ 13h30’ ngày 02/6/2026 (Thứ Ba).",
                 "tiếp tục thực hiện có hiệu quả giai đoạn 2 Chương trình “1 triệu sáng kiến”")
    got = [(p.value["label"], p.value["start"], p.value["end"]) for p in phases.phases(analyse(ps), 2024)]
    assert got == [("Giai đoạn 1", "2024-01-01", "2024-06-30"), ("Đợt 2", "2024-11-21", "2024-12-31"),
                   ("Đợt 3", "2026-06-02", None)]


def test_anniversaries_split_two_events_and_check_the_count():
    _, ps = refs("chào mừng kỷ niệm 94 năm Ngày thành lập Công đoàn Việt Nam; 78 năm Cách mạng tháng Tám và "
                 "Quốc khánh nước CHXHCN Việt Nam; 50 năm Ngày giải phóng miền Nam, thống nhất đất nước (30/4).")
    found = anniversaries.anniversaries(analyse(ps), 2023)
    got = [(a.value["years"], a.value.get("canonical_key"), a.value.get("consistent")) for a in found]
    assert got == [(94, "thanh_lap_cong_doan", True), (78, "cach_mang_thang_tam", True), (78, "quoc_khanh", True),
                   (50, "giai_phong_mien_nam", False)]
    assert found[0].value["anniversary_date"] == "2023-07-28"
    assert found[3].value["event"] == "Ngày giải phóng miền Nam, thống nhất đất nước"


def test_recipients_join_wrapped_lines_and_set_the_archive_apart():
    _, lines = refs("Nơi nhận:", "- Như trên;", "- UBND tỉnh", "(báo cáo);", "- Lưu: VT, CN.")
    items, archive = recipients(lines)
    assert [i.value for i in items] == ["Như trên", "UBND tỉnh (báo cáo)"]
    assert archive.value == "Lưu: VT, CN"


def test_signer_with_wrapped_authority():
    _, lines = refs("TM. BAN THƯỜNG VỤ", "HUYỆN ĐOÀN", "BÍ THƯ", "(Đã ký)", "Lê Thị Mỹ Hạnh")
    s = signer(lines)
    assert s["authority"].value == "TM. BAN THƯỜNG VỤ HUYỆN ĐOÀN"
    assert s["position"].value == "BÍ THƯ"
    assert s["name"].value == "Lê Thị Mỹ Hạnh"


def test_provenance_maps_a_span_back_to_its_boxes():
    doc, (p,) = refs("Căn cứ Kế hoạch số 27/KH-UBND")
    start = p.text.index("27/KH-UBND")
    prov = doc.provenance(p.start + start, p.start + start + len("27/KH-UBND"))
    assert prov["page"] == 1
    assert prov["bbox"] == (50.0, 0.0, 58.0, 12.0)  # the sixth word
    assert prov["span"] == (start, start + 10)


def test_values_read_with_low_confidence_are_flagged():
    from models.document import PlanDocument, Signer, SourceInfo, TextValue
    from parser.validate import validate

    doc = PlanDocument(source=SourceInfo(file="scan.pdf", sha256="0" * 64, kind="pdf", pages=1, reader="pdfium+ocr"),
                       number=TextValue(value="1105/KH-ĐKT", page=1, confidence=0.42),
                       title=TextValue(value="Kiểm tra", page=1, confidence=0.97),
                       signer=Signer(name=TextValue(value="Nguyễn Văn An", page=1, confidence=0.5)))
    flagged = {w.field for w in validate(doc).warnings if "độ tin cậy thấp" in w.message}
    assert flagged == {"number", "signer.name"}


def test_a_letters_summary_is_known_as_printed_and_as_ocr_reads_it():
    from parser.header_zone import summary_prefix

    for line, rest in [("V/v tham gia ý kiến", " tham gia ý kiến"), ("v/v: góp ý dự thảo", ": góp ý dự thảo"),
                       ("Về việc triển khai", " triển khai"), ("VỀ VIỆC TRIỂN KHAI", " TRIỂN KHAI"),
                       ("Vlv tham gia", " tham gia"), ("V|v chuẩn bị", " chuẩn bị"), ("V/y đề nghị", " đề nghị"),
                       ("VÀ tham gia ý kiến vào Dự thảo", " tham gia ý kiến vào Dự thảo")]:
        m = summary_prefix(line)
        assert m and line[m.end():] == rest, line
    for line in ("VÀ CÁC ĐƠN VỊ TRỰC THUỘC", "và các đơn vị", "Vận động toàn dân", "Việt Nam", "Về đích"):
        assert summary_prefix(line) is None, line
