"""Movement identity on real spellings: what must merge, and (worse when wrong) what must stay apart."""
from __future__ import annotations

import itertools

import pytest

from parser.data import movements
from parser.extract.movement_identity import kb_index, kb_match, normalize_name, same_movement

# entries of the kb's variants column that are notes, not spellings of the movement
NOT_SPELLINGS = {
    "… giai đoạn 2016 - 2020", "… giai đoạn 2021 -2025 (QĐ 587/QĐ-TTg 18/5/2022)", 'khẩu hiệu thi đua "Tăng tốc, bứt phá …"',
    "Ba sẵn sàng, Năm xung phong, Hũ gạo cứu đói (historic movements listed alongside)",
    "các phong trào Ba sẵn sàng, Năm xung phong, Hũ gạo cứu đói",
}


def same(a: str, b: str) -> bool:
    return same_movement(normalize_name(a), normalize_name(b))


def kb_rows():
    return [r for r in movements()]


@pytest.mark.parametrize("row", kb_rows(), ids=lambda r: r["key"])
def test_every_kb_spelling_is_its_movement(row):
    for variant in [row["official_name_vi"]] + row["variants"].split("|"):
        if variant.startswith("[") or variant in NOT_SPELLINGS:
            continue
        assert kb_match(normalize_name(variant)) == row["key"], variant


def test_no_two_kb_movements_are_taken_for_one():
    index = kb_index()
    wrong = [(ka, a.key, kb, b.key) for (a, ka), (b, kb) in itertools.combinations(index, 2)
             if ka != kb and same_movement(a, b)]
    assert wrong == []


# the same movement written differently (kb variants and the corpus plans)
SAME = [
    ("Xanh - Sạch - Đẹp, Bảo đảm an toàn vệ sinh lao động", "Xanh, Sạch, Đẹp, Bảo đảm an toàn vệ sinh lao động"),
    ("Xanh - Sạch - Đẹp, Bảo đảm an toàn vệ sinh lao động", "Xanh - sạch - đẹp, bảo đảm AT-VSLĐ"),
    ("Xanh - Sạch - Đẹp, đảm bảo an toàn vệ sinh lao động", "Xanh - sạch - đẹp, bảo đảm ATVSLĐ"),
    ("Lao động giỏi, Lao động sáng tạo", "PHONG TRÀO THI ĐUA “LAO ĐỘNG GIỎI, LAO ĐỘNG SÁNG TẠO”"),
    ("Lao động giỏi, Lao động sáng tạo", "lao động giỏi - lao động sáng tạo"),
    ("Giỏi việc nước, đảm việc nhà", "GIỎI VIỆC NƯỚC – ĐẢM VIỆC NHÀ"),
    ("Toàn dân bảo vệ an ninh Tổ quốc", "phong trào Toàn dân bảo vệ ANTQ"),
    ("Toàn dân đoàn kết xây dựng đời sống văn hóa", "TDĐKXDĐSVH"),
    ("1 triệu sáng kiến nỗ lực vượt khó", "Một triệu sáng kiến nỗ lực vượt khó"),
    ("Đổi mới, sáng tạo trong dạy và học", "Đổi mới, sáng tạo trong dạy, học"),
    ("Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
     "cán bộ, công chức, viên chức thi đua thực hiện văn hoá công sở"),  # old tone placement
    ("Nam Định chung sức xây dựng nông thôn mới nâng cao, kiểu mẫu",
     "Nam Định chung sức xây dựng nông thôn mới nâng cao - kiểu mẫu giai đoạn 2021-2025"),
    ("Đẩy mạnh cải cách hành chính tỉnh Nam Định giai đoạn 2021- 2025",
     "cải cách hành chính tỉnh Nam Định giai đoạn 2016-2020"),  # one movement, two periods
    ("Tháng Công nhân năm 2022", "Tháng công nhân năm 2024"),
    ("Công nhân, viên chức, lao động nỗ lực vượt khó, sáng tạo, quyết tâm chiến thắng đại dịch Covid-19",
     "Công nhân, viên chức, lao đông nỗ lực vượt khó, sáng tạo, quyết tâm chiến thắng đại dịch Covid-19"),  # [sic]
    ("Đổi mới phong cách, thái độ phục vụ của cán bộ y tế hướng tới sự hài lòng của người bệnh",
     "Đổi mới phong cách, thái độ phục vụ của cán bộ y tế hướng tới sự hài lòng của ngừơi bệnh"),
    ("Đổi mới, sáng tạo, hiệu quả trong hoạt động của tổ chức Công đoàn",
     "Đổi mới, sáng tạo, hiệu quả trong hoạt động của tổ chức Công đòan"),
    ("Đẩy mạnh phát triển kết cấu hạ tầng đồng bộ, hiện đại; thực hành tiết kiệm, chống lãng phí",
     "Đẩy mạnh phát triển kết cấu hạ tầng đồng bộ, hiện đại, thực hành tiết kiệm, chống lãng phi"),
]

