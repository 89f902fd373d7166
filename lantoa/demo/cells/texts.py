"""Words for the demo's cell life: stories about Bác told at meetings, thematic topics by quarter,
study material, bulletin topics, what members say in the minutes. Plausible inventions in the
style of real cell minutes; no real link is ever fetched."""

from __future__ import annotations

# (story told as the study item, the lesson the cell draws from it)
STORIES: tuple[tuple[str, str], ...] = (
    ("Bác Hồ với đức tính tiết kiệm", "thực hành tiết kiệm trong sinh hoạt và công tác"),
    ("Chiếc đồng hồ – bài học về đoàn kết", "đoàn kết, mỗi người làm tốt phần việc của mình"),
    ("Bác Hồ và những bài học về đạo đức cách mạng", "rèn luyện đạo đức cách mạng suốt đời"),
    ("Bác Hồ với tinh thần “cần, kiệm, liêm, chính, chí công vô tư”", "giữ gìn phẩm chất người đảng viên"),
    ("Đôi dép cao su của Bác", "sống giản dị, quý trọng của cải của dân"),
    ("Bác Hồ và bài học về giữ chữ tín", "nói đi đôi với làm, giữ lời hứa với dân"),
    ("Bác Hồ với đồng chí cấp dưỡng – không được lãng phí của dân", "chống lãng phí từ việc nhỏ"),
    ("Bác Hồ với thiếu niên, nhi đồng", "quan tâm chăm lo thế hệ trẻ"),
    ("Bác Hồ và tấm lòng yêu thương người nghèo", "tương thân tương ái, giúp đỡ người khó khăn"),
    ("Bác sửa từng câu chữ – bài học về sự cẩn trọng", "cẩn trọng, chu đáo trong công việc"),
    ("Bác Hồ với phong cách làm việc khoa học, đúng giờ", "làm việc có kế hoạch, đúng giờ"),
    ("“Dễ trăm lần không dân cũng chịu” – Bác dạy về công tác dân vận", "gần dân, trọng dân, vì dân"),
    ("Bác Hồ với phụ nữ Việt Nam", "phát huy vai trò của phụ nữ"),
    ("Bác Hồ và bài học về tự phê bình và phê bình", "thẳng thắn tự phê bình và phê bình"),
    ("Bữa cơm đạm bạc của Bác", "sống giản dị, không xa hoa"),
    ("“Vì lợi ích mười năm phải trồng cây” – Bác Hồ với Tết trồng cây", "bảo vệ môi trường, trồng cây xanh"),
    ("Bác Hồ và tinh thần tự học", "tự học, tự rèn luyện nâng cao trình độ"),
    ("Bác nhường áo ấm cho đồng bào", "nhường nhịn, sẻ chia với đồng bào"),
    ("Bác Hồ với đức tính khiêm tốn, giản dị", "khiêm tốn, không phô trương"),
    ("Bác Hồ dạy cán bộ “nói đi đôi với làm”", "nói đi đôi với làm, làm gương trước"),
    ("Bác Hồ với tinh thần đại đoàn kết toàn dân tộc", "xây dựng khối đoàn kết trong ấp, cơ quan"),
    ("“Miền Nam trong trái tim tôi”", "nhớ ơn Bác, xây dựng quê hương Đồng Khởi"),
    ("Bác thăm một hợp tác xã nông nghiệp", "giúp dân phát triển sản xuất"),
    ("Bác Hồ và bài học về chống chủ nghĩa cá nhân", "đặt lợi ích tập thể lên trên lợi ích cá nhân"),
    ("Ngôi nhà sàn của Bác – bài học về lối sống giản dị", "sống giản dị, gần gũi"),
    ("Bác Hồ với việc nêu gương của người đứng đầu", "người đứng đầu phải nêu gương"),
    ("Bác Hồ với tinh thần tự lực, tự cường", "tự lực, tự cường, khát vọng vươn lên"),
    ("Bác Hồ và bài học lắng nghe ý kiến của dân", "lắng nghe, giải quyết kịp thời ý kiến của dân"),
    ("Bác Hồ với thương binh, liệt sĩ", "đền ơn đáp nghĩa"),
    ("Bác Hồ với công tác xây dựng, chỉnh đốn Đảng", "giữ gìn sự trong sạch của Đảng"),
    ("“Thêm bạn, bớt thù” – Bác Hồ và nghệ thuật đoàn kết", "đoàn kết, tranh thủ mọi lực lượng"),
    ("“Học để làm việc, làm người, làm cán bộ”", "học tập suốt đời để phục vụ nhân dân"),
)

