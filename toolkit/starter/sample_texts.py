"""Invented wording for the sample workbook: names, petitions, answers.

No real person's data: names are drawn from common Vietnamese family, middle
and given names; addresses and phone numbers are made up. Petition templates
use ``{ngo}`` (lane), ``{so}`` (house number), ``{pho}`` (street) and
``{to}`` (group number). Keys of PETITIONS/ANSWERS are Lĩnh vực values of
``schema.LISTS['linh_vuc']`` (checked by tests).
"""

from __future__ import annotations

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
          "Lý", "Phan", "Trịnh", "Đinh", "Đào", "Tạ", "Lương", "Mai", "Kiều", "Chu", "Nghiêm", "Khuất")
MIDDLE_MALE = ("Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Ngọc", "Thế", "Công", "Mạnh", "Đình", "Tiến")
MIDDLE_FEMALE = ("Thị", "Thu", "Thanh", "Ngọc", "Minh", "Hồng", "Kim", "Phương", "Thị Thu", "Thị Minh")
GIVEN_MALE = ("Hùng", "Dũng", "Tuấn", "Hải", "Nam", "Long", "Thắng", "Bình", "Sơn", "Cường", "Hòa",
              "Khánh", "Quân", "Toàn", "Tùng", "Phong", "Hiếu", "Trung", "Lâm", "Thành", "Tú", "Kiên",
              "Hưng", "Lợi", "Chiến", "Khải", "Đạt", "Nghĩa")
GIVEN_FEMALE = ("Lan", "Hương", "Hoa", "Mai", "Hạnh", "Nga", "Thủy", "Hằng", "Dung", "Linh", "Trang",
                "Phương", "Yến", "Loan", "Nhung", "Huyền", "Oanh", "Thảo", "Hà", "Vân", "Liên", "Tâm")

STREETS = ("Tô Hiệu", "Hà Cầu", "Ao Sen", "Lê Hồng Phong", "Văn Phú", "Quang Trung", "Trần Văn Chuông")

# Officials, the same people at both conferences: (Thành phần index in LISTS, Chức vụ, sex).
OFFICIALS = (
    (0, "Đại biểu HĐND quận", "Nam"),
    (0, "Đại biểu HĐND quận", "Nữ"),
    (1, "Bí thư Đảng ủy phường", "Nam"),
    (1, "Phó Bí thư Thường trực Đảng ủy", "Nữ"),
    (2, "Chủ tịch UBND phường", "Nam"),          # = Cấu hình Chủ tịch
    (2, "Phó Chủ tịch UBND phường", "Nam"),
    (2, "Phó Chủ tịch UBND phường", "Nữ"),
    (3, "Chủ tịch Ủy ban MTTQ phường", "Nam"),
    (3, "Chủ tịch Hội Liên hiệp Phụ nữ", "Nữ"),
    (3, "Chủ tịch Hội Cựu chiến binh", "Nam"),
    (3, "Bí thư Đoàn Thanh niên", "Nữ"),
    (4, "Trưởng Công an phường", "Nam"),
    (4, "Chỉ huy trưởng Ban Chỉ huy Quân sự", "Nam"),
    (5, "Công chức Văn phòng - Thống kê", "Nữ"),   # = Cấu hình Thư ký
    (5, "Công chức Địa chính - Xây dựng", "Nam"),
    (5, "Công chức Tư pháp - Hộ tịch", "Nữ"),
    (5, "Công chức Văn hóa - Xã hội", "Nữ"),
    (5, "Kế toán ngân sách", "Nữ"),
)

REP_TITLES = ("", "", "", "Tổ trưởng tổ dân phố", "Bí thư chi bộ", "Trưởng ban công tác Mặt trận",
              "Chi hội trưởng phụ nữ", "Chi hội trưởng cựu chiến binh", "Hưu trí", "Kinh doanh tự do")