# different movements, however alike they look
APART = [
    ("Toàn dân đoàn kết xây dựng đời sống văn hóa", "Toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư"),
    ("Ngày vì người nghèo", "Vì người nghèo - không để ai bị bỏ lại phía sau"),
    ("Cả nước chung sức xây dựng nông thôn mới", "Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh"),
    ("Nam Định chung sức xây dựng nông thôn mới nâng cao, kiểu mẫu", "Kim Sơn chung sức xây dựng huyện nông thôn mới nâng cao"),
    ("Nam Định chung sức xây dựng nông thôn mới nâng cao, kiểu mẫu", "Cả nước chung sức xây dựng nông thôn mới"),
    ("Lao động giỏi, Lao động sáng tạo", "Thanh niên lao động sáng tạo"),
    ("Thanh niên tình nguyện", "Thanh niên xung phong tình nguyện"),
    ("Tuổi trẻ sáng tạo", "Thanh niên lao động sáng tạo"),
    ("Tuổi trẻ xung kích bảo vệ Tổ quốc", "Toàn dân bảo vệ an ninh Tổ quốc"),
    ("Năm xung kích", "Năm xung phong"),
    ("Ba sẵn sàng", "Ba xung kích làm chủ tập thể"),
    ("Xanh - Sạch - Đẹp, Bảo đảm an toàn vệ sinh lao động", "Sáng - Xanh - Sạch - Đẹp"),
    ("Cả nước thi đua đổi mới sáng tạo, chuyển đổi số",
     "Đổi mới sáng tạo, phát triển khoa học công nghệ, chuyển đổi số, chuyển đổi xanh"),
    ("1 triệu sáng kiến - nỗ lực vượt khó, sáng tạo, quyết tâm chiến thắng đại dịch Covid-19", "75 nghìn sáng kiến vượt khó, phát triển"),
    ("Cán bộ, công chức, viên chức tỉnh Nam Định thi đua thực hiện văn hóa công sở",
     "Cán bộ, công chức, viên chức tỉnh Hà Nam thi đua thực hiện văn hóa công sở"),
    ("Đẩy mạnh cải cách hành chính tỉnh Nam Định giai đoạn 2021- 2025", "Đẩy mạnh cải cách hành chính tỉnh Ninh Bình"),
    ("Đổi mới, sáng tạo trong dạy và học", "Dạy tốt - Học tốt"),
    ("Xây dựng gia đình 5 không, 3 sạch", "Xây dựng gia đình 3 không, 3 sạch"),
    ("Giỏi việc nước, đảm việc nhà", "Phụ nữ tích cực học tập, lao động sáng tạo, xây dựng gia đình hạnh phúc"),
    ("Mỗi thầy, cô giáo là một tấm gương đạo đức, tự học và sáng tạo", "Hai không"),
    ("Tháng hành động về an toàn, vệ sinh lao động", "Tháng Công nhân"),
    ("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "Xứng danh bộ đội cụ Hồ"),
]


@pytest.mark.parametrize("a,b", SAME)
def test_spellings_of_one_movement_merge(a, b):
    assert same(a, b) and same(b, a)


@pytest.mark.parametrize("a,b", APART)
def test_different_movements_stay_apart(a, b):
    assert not same(a, b) and not same(b, a)


def test_the_kb_tells_apart_what_looks_alike():
    assert kb_match(normalize_name("Toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư")) == "tdk_dsvh_khu_dan_cu"
    assert kb_match(normalize_name("phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”")) == "tdk_dsvh"
    assert kb_match(normalize_name("Kim Sơn chung sức xây dựng huyện nông thôn mới nâng cao")) is None
    assert kb_match(normalize_name("Tuổi trẻ sáng tạo")) is None


def test_parser_and_archive_use_one_matcher():
    from parser.extract.kb import match_movement
    from parser.extract.movement_identity import kb_lookup

    local = "Cán bộ, công chức, viên chức tỉnh Nam Định thi đua thực hiện văn hóa công sở"
    assert kb_lookup(local) == "van_hoa_cong_so"
    assert match_movement(local)["key"] == "van_hoa_cong_so"
    # the place rule is for the knowledge base only: two places' own movements stay apart
    a = normalize_name("Huyện Kim Sơn chung sức xây dựng nông thôn mới")
    b = normalize_name("Huyện Yên Mô chung sức xây dựng nông thôn mới")
    assert not same_movement(a, b)
    for name in ("Lao động giỏi, Lao động sáng tạo", "Toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư",
                 "không có trong danh mục nào cả"):
        row = match_movement(name)
        assert (row["key"] if row else None) == kb_lookup(name)