# The district's guidance for the quarter's thematic meeting: (year, quarter) → topic.
THEMATIC_TOPICS: dict[tuple[int, int], str] = {
    (2021, 2): "Học tập, quán triệt Kết luận số 01-KL/TW của Bộ Chính trị",
    (2021, 3): "Phòng, chống dịch COVID-19 – trách nhiệm của đảng viên nơi cư trú",
    (2021, 4): "Chuyên đề toàn khóa về ý chí tự lực, tự cường và khát vọng phát triển đất nước",
    (2022, 1): "Kết luận số 21-KL/TW về xây dựng, chỉnh đốn Đảng và hệ thống chính trị",
    (2022, 2): "Chuyên đề năm 2022: nâng cao tinh thần trách nhiệm, năng động, sáng tạo",
    (2022, 3): "Trách nhiệm nêu gương của cán bộ, đảng viên (Quy định số 08-QĐi/TW)",
    (2022, 4): "Nâng cao chất lượng sinh hoạt chi bộ",
    (2023, 1): "Bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác quan điểm sai trái",
    (2023, 2): "Chuyên đề năm 2023: phát huy sức mạnh đại đoàn kết toàn dân tộc",
    (2023, 3): "Công tác dân vận khéo, xây dựng nông thôn mới nâng cao",
    (2023, 4): "Phát triển đảng viên, nâng cao chất lượng đội ngũ đảng viên",
    (2024, 1): "Phong trào thi đua “Đồng khởi mới” theo Chỉ thị số 01-CT/TU",
    (2024, 2): "Chuyên đề năm 2024: tinh thần tự lực, tự cường, khát vọng vươn lên",
    (2024, 3): "Tư tưởng Hồ Chí Minh về công tác cán bộ",
    (2024, 4): "Chuyển đổi số trong sinh hoạt đảng – Sổ tay đảng viên điện tử",
    (2025, 1): "Sắp xếp tổ chức bộ máy, đơn vị hành chính – ổn định tư tưởng đảng viên",
    (2025, 2): "Chuyên đề năm 2025: đoàn kết, đổi mới, sáng tạo",
    (2025, 4): "Chỉ thị số 50-CT/TW về nâng cao chất lượng sinh hoạt chi bộ",
}

ABSENCE_REASONS: tuple[tuple[str, int], ...] = (
    ("Ốm", 30),
    ("Đi công tác", 22),
    ("Việc gia đình", 22),
    ("Đi khám bệnh", 10),
    ("Con nhỏ bị ốm", 6),
    ("Dự lớp tập huấn", 6),
    ("Đi làm ăn xa", 4),
)
ELSEWHERE_REASONS = (
    "Sinh hoạt tạm thời tại nơi làm việc mới",
    "Đi học tập trung dài hạn, sinh hoạt tạm thời tại trường",
    "Sinh hoạt tạm thời tại nơi cư trú mới",
)

# Month-specific news for the current-affairs item of the two cells with full minutes.
CURRENT_NOTES: dict[tuple[int, int], str] = {
    (2021, 5): "Quán triệt Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị.",
    (2021, 8): "Thông tin tình hình dịch COVID-19 trong tỉnh và các biện pháp giãn cách xã hội.",
    (2021, 11): "Quán triệt Kết luận số 21-KL/TW của Hội nghị Trung ương 4 khóa XIII.",
    (2022, 3): "Triển khai kế hoạch thực hiện chuyên đề năm 2022 của Huyện ủy.",
    (2023, 3): "Triển khai kế hoạch thực hiện chuyên đề năm 2023 của Huyện ủy.",
    (2023, 11): "Quán triệt Quy định số 124-QĐ/TW về kiểm điểm, đánh giá, xếp loại chất lượng.",
    (2024, 1): "Phát động phong trào thi đua “Đồng khởi mới” hai năm 2024 – 2025.",
    (2024, 3): "Hướng dẫn số 140-HD/BTGTW; chuẩn bị sơ kết 3 năm thực hiện Kết luận số 01-KL/TW.",
    (2024, 5): "Kết quả hội nghị sơ kết 3 năm thực hiện Kết luận số 01-KL/TW của Huyện ủy.",
    (2025, 3): "Chủ trương sắp xếp, tinh gọn tổ chức bộ máy của hệ thống chính trị.",
    (2025, 6): "Kết thúc hoạt động cấp huyện từ ngày 01/7/2025; bàn giao hồ sơ, tài liệu.",
    (2025, 11): "Quán triệt Chỉ thị số 50-CT/TW và Hướng dẫn số 42-HD/BTCTW về sinh hoạt chi bộ.",
}