# Lĩnh vực -> ((petition, answer), ...): each petition with a fitting answer.
PETITIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "Đất đai": (
        ("Gia đình tôi ở số {so} ngõ {ngo} phố {pho} nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất (sổ đỏ) "
         "từ năm 2022 đến nay chưa được cấp. Đề nghị phường cho biết hồ sơ đang vướng ở đâu.",
         "Hồ sơ đang được Văn phòng đăng ký đất đai thẩm định; phường đã đôn đốc và sẽ thông báo cho gia đình "
         "khi có kết quả."),
        ("Đề nghị phường hướng dẫn thủ tục cấp sổ đỏ cho các hộ ở tổ {to} sử dụng đất ổn định từ trước năm 1993 "
         "nhưng không còn giấy tờ gốc.",
         "Cán bộ địa chính đã hướng dẫn hồ sơ xác nhận nguồn gốc, thời điểm sử dụng đất tại tổ dân phố."),
        ("Phần đất lưu không cuối ngõ {ngo} phố {pho} bị một hộ rào lại sử dụng riêng. Đề nghị phường kiểm tra, "
         "xác định đây là đất công hay đất của hộ gia đình.",
         "Cán bộ địa chính đã kiểm tra hiện trạng, xác định là đất công do phường quản lý, yêu cầu hộ dân tháo "
         "dỡ rào chắn."),
        ("Tranh chấp ranh giới đất giữa hai hộ ở số {so} ngõ {ngo} đã hòa giải ở tổ dân phố không thành. "
         "Đề nghị phường tổ chức hòa giải.",
         "Phường đã tổ chức hòa giải, hai hộ thống nhất mốc giới theo bản đồ địa chính."),
    ),
    "Xây dựng - Trật tự đô thị": (
        ("Nhà số {so} ngõ {ngo} phố {pho} đang xây thêm tầng 5, tầng 6 không có giấy phép, làm nứt tường nhà "
         "bên cạnh. Đề nghị phường kiểm tra, xử lý.",
         "Đã kiểm tra, lập biên bản vi phạm, yêu cầu chủ nhà dừng thi công phần xây dựng không phép."),
        ("Nhiều hộ kinh doanh trên phố {pho} lấn chiếm vỉa hè để bán hàng, để xe, người đi bộ phải đi xuống lòng "
         "đường. Đề nghị phường xử lý thường xuyên, không làm một đợt rồi thôi.",
         "Phường đã ra quân lập lại trật tự vỉa hè, giao tổ dân phố giám sát và báo cáo khi tái diễn."),
        ("Công trình xây dựng ở đầu ngõ {ngo} đổ vật liệu, phế thải ra ngõ, xe chở vật liệu ra vào cả đêm. "
         "Đề nghị kiểm tra giấy phép và nhắc nhở chủ công trình.",
         "Công trình có giấy phép; phường đã yêu cầu chủ công trình thu dọn phế thải, không chở vật liệu sau 22 giờ."),
        ("Các hộ dựng mái che, mái vẩy lấn ra ngõ {ngo} ngày càng nhiều, xe cứu hỏa không vào được. "
         "Đề nghị phường xử lý dứt điểm.",
         "Phường đã vận động, yêu cầu các hộ tự tháo dỡ mái che lấn chiếm; 9/11 hộ đã tháo dỡ."),
    ),
    "Giao thông - Hạ tầng": (
        ("Mặt ngõ {ngo} phố {pho} bị lún, sụt, nhiều ổ gà sâu, trời mưa đọng nước, người già và học sinh đi lại "
         "rất nguy hiểm. Đề nghị phường sớm cải tạo mặt ngõ.",
         "Tuyến ngõ đã được đưa vào danh mục cải tạo năm 2025; trước mắt phường đã vá tạm các ổ gà."),
        ("Đèn chiếu sáng trong ngõ {ngo} hỏng đã hơn hai tháng, buổi tối ngõ tối om, đã xảy ra mất trộm. "
         "Đề nghị sửa chữa, thay bóng đèn.",
         "Đơn vị quản lý chiếu sáng đã sửa chữa, thay bóng, đèn đã sáng trở lại."),
        ("Nắp hố ga trước số {so} phố {pho} bị vỡ, rất nguy hiểm cho người đi xe máy. Đề nghị thay nắp mới.",
         "Xí nghiệp thoát nước đã thay nắp hố ga mới."),
        ("Đề nghị lắp gương cầu lồi và biển hạn chế tốc độ ở chỗ giao ngõ {ngo} với phố {pho} vì khuất tầm nhìn, "
         "thường xuyên va quẹt.",
         "Phường đã lắp gương cầu lồi; biển báo đã đề nghị quận bổ sung."),
    ),
    "Môi trường - Vệ sinh": (
        ("Rác ở điểm tập kết đầu ngõ {ngo} phố {pho} không được thu gom đúng giờ, có hôm để qua đêm, bốc mùi hôi "
         "thối. Đề nghị công ty môi trường thu gom đúng giờ.",
         "Phường đã làm việc với công ty môi trường đô thị, điều chỉnh giờ thu gom và bố trí thêm xe đẩy rác."),
        ("Mỗi khi mưa to, ngõ {ngo} lại ngập sâu do cống thoát nước bị tắc. Đề nghị nạo vét cống, khơi thông "
         "dòng chảy trước mùa mưa.",
         "Đã phối hợp xí nghiệp thoát nước nạo vét tuyến cống, khơi thông dòng chảy."),
        ("Cây xà cừ trước số {so} phố {pho} bị nghiêng, mục gốc, có nguy cơ đổ vào nhà dân và người đi đường. "
         "Đề nghị cắt tỉa hoặc chặt hạ.",
         "Công ty công viên cây xanh đã cắt tỉa, chằng chống cây trước mùa mưa bão."),
        ("Một số hộ nuôi chó thả rông, không dọn vệ sinh, để chó phóng uế ra ngõ {ngo}. Đề nghị phường tuyên "
         "truyền và xử lý.",
         "Phường đã tuyên truyền trên loa, tổ dân phố nhắc nhở từng hộ nuôi chó."),
        ("Xưởng sửa chữa ô tô trong ngõ {ngo} xả dầu thải xuống cống, gây ô nhiễm. Đề nghị kiểm tra.",
         "Đã kiểm tra, lập biên bản, yêu cầu cơ sở thu gom dầu thải đúng quy định."),
    ),
    "Chính sách xã hội": (
        ("Một cụ già neo đơn ở tổ {to} hoàn cảnh rất khó khăn nhưng không có tên trong danh sách hộ cận nghèo "
         "năm 2024. Đề nghị phường rà soát lại.",
         "Phường đã chỉ đạo tổ dân phố rà soát, đưa hộ vào danh sách bình xét đợt cuối năm."),
        ("Đề nghị phường công khai danh sách hộ nghèo, hộ cận nghèo và kết quả bình xét ở các tổ dân phố để "
         "người dân được biết.",
         "Danh sách đã được niêm yết tại nhà văn hóa các tổ dân phố và trụ sở UBND phường."),
        ("Bố tôi là người có công với cách mạng, đã nộp hồ sơ điều chỉnh trợ cấp từ tháng 3 nhưng chưa được "
         "giải quyết. Đề nghị phường đôn đốc.",
         "Hồ sơ đã được trình cấp trên; phường sẽ thông báo cho gia đình khi có quyết định."),
        ("Đề nghị phường hướng dẫn thủ tục hưởng trợ cấp xã hội cho người từ đủ 80 tuổi và người khuyết tật "
         "ở tổ {to}.",
         "Công chức văn hóa - xã hội đã hướng dẫn hồ sơ tại buổi sinh hoạt tổ dân phố."),
    ),
    "Y tế - Bảo hiểm": (
        ("Thẻ bảo hiểm y tế của người cao tuổi ở tổ {to} năm nay cấp chậm, nhiều cụ đi khám phải tự trả tiền. "
         "Đề nghị phường đôn đốc.",
         "Phường đã đôn đốc bảo hiểm xã hội quận; thẻ BHYT đã được cấp và chuyển về tổ dân phố."),
        ("Đề nghị trạm y tế phường phun thuốc diệt muỗi, phòng chống sốt xuất huyết ở ngõ {ngo} vì đã có người "
         "mắc bệnh.",
         "Trạm y tế đã tổ chức phun thuốc diệt muỗi và hướng dẫn người dân phòng bệnh."),
        ("Thẻ BHYT của con tôi in sai ngày sinh, đề nghị hướng dẫn thủ tục cấp lại thẻ.",
         "Đã hướng dẫn gia đình nộp bản sao giấy khai sinh để bảo hiểm xã hội cấp lại thẻ."),
        ("Đề nghị trạm y tế mở thêm buổi tiêm chủng vào sáng thứ Bảy cho các gia đình đi làm giờ hành chính.",
         "Trạm y tế tiếp thu, từ tháng sau tiêm chủng thêm sáng thứ Bảy tuần đầu tháng."),
    ),
    "Giáo dục": (
        ("Con tôi năm nay 3 tuổi nhưng không xin được vào trường mầm non công lập của phường vì hết chỉ tiêu. "
         "Đề nghị phường có giải pháp tăng chỗ học mầm non.",
         "Phường đã kiến nghị quận bổ sung chỉ tiêu và sắp xếp cho cháu vào lớp mẫu giáo bé."),
        ("Đề nghị bố trí người hướng dẫn giao thông trước cổng trường tiểu học giờ tan học vì ùn tắc, nguy "
         "hiểm cho học sinh.",
         "Công an phường đã bố trí lực lượng phân luồng giao thông trước cổng trường giờ tan học."),
        ("Các nhóm trẻ tư thục trong ngõ {ngo} không rõ có giấy phép hay không. Đề nghị phường kiểm tra để "
         "phụ huynh yên tâm.",
         "Phường đã kiểm tra, một nhóm trẻ chưa đủ điều kiện đã được yêu cầu dừng hoạt động."),
    ),
    "Tư pháp - Hộ tịch": (
        ("Chứng thực bản sao giấy tờ ở bộ phận một cửa còn phải chờ lâu, đề nghị bố trí thêm người vào buổi sáng.",
         "Phường đã bố trí thêm một công chức tiếp nhận hồ sơ chứng thực vào buổi sáng."),
        ("Đề nghị hướng dẫn thủ tục đăng ký khai sinh cho cháu sinh ở nước ngoài nay về sống cùng gia đình "
         "tại tổ {to}.",
         "Công chức tư pháp - hộ tịch đã hướng dẫn trực tiếp hồ sơ, thủ tục cho gia đình."),
        ("Đề nghị phường hướng dẫn người cao tuổi cách nộp hồ sơ đăng ký khai sinh, đăng ký kết hôn trực tuyến.",
         "Bộ phận một cửa đã bố trí đoàn viên thanh niên hỗ trợ người dân nộp hồ sơ trực tuyến."),
        ("Tôi muốn chứng thực hợp đồng tặng cho nhà đất cho con, đề nghị hướng dẫn hồ sơ cần chuẩn bị.",
         "Đã hướng dẫn hồ sơ chứng thực hợp đồng tặng cho tại hội nghị."),
    ),
    "Tài chính - Phí, lệ phí": (
        ("Tổ dân phố thu nhiều khoản đóng góp trong năm (quỹ khuyến học, quỹ đền ơn đáp nghĩa, quỹ phòng chống "
         "thiên tai...). Đề nghị phường công khai khoản nào bắt buộc, khoản nào tự nguyện.",
         "Phường đã công khai các khoản thu bắt buộc và tự nguyện trên bảng tin và loa truyền thanh."),
        ("Đề nghị công khai việc sử dụng tiền đóng góp sửa chữa nhà văn hóa tổ dân phố số {to}.",
         "Tổ dân phố đã công khai thu chi tại hội nghị tổ dân phố cuối năm."),
        ("Phí thu gom rác năm nay tăng mà rác vẫn không được thu đúng giờ, đề nghị giải thích mức thu.",
         "Mức thu theo quyết định của thành phố; phường đã yêu cầu đơn vị thu gom bảo đảm đúng giờ."),
    ),
    "Văn hóa - Thông tin": (
        ("Loa truyền thanh ở đầu ngõ {ngo} phát quá to vào sáng sớm, ảnh hưởng người già và trẻ nhỏ. "
         "Đề nghị điều chỉnh âm lượng và giờ phát.",
         "Đài truyền thanh phường đã điều chỉnh âm lượng và hướng loa."),
        ("Loa truyền thanh khu vực tổ {to} hỏng đã lâu, người dân không nghe được thông báo của phường. "
         "Đề nghị sửa chữa.",
         "Đã sửa chữa cụm loa, phát thử bình thường."),
        ("Nhà văn hóa tổ dân phố số {to} xuống cấp, dột nát, không đủ chỗ sinh hoạt. Đề nghị phường hỗ trợ "
         "sửa chữa.",
         "Phường đã đưa nhà văn hóa vào kế hoạch sửa chữa năm 2025."),
        ("Tờ rơi, quảng cáo dán tràn lan trên cột điện, tường nhà ở phố {pho}. Đề nghị phường có biện pháp xử lý.",
         "Đoàn Thanh niên phường đã ra quân bóc xóa quảng cáo; công an phường xử phạt các số điện thoại quảng cáo."),
    ),
    "An ninh trật tự": (
        ("Quán karaoke ở số {so} phố {pho} hát đến 1-2 giờ sáng, gây ồn ào, ảnh hưởng giấc ngủ của các hộ xung "
         "quanh. Đề nghị phường kiểm tra, xử lý.",
         "Công an phường đã kiểm tra, lập biên bản, yêu cầu cơ sở cam kết không hoạt động sau 22 giờ."),
        ("Thời gian gần đây trong ngõ {ngo} liên tục xảy ra mất trộm xe máy, trộm đồ. Đề nghị công an phường "
         "tăng cường tuần tra ban đêm.",
         "Công an phường đã tăng cường tuần tra ban đêm tại khu vực, đề nghị người dân báo tin khi phát hiện "
         "đối tượng khả nghi."),
        ("Có biểu hiện tụ tập sử dụng ma túy ở bãi đất trống cuối ngõ {ngo}, người dân rất lo lắng. "
         "Đề nghị công an phường kiểm tra.",
         "Công an phường đã kiểm tra, đưa địa điểm vào danh sách theo dõi, tuần tra thường xuyên."),
        ("Nhiều nhà vừa ở vừa kinh doanh trong ngõ {ngo} không có bình chữa cháy, ngõ nhỏ xe cứu hỏa không vào "
         "được. Đề nghị kiểm tra an toàn phòng cháy chữa cháy.",
         "Công an phường đã kiểm tra, hướng dẫn các hộ trang bị bình chữa cháy và mở lối thoát nạn thứ hai."),
        ("Thanh thiếu niên tụ tập đua xe, nẹt pô trên phố {pho} vào đêm khuya. Đề nghị xử lý.",
         "Công an phường đã phối hợp cảnh sát giao thông lập chốt, xử lý các trường hợp vi phạm."),
    ),
    "Quân sự - Quốc phòng": (
        ("Đề nghị phường công khai tiêu chuẩn và danh sách gọi công dân nhập ngũ năm 2025 để người dân giám sát.",
         "Ban Chỉ huy Quân sự đã công khai tiêu chuẩn và danh sách tại trụ sở và các tổ dân phố."),
        ("Con tôi đang học đại học, đề nghị hướng dẫn thủ tục tạm hoãn gọi nhập ngũ.",
         "Đã hướng dẫn gia đình nộp giấy xác nhận của nhà trường để xét tạm hoãn."),
        ("Đề nghị phường quan tâm hỗ trợ các gia đình ở tổ {to} có con đang tại ngũ, hoàn cảnh khó khăn.",
         "Phường đã thăm hỏi, tặng quà các gia đình dịp Tết và ngày thành lập Quân đội nhân dân."),
    ),
    "Cán bộ - Thủ tục hành chính": (
        ("Thái độ một số cán bộ ở bộ phận một cửa chưa niềm nở, hướng dẫn không rõ ràng, người dân phải đi lại "
         "nhiều lần. Đề nghị phường chấn chỉnh.",
         "Chủ tịch UBND phường đã tiếp thu, nhắc nhở cán bộ và công khai số đường dây nóng tại bộ phận một cửa."),
        ("Đề nghị phường niêm yết công khai thủ tục, thời gian giải quyết và số điện thoại đường dây nóng tại "
         "trụ sở.",
         "Phường đã niêm yết thủ tục và số điện thoại đường dây nóng tại bộ phận một cửa."),
        ("Hồ sơ xin xác nhận của tôi đã quá hẹn 5 ngày nhưng chưa có kết quả, không ai báo lý do. "
         "Đề nghị phường kiểm tra.",
         "Phường đã kiểm tra, xin lỗi công dân và trả kết quả hồ sơ."),
    ),
    "Quy hoạch - Bồi thường": (
        ("Đất của các hộ ở ngõ {ngo} phố {pho} nằm trong quy hoạch mở đường từ nhiều năm nhưng chưa triển khai, "
         "người dân không được xây dựng, sửa chữa. Đề nghị thành phố công bố rõ kế hoạch thực hiện quy hoạch.",
         ""),
        ("Đề nghị cấp trên xem xét lại đơn giá bồi thường, hỗ trợ giải phóng mặt bằng dự án mở rộng đường vì "
         "thấp hơn giá thị trường.", ""),
        ("Gia đình tôi đã bàn giao mặt bằng cho dự án từ năm 2021 nhưng đến nay chưa nhận đủ tiền hỗ trợ tái định "
         "cư. Đề nghị thành phố giải quyết.", ""),
    ),
    "Khác": (
        ("Đề nghị phường bố trí sân chơi cho trẻ em và dụng cụ tập thể dục cho người cao tuổi tại khu đất trống "
         "của tổ {to}.",
         "Phường tiếp thu, sẽ nghiên cứu bố trí trong năm 2025."),
        ("Đề nghị phường tổ chức hội nghị đối thoại vào buổi tối hoặc ngày nghỉ để người đi làm có thể tham dự.",
         "Phường tiếp thu, sẽ cân nhắc thời gian tổ chức các hội nghị sau."),
        ("Cảm ơn phường đã cải tạo xong ngõ {ngo} năm trước; đề nghị tiếp tục duy trì vệ sinh sau cải tạo.",
         "Phường tiếp thu ý kiến của Nhân dân."),
    ),
}

# Answer for petitions beyond the ward's powers.
FORWARD_ANSWER = "Vượt thẩm quyền của phường; đã chuyển cấp trên xem xét, giải quyết."
