"""The seed plan's fixed texts the default templates carry (tools/maketemplates.py): staff may
edit them in Word in their copies of the templates (mau-van-ban/)."""

# The plan's "Chương trình hội nghị đối thoại" (seed plan, mục II.6).
PROGRAMME = (
    "Tuyên bố lý do, giới thiệu đại biểu, chủ trì và thư ký hội nghị.",
    "Thông qua chương trình đối thoại.",
    "Báo cáo tóm tắt tình hình kinh tế - xã hội, quốc phòng - an ninh trên địa bàn phường.",
    "Nghe Nhân dân phát biểu ý kiến, trình bày tâm tư, nguyện vọng, đề xuất, kiến nghị.",
    "Đại diện Ủy ban Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội phát biểu ý kiến.",
    "Đồng chí chủ trì trao đổi, giải thích, tiếp thu ý kiến góp ý, kiến nghị của Nhân dân và kết luận Hội nghị.",
)


# The plan's "Mục đích" and "Yêu cầu" (seed plan, mục I), as template text staff may edit.
PURPOSE = (
    "Trực tiếp lắng nghe, nắm bắt, thấu hiểu tâm tư, nguyện vọng, sáng kiến, kiến nghị của Nhân dân về xây dựng "
    "chính quyền, trách nhiệm phục vụ Nhân dân của người đứng đầu chính quyền, cán bộ, công chức trong quá trình "
    "thực thi công vụ. Qua đó giải quyết kịp thời, hiệu quả những kiến nghị và những vấn đề bức xúc chính đáng, "
    "hợp pháp của Nhân dân hoặc đề xuất cấp có thẩm quyền.",
    "Kết hợp tuyên truyền, phổ biến chủ trương, chính sách, nghị quyết của Đảng, pháp luật của Nhà nước; nhiệm vụ "
    "chính trị của địa phương; những thuận lợi, khó khăn trong lãnh đạo, chỉ đạo, quản lý, điều hành để Nhân dân "
    "đồng cảm, chia sẻ, góp phần củng cố mối quan hệ gắn bó mật thiết của Đảng, Nhà nước với Nhân dân và phát huy "
    "quyền làm chủ, vai trò giám sát của Nhân dân.",
)
REQUIREMENTS = (
    "Việc tổ chức tiếp xúc, đối thoại bảo đảm thiết thực, hiệu quả; tuân thủ các quy định của Đảng, pháp luật của "
    "Nhà nước, bảo đảm sự lãnh đạo của Đảng, sự quản lý, điều hành của chính quyền và phát huy vai trò của Mặt "
    "trận Tổ quốc, các tổ chức chính trị - xã hội.",
    "Tiếp xúc, đối thoại trực tiếp được tiến hành công khai, minh bạch, dân chủ, khách quan, thẳng thắn, trọng tâm, "
    "trọng điểm với tinh thần xây dựng vì lợi ích chung, thực hiện tốt phương châm “dân biết, dân bàn, dân làm, "
    "dân kiểm tra”. Chương trình, nội dung, thời gian và địa điểm tổ chức tiếp xúc, đối thoại phải được thông báo "
    "rộng rãi trên hệ thống đài truyền thanh để Nhân dân được biết và tham gia.",
)
