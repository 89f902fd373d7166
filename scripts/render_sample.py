"""Render the sample plan (Kế hoạch 15-KH/HU) to docs/samples/: the .docx and a PNG of page 1.

    .venv/bin/python scripts/render_sample.py

The PNG (80 dpi, a few dozen KB) is what reviewers look at to judge the layout of
lantoa/lib/party_docx.py against Hướng dẫn 36-HD/VPTW without opening Word.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lantoa.lib.party_docx import (  # noqa: E402 - after the path set-up above
    Appendix,
    Bullet,
    Heading,
    Paragraph,
    PartyDocument,
    Run,
    Signature,
    Table,
    render_docx,
)
from lantoa.lib.pdf import docx_to_pdf, pdf_available  # noqa: E402

OUT = ROOT / "docs" / "samples"


def sample_plan() -> PartyDocument:
    """A district plan as Huyện ủy Châu Thành would issue it."""
    return PartyDocument(
        upper_body="ĐẢNG BỘ TỈNH BẾN TRE",
        issuing_body="HUYỆN ỦY CHÂU THÀNH",
        number_symbol="Số 15-KH/HU",
        place="Châu Thành",
        date=dt.date(2024, 3, 5),
        type_name="KẾ HOẠCH",
        summary=(
            "thực hiện chuyên đề năm 2024 về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
        ),
        body=[
            Paragraph(
                "Thực hiện Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị về tiếp tục thực hiện "
                "Chỉ thị số 05-CT/TW về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách "
                "Hồ Chí Minh và Kế hoạch số 120-KH/TU ngày 20/02/2024 của Ban Thường vụ Tỉnh ủy, "
                "Ban Thường vụ Huyện ủy xây dựng kế hoạch thực hiện chuyên đề năm 2024 như sau:"
            ),
            Heading("I. Mục đích, yêu cầu"),
            Bullet(
                "Tổ chức học tập, quán triệt sâu rộng nội dung chuyên đề năm 2024 đến cán bộ, đảng viên "
                "và Nhân dân; gắn việc học tập với thực hiện nhiệm vụ chính trị của từng địa phương, "
                "cơ quan, đơn vị."
            ),
            Bullet(
                "Mỗi cán bộ, đảng viên xây dựng kế hoạch cá nhân làm theo Bác, đăng ký ít nhất một việc "
                "làm cụ thể và tự kiểm điểm hằng tháng tại chi bộ."
            ),
            Heading("II. Nội dung và hình thức thực hiện"),
            Heading("1. Tổ chức học tập chuyên đề", level=2),
            Paragraph(
                [
                    Run("Các tổ chức cơ sở đảng hoàn thành việc học tập chuyên đề "),
                    Run("trước ngày 30/4/2024", bold=True),
                    Run(
                        "; bảo đảm tỷ lệ đảng viên tham gia đạt từ 95% trở lên. Kết quả năm 2023 "
                        "được tổng hợp tại bảng dưới đây."
                    ),
                ]
            ),
            Table(
                header=["TT", "Nội dung", "Chỉ tiêu", "Thực hiện", "Tỷ lệ"],
                rows=[
                    ["1", "Đảng viên tham gia học tập chuyên đề", "1.600", "1.525", "95,31%"],
                    ["2", "Chi bộ ấp, khu phố trong sạch, vững mạnh toàn diện", "47", "66", "140,43%"],
                    ["3", "Mô hình, điển hình được biểu dương", "40", "47", "117,50%"],
                ],
                widths_cm=[1.2, 7.8, 2.5, 2.5, 2.5],
            ),
            Heading("2. Làm theo và nêu gương", level=2),
            Bullet(
                "Người đứng đầu cấp ủy, cơ quan, đơn vị gương mẫu thực hiện trước; công khai việc "
                "đăng ký làm theo tại chi bộ và nơi cư trú."
            ),
            Bullet(
                "Phát hiện, bồi dưỡng, giới thiệu điển hình tiêu biểu theo quý; biểu dương kịp thời "
                "tập thể, cá nhân có cách làm hay."
            ),
            Heading("III. Tổ chức thực hiện"),
            Paragraph(
                "Giao Ban Tuyên giáo Huyện ủy chủ trì, phối hợp các cơ quan liên quan theo dõi, "
                "hướng dẫn, kiểm tra việc thực hiện kế hoạch; định kỳ 6 tháng tổng hợp, báo cáo "
                "Ban Thường vụ Huyện ủy."
            ),
        ],
        signature=Signature(
            form="T/M",
            body_label="BAN THƯỜNG VỤ",
            title="PHÓ BÍ THƯ THƯỜNG TRỰC",
            name="Huỳnh Thanh Tuấn",
        ),
        recipients=[
            "Ban Tuyên giáo Tỉnh ủy,",
            "Các đồng chí Huyện ủy viên,",
            "Các tổ chức cơ sở đảng,",
            "Lưu Văn phòng Huyện ủy.",
        ],
        appendices=[
            Appendix(
                title="Biểu thống kê điển hình được biểu dương năm 2023",
                blocks=[
                    Table(
                        header=["TT", "Cấp biểu dương", "Tập thể", "Cá nhân", "Tổng số"],
                        rows=[
                            ["1", "Tỉnh", "2", "5", "7"],
                            ["2", "Huyện", "6", "18", "24"],
                            ["3", "Cơ sở", "9", "47", "56"],
                            ["", "Tổng cộng", "17", "70", "87"],
                        ],
                        total_row=True,
                    )
                ],
            )
        ],
    )


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    data = render_docx(sample_plan())
    docx_path = OUT / "ke-hoach-mau.docx"
    docx_path.write_bytes(data)
    print(f"wrote {docx_path.relative_to(ROOT)} ({len(data):,} bytes)")
    if not pdf_available():
        print("LibreOffice (soffice) is not installed: no PDF or PNG.")
        return 1
    started = time.perf_counter()
    pdf = docx_to_pdf(data)
    print(f"converted to PDF in {time.perf_counter() - started:.2f} s ({len(pdf):,} bytes, not kept)")
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("pdftoppm (poppler-utils) is not installed: no PNG.")
        return 1
    png = OUT / "ke-hoach-mau-trang-1.png"
    with tempfile.TemporaryDirectory() as work:
        pdf_path = Path(work) / "ke-hoach-mau.pdf"
        pdf_path.write_bytes(pdf)
        stem = Path(work) / "page"
        subprocess.run(  # noqa: S603 - fixed arguments
            [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf_path), str(stem)],
            check=True,
        )
        shutil.copyfile(stem.with_suffix(".png"), png)
    print(f"wrote {png.relative_to(ROOT)} ({png.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
