"""Command line: parses options, calls library functions, prints Vietnamese.

Nothing here decides anything: every command is a function in the library
(``toolkit.passes``, ``toolkit.create``, ``toolkit.watching``...). Library
exceptions (``DoithoaiError``) become one clear message and an exit code;
a traceback is never shown to staff.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from toolkit.errors import DoithoaiError

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _configure_stdout() -> None:
    # Windows consoles may default to a legacy code page: Vietnamese must print.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass


def _fail(err: DoithoaiError, fmt: str = "text") -> None:
    """Say what stopped the work (as JSON when asked) and exit with its code."""
    if fmt == "json":
        _echo_json({"error": err.code, "message": err.message})
    else:
        click.echo(f"Lỗi: {err.message}", err=True)
    sys.exit(err.exit_code)


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="doithoai", message="doithoai %(version)s")
def cli() -> None:
    """doithoai: sổ Excel thông minh cho hội nghị đối thoại của UBND phường.

    Cán bộ vẫn nhập và lưu sổ trong Excel như thường lệ; doithoai kiểm tra
    lỗi, giao bộ phận xử lý kiến nghị, tính hạn theo ngày làm việc, làm các
    sheet tổng hợp, trang theo dõi và văn bản (báo cáo, giấy mời, phiếu
    chuyển, thông báo).

    Bắt đầu nhanh: doithoai init so-doi-thoai.xlsx  rồi  doithoai watch .
    """


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sample", is_flag=True, help="Thêm dữ liệu mẫu (hư cấu) để tập sử dụng.")
@click.option("--force", is_flag=True, help="Ghi đè nếu tệp đã có (cẩn thận: mất dữ liệu cũ).")
def init(file: Path, sample: bool, force: bool) -> None:
    """Tạo sổ Excel mới với đủ các sheet, cột, danh sách chọn và quy tắc mặc định.

    Ví dụ: doithoai init doi-thoai-2025.xlsx
    """
    from toolkit.create import create_workbook

    try:
        path = create_workbook(file, sample=sample, overwrite=force)
    except DoithoaiError as err:
        _fail(err)
    click.echo(f"Đã tạo sổ {path}. Mở bằng Excel để nhập liệu; chạy 'doithoai check {path}' để kiểm tra.")


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: dễ đọc; json: cho chương trình khác.")
def check(file: Path, fmt: str) -> None:
    """Kiểm tra sổ và liệt kê mọi lỗi nhập liệu kèm ô bị lỗi. Không sửa gì trong sổ.

    Mã thoát: 0 không có lỗi, 1 có lỗi cần sửa, 2 không đọc được tệp.
    """
    from toolkit import passes

    try:
        result = passes.check(file)
    except DoithoaiError as err:
        _fail(err, fmt)
    if fmt == "json":
        _echo_json([f.as_dict() for f in result.report.sorted()])
    else:
        click.echo(passes.format_findings(result.report, file))
    sys.exit(EXIT_FINDINGS if result.report.errors else EXIT_OK)


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: một dòng tóm tắt; json: số lỗi, đã ghi vào sổ hay chưa (vì sao), các tệp kết quả.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Thư mục kết quả (mặc định: ket-qua/<tên sổ>/ cạnh sổ).")
@click.option("--pdf", is_flag=True, help="Chuyển thêm các văn bản sang PDF (cần LibreOffice).")
def run(file: Path, fmt: str, out_dir: Path | None, pdf: bool) -> None:
    """Chạy một lượt: kiểm tra, giao bộ phận và hạn xử lý, ghi kết quả vào sổ
    (khi an toàn), làm tổng hợp, trang theo dõi và văn bản.

    Mã thoát: 0 không có lỗi, 1 có lỗi nhập liệu, 2 không đọc được tệp.
    """
    from toolkit import passes

    try:
        result = passes.run(file, out_dir=out_dir, pdf=pdf)
    except DoithoaiError as err:
        _fail(err, fmt)
    if fmt == "json":
        _echo_json(result.as_dict())
    else:
        click.echo(result.line())
    sys.exit(EXIT_FINDINGS if result.report.errors else EXIT_OK)


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--poll", is_flag=True, help="Dò thay đổi định kỳ (dùng cho thư mục dùng chung trên mạng).")
@click.option("--debounce-ms", type=click.IntRange(50, 60_000), default=800, show_default=True,
              help="Chờ bao nhiêu mili giây sau lần lưu cuối rồi mới chạy.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Thư mục kết quả (mặc định: ket-qua/<tên sổ>/ cạnh sổ).")
def watch(paths: tuple[Path, ...], poll: bool, debounce_ms: int, out_dir: Path | None) -> None:
    """Theo dõi thư mục: mỗi lần lưu sổ trong Excel là tự chạy một lượt.

    Không ghi đường dẫn: theo dõi thư mục workbooks/. Dừng bằng Ctrl+C.
    """
    from toolkit import passes, sample

    folders = list(paths) or [Path(sample.WORKING_FOLDER)]
    for folder in folders:
        for copy in sample.seed_working_folder(folder):
            click.echo(f"Thư mục {folder} chưa có sổ nào: đã chép sổ mẫu {sample.SAMPLE_FOLDER}/{copy.name} "
                       f"vào {copy} để tập (sổ mẫu gốc giữ nguyên).")
    try:
        passes.watch_forever(folders, poll=poll, debounce_ms=debounce_ms,
                             out_dir=out_dir)
    except DoithoaiError as err:
        _fail(err)


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kind", required=True,
              type=click.Choice(["ketqua", "giaymoi", "phieuchuyen", "thongbao", "thang"]),
              help="ketqua: báo cáo kết quả hội nghị; giaymoi: giấy mời; phieuchuyen: phiếu chuyển "
                   "kiến nghị cho bộ phận; thongbao: thông báo trên đài truyền thanh; thang: báo cáo tháng.")
@click.option("--session", default=None, help="Mã hội nghị, ví dụ HN-2024-06 (mặc định: hội nghị gần nhất).")
@click.option("--department", default=None, help="Mã bộ phận cho phiếu chuyển, ví dụ DC (mặc định: mọi bộ phận).")
@click.option("--month", default=None, help="Tháng cho báo cáo tháng, dạng YYYY-MM, ví dụ 2024-06.")
@click.option("--pdf", is_flag=True, help="Chuyển thêm sang PDF (cần LibreOffice).")
@click.option("--with-phones", is_flag=True, help="Ghi cả số điện thoại cá nhân (chỉ dùng nội bộ).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Thư mục kết quả (mặc định: ket-qua/<tên sổ>/ cạnh sổ).")
def report(file: Path, kind: str, session: str | None, department: str | None, month: str | None,
           pdf: bool, with_phones: bool, out_dir: Path | None) -> None:
    """Làm một loại văn bản (.docx, và PDF nếu muốn) từ sổ.

    Ví dụ: doithoai report so.xlsx --kind ketqua --session HN-2024-06
    """
    from toolkit import passes

    try:
        paths = passes.make_report(file, kind=kind, session=session, department=department, month=month,
                                   pdf=pdf, include_phones=with_phones, out_dir=out_dir)
    except DoithoaiError as err:
        _fail(err)
    _echo_made(paths)


def _echo_made(paths) -> None:
    for p in paths:
        click.echo(f"Đã tạo: {p}")
    for line in getattr(paths, "messages", ()):
        click.echo(line)


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--month", required=True, help="Tháng cần tổng hợp, dạng YYYY-MM, ví dụ 2024-06.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Thư mục kết quả (mặc định: ket-qua/<tên sổ>/ cạnh sổ).")
def export(file: Path, month: str, out_dir: Path | None) -> None:
    """Xuất tổng hợp tháng (tiếp nhận, đã trả lời, quá hạn theo lĩnh vực và bộ phận)
    ra .xlsx có biểu đồ và .docx.
    """
    from toolkit import passes

    try:
        paths = passes.export_month(file, month=month, out_dir=out_dir)
    except DoithoaiError as err:
        _fail(err)
    _echo_made(paths)


def _usage_message(err: click.UsageError) -> str:
    """Click's English usage errors, said in Vietnamese."""
    param = getattr(err, "param", None)
    name = ""
    if param is not None:
        name = "/".join(param.opts) if param.param_type_name == "option" else param.human_readable_name
    if isinstance(err, click.MissingParameter):
        return f"thiếu {name or 'tham số'}."
    if isinstance(err, click.NoSuchOption):
        hint = f" Có phải ý bạn là {', '.join(err.possibilities)}?" if err.possibilities else ""
        return f"không có tùy chọn {err.option_name}.{hint}"
    if isinstance(err, click.BadParameter):
        kind = getattr(param, "type", None)
        if isinstance(kind, click.Choice):
            return f"giá trị không hợp lệ cho {name}; chọn một trong: {', '.join(map(str, kind.choices))}."
        if isinstance(kind, click.types.IntRange):
            return f"giá trị không hợp lệ cho {name}; nhập một số nguyên trong khoảng {kind.min} đến {kind.max}."
        return f"giá trị không hợp lệ cho {name or 'tham số'}."
    if "No such command" in err.message:
        return f"không có lệnh này. Các lệnh: {', '.join(sorted(cli.commands))}."
    if "unexpected extra argument" in err.message:
        return "thừa tham số. Nếu đường dẫn có dấu cách, đặt nó trong ngoặc kép."
    return err.message


def main(argv: list[str] | None = None) -> int:
    _configure_stdout()
    try:
        cli.main(args=argv, prog_name="doithoai", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Đã dừng.", err=True)
        return 130
    except click.UsageError as err:
        command = err.ctx.command_path if err.ctx else "doithoai"
        click.echo(f"Lỗi cách gọi lệnh: {_usage_message(err)}\nXem hướng dẫn: {command} --help", err=True)
        return 2
    except SystemExit as exc:  # our own exits carry the code
        return int(exc.code or 0)
    except DoithoaiError as err:
        click.echo(f"Lỗi: {err.message}", err=True)
        return err.exit_code
    except KeyboardInterrupt:
        click.echo("Đã dừng.", err=True)
        return 130
    except Exception as exc:  # last line of defence: never a traceback for staff
        import tempfile
        import traceback
        log = Path(tempfile.gettempdir()) / "doithoai-loi.log"
        try:
            log.write_text(traceback.format_exc(), encoding="utf-8")
        except OSError:
            pass
        click.echo(f"Lỗi không mong đợi ({type(exc).__name__}). Chi tiết kỹ thuật ghi ở {log}; "
                   "hãy gửi tệp này cho người hỗ trợ.", err=True)
        return 2
    return 0
