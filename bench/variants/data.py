"""Pools the spec generator draws from: issuers, places, names, movements, commemorations.

Movements and commemorations are copied from shared/kb (movements.csv, commemorations.csv);
issuers, numbers and people are invented.
"""
from __future__ import annotations

# (parent line, issuer lines, symbol code, gold spellings, place, signer kind)
ISSUERS = [
    ("UBND TỈNH THANH HÓA", ["SỞ GIÁO DỤC VÀ ĐÀO TẠO"], "SGDĐT",
     ["Sở Giáo dục và Đào tạo", "Sở Giáo dục và Đào tạo tỉnh Thanh Hóa"], "Thanh Hóa", "so"),
    ("UBND TỈNH ĐỒNG THÁP", ["SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"], "SNN",
     ["Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Đồng Tháp"], "Đồng Tháp", "so"),
    ("UBND TỈNH BẮC NINH", ["SỞ Y TẾ"], "SYT", ["Sở Y tế", "Sở Y tế tỉnh Bắc Ninh"], "Bắc Ninh", "so"),
    ("UBND THÀNH PHỐ HÀ NỘI", ["SỞ NỘI VỤ"], "SNV", ["Sở Nội vụ", "Sở Nội vụ thành phố Hà Nội"], "Hà Nội", "so"),
    ("UBND TỈNH QUẢNG NINH", ["SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"], "STNMT",
     ["Sở Tài nguyên và Môi trường", "Sở Tài nguyên và Môi trường tỉnh Quảng Ninh"], "Quảng Ninh", "so"),
    ("", ["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI"], "UBND", ["Ủy ban nhân dân tỉnh Lào Cai", "UBND tỉnh Lào Cai"], "Lào Cai", "ubnd"),
    ("", ["ỦY BAN NHÂN DÂN", "HUYỆN KIM SƠN"], "UBND", ["Ủy ban nhân dân huyện Kim Sơn", "UBND huyện Kim Sơn"], "Kim Sơn", "ubnd"),
    ("", ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ VINH"], "UBND", ["Ủy ban nhân dân thành phố Vinh", "UBND thành phố Vinh"], "Vinh", "ubnd"),
    ("UBND HUYỆN THỌ XUÂN", ["PHÒNG NỘI VỤ"], "PNV", ["Phòng Nội vụ", "Phòng Nội vụ huyện Thọ Xuân"], "Thọ Xuân", "phong"),
    ("TỔNG LĐLĐ VIỆT NAM", ["LĐLĐ TỈNH NGHỆ AN"], "LĐLĐ",
     ["LĐLĐ tỉnh Nghệ An", "Liên đoàn Lao động tỉnh Nghệ An"], "Nghệ An", "ldld"),
    ("LĐLĐ TỈNH HẢI DƯƠNG", ["CÔNG ĐOÀN NGÀNH GIÁO DỤC"], "CĐN",
     ["Công đoàn ngành Giáo dục", "Công đoàn ngành Giáo dục tỉnh Hải Dương"], "Hải Dương", "ldld"),
    ("UBND TỈNH PHÚ THỌ", ["BAN THI ĐUA - KHEN THƯỞNG"], "BTĐKT",
     ["Ban Thi đua - Khen thưởng", "Ban Thi đua - Khen thưởng tỉnh Phú Thọ"], "Phú Thọ", "ban"),
    ("BỘ CÔNG THƯƠNG", ["CỤC XUẤT NHẬP KHẨU"], "XNK", ["Cục Xuất nhập khẩu"], "Hà Nội", "cuc"),
    ("UBND TỈNH HÀ TĨNH", ["SỞ LAO ĐỘNG - THƯƠNG BINH", "VÀ XÃ HỘI"], "SLĐTBXH",
     ["Sở Lao động - Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội tỉnh Hà Tĩnh"], "Hà Tĩnh", "so"),
]

# signer kind -> [(authority or None, position)]; the authority names the issuing body
SIGNERS = {
    "so": [("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), (None, "GIÁM ĐỐC")],
    "ubnd": [("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")],
    "phong": [(None, "TRƯỞNG PHÒNG"), ("KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG")],
    "ldld": [("TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"), ("TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH")],
    "ban": [(None, "TRƯỞNG BAN"), ("KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN")],
    "cuc": [(None, "CỤC TRƯỞNG"), ("KT. CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG")],
}

# partners that co-sign joint plans (left columns), never the gold signer
PARTNERS = [
    ("TM. BAN THƯỜNG VỤ LĐLĐ", "CHỦ TỊCH"),
    ("TM. BAN CHẤP HÀNH ĐOÀN", "BÍ THƯ"),
    ("TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH ỦY BAN MTTQ"),
    ("TM. HỘI LIÊN HIỆP PHỤ NỮ", "CHỦ TỊCH"),
]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLES = ["Văn", "Thị", "Đức", "Minh", "Thị Thu", "Quang", "Hữu", "Ngọc", "Thanh", "Xuân"]
GIVENS = ["Hùng", "Lan", "Tuấn", "Hà", "Dũng", "Hương", "Thắng", "Mai", "Sơn", "Yến", "Khải", "Thục", "Phượng", "Long"]

MOVEMENTS = [
    "Lao động giỏi, Lao động sáng tạo",
    "Xanh - Sạch - Đẹp, Bảo đảm an toàn vệ sinh lao động",
    "Giỏi việc nước, đảm việc nhà",
    "Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau",
    "Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh",
    "Dân vận khéo",
    "Toàn dân bảo vệ an ninh Tổ quốc",
    "Cả nước thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời giai đoạn 2023-2030",
    "Cả nước chung tay xóa nhà tạm, nhà dột nát",
    "Cả nước thi đua đổi mới sáng tạo, chuyển đổi số",
    "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
    "Đổi mới, sáng tạo trong dạy và học",
    "Dạy tốt - Học tốt",
    "Xây dựng trường học thân thiện, học sinh tích cực",
    "Đổi mới phong cách, thái độ phục vụ của cán bộ y tế hướng tới sự hài lòng của người bệnh",
    "Xây dựng cơ quan, đơn vị đạt chuẩn văn hóa",
    "Phát huy sáng kiến, cải tiến kỹ thuật",
    "Năng suất, chất lượng, hiệu quả",
]
MOVEMENT_KINDS = ["phong trào thi đua", "phong trào", "cuộc vận động", "phong trào thi đua"]

# (event, day, month, origin year)
COMMEMORATIONS = [
    ("Ngày thành lập Đảng Cộng sản Việt Nam", 3, 2, 1930),
    ("Ngày giải phóng miền Nam, thống nhất đất nước", 30, 4, 1975),
    ("Ngày Quốc tế Lao động", 1, 5, 1886),
    ("Ngày Chiến thắng Điện Biên Phủ", 7, 5, 1954),
    ("Ngày sinh Chủ tịch Hồ Chí Minh", 19, 5, 1890),
    ("Ngày thành lập Công đoàn Việt Nam", 28, 7, 1929),
    ("Ngày thành lập Quân đội nhân dân Việt Nam", 22, 12, 1944),
    ("Ngày thành lập Đoàn Thanh niên Cộng sản Hồ Chí Minh", 26, 3, 1931),
    ("Ngày Quốc tế Phụ nữ", 8, 3, 1910),
    ("Ngày Nhà giáo Việt Nam", 20, 11, 1982),
    ("Ngày Thầy thuốc Việt Nam", 27, 2, 1955),
    ("Ngày Thương binh - Liệt sĩ", 27, 7, 1947),
    ("Ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc", 11, 6, 1948),
    ("Ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam", 20, 10, 1930),
    ("Ngày Giải phóng Thủ đô", 10, 10, 1954),
]

TITLES = [
    "Tổ chức phong trào thi đua năm {y}",
    "Phát động phong trào thi đua yêu nước năm {y}",
    "Tổ chức thực hiện các phong trào thi đua năm {y}",
    "Triển khai phong trào thi đua và công tác khen thưởng năm {y}",
]
LONG_TITLES = [
    "Tổ chức thực hiện các phong trào thi đua yêu nước và công tác thi đua, khen thưởng năm {y} "
    "gắn với thực hiện nhiệm vụ chính trị, phát triển kinh tế - xã hội của địa phương",
    "Triển khai các phong trào thi đua, đợt thi đua cao điểm và công tác khen thưởng năm {y}, "
    "hướng tới kỷ niệm các ngày lễ lớn của đất nước, hoàn thành thắng lợi nhiệm vụ được giao "
    "trong cán bộ, công chức, viên chức và người lao động",
]

PHASE_TAILS = [
    "tập trung hoàn thành các chỉ tiêu, nhiệm vụ trọng tâm",
    "thi đua lập thành tích chào mừng các ngày lễ lớn",
    "sơ kết, đánh giá và biểu dương các điển hình tiên tiến",
    "thi đua hoàn thành thắng lợi nhiệm vụ cả năm",
]

RECIPIENTS = [
    "UBND tỉnh (để b/c)", "Hội đồng TĐKT tỉnh", "Ban Thi đua - Khen thưởng tỉnh",
    "Các phòng, ban, đơn vị trực thuộc", "Lãnh đạo cơ quan", "Các đơn vị sự nghiệp",
    "Cổng thông tin điện tử", "UBND các xã, phường, thị trấn",
]

LONG_RECIPIENTS = [
    "Các phòng chuyên môn, đơn vị sự nghiệp trực thuộc (để thực hiện)",
    "Thường trực Hội đồng Thi đua - Khen thưởng tỉnh (để báo cáo)",
    "Ủy ban Mặt trận Tổ quốc Việt Nam và các đoàn thể chính trị - xã hội cùng cấp (để phối hợp)",
    "Các cơ quan thông tấn, báo chí trên địa bàn tỉnh (để tuyên truyền)",
]