REVIEW_WORK = {
    "chi-bo-hoi-lhpn": (
        "tuyên truyền, vận động hội viên thực hiện tốt chủ trương của Đảng",
        "hỗ trợ phụ nữ khởi nghiệp, phát triển kinh tế hộ gia đình",
        "xây dựng gia đình “5 không, 3 sạch”",
        "duy trì mô hình “Mẹ đỡ đầu” giúp trẻ em có hoàn cảnh khó khăn",
        "hoàn thành chỉ tiêu phát triển hội viên mới",
        "phối hợp tổ chức tín dụng giải ngân vốn vay cho hội viên nghèo",
    ),
    "chi-bo-ap-phuoc-thanh-an-khanh": (
        "vận động nhân dân chăm sóc vườn dừa, cây ăn trái",
        "giữ vững an ninh chính trị, trật tự an toàn xã hội trong ấp",
        "vận động hộ dân đóng góp nâng cấp đường giao thông nông thôn",
        "phòng, chống hạn mặn, trữ nước ngọt mùa khô",
        "thực hiện các tiêu chí nông thôn mới nâng cao",
        "thăm hỏi gia đình chính sách, hộ nghèo trong ấp",
    ),
}
MONTH_EVENTS = {
    2: "tổ chức mừng Đảng, mừng Xuân",
    3: "kỷ niệm Ngày Quốc tế Phụ nữ 8/3",
    5: "kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh 19/5",
    7: "thăm hỏi gia đình thương binh, liệt sĩ nhân ngày 27/7",
    10: "kỷ niệm ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam 20/10",
    12: "kiểm điểm, đánh giá, xếp loại chất lượng cuối năm",
}

OPINIONS_REVIEW = (
    "Thống nhất với báo cáo; đề nghị đánh giá rõ hơn những việc chưa làm được và nguyên nhân.",
    "Trong tháng các đảng viên tham gia sinh hoạt đầy đủ, đóng đảng phí đúng hạn.",
    "Đề nghị chi bộ biểu dương các đồng chí hoàn thành tốt nhiệm vụ được phân công.",
    "Một số hộ còn khó khăn, đề nghị chi bộ phân công đảng viên thăm hỏi, hỗ trợ.",
    "Việc đăng ký làm theo Bác của đảng viên thực hiện tốt, cần duy trì thường xuyên.",
)
OPINIONS_TASKS = (
    "Đề nghị bổ sung nhiệm vụ tuyên truyền phong trào thi đua trong tháng tới.",
    "Thống nhất các nhiệm vụ đề ra; đề nghị phân công cụ thể người phụ trách, thời gian hoàn thành.",
    "Tôi nhận viết bài về gương người tốt việc tốt trong đơn vị cho Bản tin sinh hoạt nội bộ.",
    "Đề nghị tiếp tục sưu tầm video, bài viết về Bác để chia sẻ trong nhóm của chi bộ.",
    "Cần quan tâm giới thiệu quần chúng ưu tú cho Đảng xem xét kết nạp.",
)
OPINIONS_STUDY = (
    "Qua câu chuyện, bản thân tôi sẽ thực hành tiết kiệm, giản dị trong sinh hoạt hằng ngày.",
    "Câu chuyện rất ý nghĩa; tôi đề nghị mỗi tháng một đồng chí kể chuyện về Bác.",
    "Liên hệ bản thân, tôi sẽ đi làm đúng giờ, giải quyết công việc cho dân kịp thời.",
)
CONCLUSIONS = {
    "study": "Chi bộ thống nhất mỗi đảng viên liên hệ bản thân, thực hiện ít nhất một việc làm cụ thể.",
    "current": "Đề nghị các đồng chí đảng viên nghiên cứu kỹ văn bản, tuyên truyền đến gia đình, quần chúng.",
    "review": "Chi bộ thống nhất đánh giá tháng qua hoàn thành tốt nhiệm vụ.",
    "tasks": "Chi bộ thống nhất các nhiệm vụ tháng tới và phân công đảng viên thực hiện.",
    "thematic": "Chi bộ thống nhất các giải pháp thực hiện chuyên đề, giao chi ủy theo dõi, đôn đốc.",
    "fund": "Chi bộ thống nhất giao đồng chí thủ quỹ quản lý, báo cáo công khai hằng tháng.",
}

# Bulletin topics and titles.
ARTICLE_TOPICS = (
    "Kể chuyện về tấm gương đạo đức của Bác",
    "Gương người tốt, việc tốt trong đơn vị",
    "Học tập và làm theo Bác về tinh thần tiết kiệm",
    "Làm theo Bác ở cơ sở – mô hình, cách làm hay",
    "Học tập và làm theo Bác về tinh thần phục vụ nhân dân",
    "Chuyên đề năm – liên hệ thực tiễn ở địa phương",
)
ARTICLE_TITLES = (
    "Người “giữ lửa” phong trào ở {place}",
    "Học Bác từ những việc nhỏ",
    "Heo đất tiết kiệm – nghĩa tình đỡ đầu trẻ mồ côi",
    "Đảng viên đi đầu hiến đất làm đường ở {place}",
    "Gần dân để hiểu dân",
    "Làm theo Bác bằng việc làm cụ thể",
    "Nêu gương từ người đứng đầu",
    "Một ngày với cán bộ ấp",
    "Sẻ chia yêu thương từ chi bộ",
    "Tiết kiệm không phải là keo kiệt",
    "Chuyện nhỏ ở {place}",
    "Ánh sáng đường quê",
)
RETURN_COMMENTS = (
    "Bài đã trả lại để bổ sung số liệu, dẫn chứng cụ thể; tác giả đã chỉnh sửa, đạt yêu cầu.",
    "Đề nghị rút gọn còn khoảng 800 chữ; tác giả đã chỉnh sửa.",
)

# Study material: local exemplars and guidance (articles) and video links.
LOCAL_ARTICLES = (
    ("Mô hình heo đất tiết kiệm đỡ đầu trẻ mồ côi của Chi bộ Hội LHPN huyện", "women"),
    ("Nữ đảng viên tận tụy với công tác Hội ở Châu Thành", "women"),
    ("Phụ nữ Châu Thành học và làm theo Bác", "women"),
    ("Chi hội phụ nữ “5 không, 3 sạch” – cách làm hay từ cơ sở", "women"),
    ("Ấp Phước Thạnh: đảng viên đi đầu hiến đất làm đường", "hamlet"),
    ("Tổ tự quản đường quê sáng – xanh – sạch ở xã An Khánh", "hamlet"),
    ("Người cựu chiến binh làm kinh tế giỏi ở ấp Phước Thạnh", "hamlet"),
    ("Trữ nước ngọt mùa khô – kinh nghiệm của nông dân An Khánh", "hamlet"),
    ("Kết luận 01-KL/TW: những điểm mới cần nắm", "district"),
    ("Hỏi – đáp về chuyên đề toàn khóa", "district"),
    ("Hỏi – đáp về chuyên đề năm 2022", "district"),
    ("Hỏi – đáp về chuyên đề năm 2023", "district"),
    ("Hỏi – đáp về chuyên đề năm 2024", "district"),
    ("Hỏi – đáp về chuyên đề năm 2025", "district"),
    ("Tư tưởng Hồ Chí Minh về đạo đức công vụ", "district"),
    ("Nêu gương – phương thức lãnh đạo quan trọng của Đảng", "district"),
    ("Phong trào thi đua “Đồng khởi mới” – phương châm “Hai chân – Ba mũi”", "district"),
    ("Cách ghi biên bản sinh hoạt chi bộ thường kỳ", "district"),
    ("Gợi ý nội dung sinh hoạt chuyên đề hằng quý", "district"),
    ("Di chúc của Chủ tịch Hồ Chí Minh – những lời căn dặn", "district"),
)
VIDEOS = (
    "Phim tài liệu: Hồ Chí Minh – chân dung một con người (tập 1)",
    "Phim tài liệu: Hồ Chí Minh – chân dung một con người (tập 2)",
    "Phim tài liệu: Hồ Chí Minh – chân dung một con người (tập 3)",
    "Phim tài liệu: Hành trình tìm đường cứu nước",
    "Những câu chuyện về tấm gương đạo đức Hồ Chí Minh (tập 5)",
    "Những câu chuyện về tấm gương đạo đức Hồ Chí Minh (tập 12)",
    "Những câu chuyện về tấm gương đạo đức Hồ Chí Minh (tập 18)",
    "Những câu chuyện về tấm gương đạo đức Hồ Chí Minh (tập 24)",
    "Phóng sự: Học và làm theo Bác ở Châu Thành",
    "Phóng sự: Chi bộ ấp kiểu mẫu ở xã An Khánh",
    "Phóng sự: Phụ nữ Bến Tre làm theo lời Bác",
    "Phóng sự: “Đồng khởi mới” trên quê hương Bến Tre",
    "Bác Hồ với miền Nam – tư liệu quý",
    "Đọc Di chúc của Chủ tịch Hồ Chí Minh",
    "Ca khúc: Như có Bác trong ngày vui đại thắng",
    "Ca khúc: Bác Hồ một tình yêu bao la",
    "Tọa đàm: Làm theo Bác từ những việc nhỏ",
    "Tọa đàm: Nêu gương của cán bộ, đảng viên",
)
