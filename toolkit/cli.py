"""Command line: parses options, calls library functions, prints Vietnamese.

Nothing here decides anything: every command is a function in the library
(``toolkit.pipeline.passes``, ``toolkit.starter.create``, ``toolkit.watch.watcher``...). Library
exceptions (``DoithoaiError``) become one clear message and an exit code;
a traceback is never shown to staff.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from toolkit.core.errors import DoithoaiError, OutputError, UsageError, os_reason
from toolkit.vietnamese_click import VnGroup, option, usage_message

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
FILE = "SỔ.xlsx"
FOLDER = "THƯ_MỤC"


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


@click.group(cls=VnGroup, context_settings=CONTEXT)
@click.version_option(package_name="doithoai", message="doithoai %(version)s",
                      help="Xem số phiên bản rồi thoát.")
def cli() -> None:
    """doithoai: sổ Excel thông minh cho hội nghị đối thoại của UBND phường.

    Cán bộ vẫn nhập và lưu sổ trong Excel như thường lệ; doithoai kiểm tra
    lỗi, giao bộ phận xử lý kiến nghị, tính hạn theo ngày làm việc, làm các
    sheet tổng hợp, trang theo dõi và văn bản (báo cáo, giấy mời, phiếu
    chuyển, thông báo).

    Bắt đầu nhanh: doithoai init so-doi-thoai.xlsx  rồi  doithoai watch .
    """


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path), metavar=FILE, required=False)
@option("--sample", is_flag=True, help="Thêm dữ liệu mẫu (hư cấu) để tập sử dụng.")
@option("--force", is_flag=True, help="Ghi đè nếu tệp đã có (cẩn thận: mất dữ liệu cũ).")
@option("--mau-van-ban", "templates", is_flag=True,
        help="Chép thêm các mẫu văn bản Word vào thư mục mau-van-ban bên cạnh sổ để sửa theo đơn vị.")
@option("--sample-province", "province", type=(click.Path(file_okay=False, path_type=Path), click.IntRange(1, 5000)),
        default=None, metavar="THƯ_MỤC SỐ",
        help="Tạo một tỉnh mẫu (hư cấu) gồm SỐ sổ của các phường trong THƯ_MỤC, để tập lệnh doithoai rollup. "
             "Khi dùng tùy chọn này thì không ghi SỔ.xlsx.")
@option("--add-sheet", "add_sheet", default=None, metavar="TÊN SHEET",
        help="Thêm một sheet mới vào sổ đang dùng (không tạo sổ mới), hiện có: \"Công việc\" "
             "(các việc chuẩn bị mỗi hội nghị theo Kế hoạch). Sổ cũ được sao lưu trước khi ghi.")
@option("--xa", "xa", is_flag=True,
        help="Sổ của một xã: Bộ phận theo Nghị định 150/2025/NĐ-CP có Phòng Kinh tế "
             "(phường có Phòng Kinh tế, Hạ tầng và Đô thị). Không ghi thì là sổ của phường.")
def init(file: Path | None, sample: bool, force: bool, templates: bool, province, add_sheet: str | None,
         xa: bool) -> None:
    """Tạo sổ Excel mới với đủ các sheet, cột, danh sách chọn và quy tắc mặc định.

    Sổ mới có sẵn hai hội nghị dự kiến (tháng 6 và tháng 11) và các việc của Kế hoạch
    ở sheet Công việc; sửa Ngày tổ chức thì hạn các việc tự tính lại. Bộ phận và Phân công
    theo các cơ quan chuyên môn của Nghị định 150/2025/NĐ-CP (chính quyền hai cấp, từ 01/7/2025).

    Ví dụ: doithoai init doi-thoai-2025.xlsx
    Thêm sheet Công việc vào sổ đang dùng: doithoai init --add-sheet "Công việc" doi-thoai-2024.xlsx
    Tỉnh mẫu 20 phường để tập tổng hợp: doithoai init --sample-province tinh-mau 20
    """
    from toolkit.starter.create import create_workbook

    if province is not None:
        if file is not None or sample or add_sheet is not None:
            _fail(UsageError("--sample-province tạo cả một thư mục sổ mẫu, không ghi kèm tên sổ hay --sample, "
                             "--add-sheet. Ví dụ: doithoai init --sample-province tinh-mau 20",
                             code="sample-province-usage"))
        _sample_province(*province)
        return
    if file is None:
        _fail(UsageError("Thiếu tên sổ cần tạo. Ví dụ: doithoai init doi-thoai-2025.xlsx", code="init-no-file"))
    if add_sheet is not None:
        if sample or force:
            _fail(UsageError("--add-sheet thêm sheet vào sổ đang dùng, không dùng cùng --sample hay --force. "
                             f"Ví dụ: doithoai init --add-sheet \"Công việc\" \"{file}\"", code="add-sheet-usage"))
        _add_sheet(file, add_sheet)
        return
    try:
        path = create_workbook(file, sample=sample, overwrite=force, xa=xa)
    except DoithoaiError as err:
        _fail(err)
    click.echo(f"Đã tạo sổ {path}. Mở bằng Excel để nhập liệu; chạy 'doithoai check {path}' để kiểm tra.")
    if templates:
        _copy_templates(Path(path), overwrite=False)


def _sample_province(folder: Path, count: int) -> None:
    from toolkit.starter.province import make_province

    if folder.exists() and any(folder.iterdir()):
        _fail(UsageError(f"Thư mục {folder} đã có tệp; tỉnh mẫu chỉ tạo trong thư mục trống (để không lẫn với sổ thật). "
                         "Chọn một thư mục mới.", code="province-folder-not-empty"))
    try:
        make_province(folder, count, progress=_progress("Đã tạo"))
    except DoithoaiError as err:
        _fail(err)
    click.echo(f"Đã tạo tỉnh mẫu {count} phường (dữ liệu hư cấu) trong {folder}. "
               f"Tổng hợp bằng lệnh: doithoai rollup \"{folder}\"")


def _progress(verb: str):
    """'Đã đọc 12/168 tệp' on a terminal (stderr), nothing otherwise."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        click.echo(f"\r{verb} {done}/{total} tệp", err=True, nl=done == total)

    return show


def _add_sheet(file: Path, name: str) -> None:
    from toolkit.pipeline.addsheet import add_sheet

    _need_file(file)
    try:
        added = add_sheet(file, name)
    except DoithoaiError as err:
        _fail(err)
    if not added.written:
        click.echo(f"Chưa thêm được sheet «{added.sheet}»: {added.reason}", err=True)
        sys.exit(1)
    click.echo(f"Đã thêm sheet «{added.sheet}» vào sổ {file} với {added.rows} việc theo Kế hoạch "
               f"(bản cũ được lưu trong thư mục sao-luu). Chạy 'doithoai run {file}' để tính Ngày đến hạn.")


@cli.command("mau-van-ban", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path), metavar=FILE)
@option("--force", is_flag=True, help="Chép đè cả những mẫu đã có trong thư mục (mất phần đã sửa).")
def mau_van_ban(file: Path, force: bool) -> None:
    """Chép các mẫu văn bản Word gốc vào thư mục mau-van-ban bên cạnh sổ.

    Sửa mẫu trong thư mục đó bằng Word (giữ nguyên các trường {{ ... }});
    doithoai dùng mẫu đã sửa thay cho mẫu gốc và làm lại các văn bản.
    Mẫu đã có trong thư mục được giữ nguyên, trừ khi dùng --force.

    Ví dụ: doithoai mau-van-ban doi-thoai-2025.xlsx
    """
    _copy_templates(file, overwrite=force)


def _copy_templates(workbook: Path, *, overwrite: bool) -> None:
    from toolkit.outputs import wordtemplates

    folder = wordtemplates.override_dir(workbook)
    try:
        copied, kept = wordtemplates.copy_defaults(folder, overwrite=overwrite)
    except OSError as err:
        _fail(OutputError(f"Không chép được mẫu văn bản vào {folder} ({os_reason(err)}). "
                          "Kiểm tra quyền ghi của thư mục.", code="output-unwritable"))
    if copied:
        click.echo(f"Đã chép {len(copied)} mẫu văn bản vào {folder}. Sửa mẫu bằng Word; doithoai dùng mẫu trong "
                   "thư mục này thay cho mẫu gốc.")
    if kept:
        click.echo(f"Giữ nguyên {len(kept)} mẫu đã có trong {folder}: {', '.join(p.name for p in kept)} "
                   "(dùng --force để chép đè).")


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path), metavar=FILE)
@option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: dễ đọc; json: cho chương trình khác.")
def check(file: Path, fmt: str) -> None:
    """Kiểm tra sổ và liệt kê mọi lỗi nhập liệu kèm ô bị lỗi. Không sửa gì trong sổ.

    Mã thoát: 0 không có lỗi, 1 có lỗi cần sửa, 2 không đọc được tệp.
    """
    from toolkit.pipeline import passes

    _need_file(file, fmt)
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
@click.argument("file", type=click.Path(path_type=Path), metavar=FILE)
@option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: một dòng tóm tắt; json: số lỗi, đã ghi vào sổ hay chưa (vì sao), các tệp kết quả.")
@option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar=FOLDER,
              help="Thư mục kết quả (mặc định: ket-qua/<tên sổ>/ cạnh sổ).")
@option("--pdf", is_flag=True, help="Chuyển thêm các văn bản sang PDF (cần LibreOffice).")
def run(file: Path, fmt: str, out_dir: Path | None, pdf: bool) -> None:
    """Chạy một lượt: kiểm tra, giao bộ phận và hạn xử lý, ghi kết quả vào sổ
    (khi an toàn), làm tổng hợp, trang theo dõi và văn bản.

    Mã thoát: 0 không có lỗi, 1 có lỗi nhập liệu, 2 không đọc được tệp.
    """
    from toolkit.pipeline import passes

    _need_file(file, fmt)
    try:
        result = passes.run(file, out_dir=out_dir, pdf=pdf)
    except DoithoaiError as err:
        _fail(err, fmt)
    if fmt == "json":
        _echo_json(result.as_dict())
    else:
        click.echo(result.line())
        index = passes.dashboard_path(result)
        if index is not None:
            click.echo(f"Trang theo dõi (mở bằng trình duyệt): {index}")
    sys.exit(EXIT_FINDINGS if result.report.errors else EXIT_OK)


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar=f"[{FOLDER}]...")
@option("--poll", is_flag=True, help="Dò thay đổi định kỳ (dùng cho thư mục dùng chung trên mạng).")
@option("--debounce-ms", type=click.IntRange(50, 60_000), metavar="SỐ", default=800, show_default=True,
              help="Chờ bao nhiêu mili giây sau lần lưu cuối rồi mới chạy.")
@option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar=FOLDER,
              help="Thư mục kết quả (mặc định: ket-qua/<tên sổ>/ cạnh sổ).")
@option("--open", "open_page", is_flag=True,
        help="Mở trang theo dõi index.html của mỗi sổ trong trình duyệt sau lượt đầu (chay.bat dùng tùy chọn này).")
@option("--rollup", "province", is_flag=True,
        help="THƯ_MỤC là thư mục tổng hợp của tỉnh, thành phố: mỗi khi sổ của một phường được lưu, thêm hay xóa "
             "(kể cả trong thư mục con) thì tổng hợp lại như lệnh doithoai rollup. Không cần ghi khi THƯ_MỤC đã có "
             "tong-hop-cap-tren/ (do lệnh rollup tạo).")
def watch(paths: tuple[Path, ...], poll: bool, debounce_ms: int, out_dir: Path | None, open_page: bool,
          province: bool) -> None:
    """Theo dõi thư mục: mỗi lần lưu sổ trong Excel là tự chạy một lượt.

    Không ghi đường dẫn: theo dõi thư mục workbooks/. Dừng bằng Ctrl+C.
    Thư mục có tong-hop-cap-tren/ (hoặc ghi --rollup) là thư mục tổng hợp của tỉnh:
    khi đó mỗi thay đổi làm lại bản tổng hợp, không chạy lượt cho từng sổ.
    """
    from toolkit.starter import sample
    from toolkit.watch.province import is_province_folder

    if province or any(p.is_dir() and is_province_folder(p) for p in paths):
        if len(paths) != 1:
            _fail(UsageError("Theo dõi để tổng hợp chỉ nhận một thư mục, ví dụ: doithoai watch --rollup so-cac-phuong",
                             code="watch-rollup-one-folder"))
        from toolkit.watch.province import watch_province_forever

        try:
            watch_province_forever(paths[0], out_dir=out_dir, poll=poll, debounce_ms=debounce_ms)
        except DoithoaiError as err:
            _fail(err)
        return

    folders = list(paths) or [Path(sample.WORKING_FOLDER)]
    for folder in folders:
        for copy in sample.seed_working_folder(folder):
            click.echo(f"Thư mục {folder} chưa có sổ nào: đã chép sổ mẫu {copy.parent / sample.SAMPLE_FOLDER / copy.name} "
                       f"vào {copy} để tập (sổ mẫu gốc giữ nguyên).")
    try:
        from toolkit.watch import runner as watch_passes

        watch_passes.watch_forever(folders, poll=poll, debounce_ms=debounce_ms, out_dir=out_dir,
                                   open_page=_browser if open_page else None)
    except DoithoaiError as err:
        _fail(err)


@cli.command(context_settings=CONTEXT)
@click.argument("folder", type=click.Path(path_type=Path), metavar=FOLDER)
@option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="THƯ_MỤC_KẾT_QUẢ",
        help="Nơi ghi kết quả tổng hợp (mặc định: tong-hop-cap-tren/ trong THƯ_MỤC).")
@option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
        help="Cách in kết quả: chữ cho người đọc, hoặc json cho phần mềm khác.")
@option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
        help="Tính quá hạn và hạn luật định đến ngày này (mặc định: hôm nay).")
@option("--parquet", is_flag=True,
        help="Xuất thêm các bảng dạng Parquet (chia theo tỉnh và đơn vị) vào parquet/ trong thư mục kết quả, "
             "cho phần mềm khác đọc.")
def rollup(folder: Path, out_dir: Path | None, fmt: str, as_of: str | None, parquet: bool) -> None:
    """Tổng hợp sổ đối thoại của mọi phường, xã trong THƯ_MỤC cho tỉnh, thành phố.

    Đọc (không ghi, không sửa) mọi sổ .xlsx trong THƯ_MỤC và các thư mục con; ghi vào
    THƯ_MỤC/tong-hop-cap-tren/: tong-hop.xlsx, kien-nghi-chuyen-cap-tren.xlsx (theo bảng
    co-quan-tiep-nhan.xlsx, sửa được bằng Excel), index.html, bao-cao-tong-hop.docx và
    du-lieu.duckdb. Không có thông tin cá nhân của người dân trong các tệp này. Lần sau chỉ
    đọc lại sổ đã thay đổi.

    Mã thoát: 0 tổng hợp được mọi tệp; 1 có tệp chưa tổng hợp được (lý do in ra); 2 không
    tổng hợp được tệp nào.

    Ví dụ: doithoai rollup so-cac-phuong --as-of 2025-12-31
    """
    import datetime as dt

    from toolkit.rollup.run import rollup as do_rollup

    day = None
    if as_of is not None:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            _fail(UsageError(f"Ngày --as-of '{as_of}' không đúng dạng năm-tháng-ngày, ví dụ 2025-12-31.",
                             code="rollup-bad-date"), fmt)
    try:
        result = do_rollup(folder, out_dir=out_dir, as_of=day, parquet=parquet,
                           progress=None if fmt == "json" else _progress("Đã đọc"))
    except DoithoaiError as err:
        _fail(err, fmt)
    if fmt == "json":
        _echo_json(result.as_json())
        sys.exit(result.exit_code)
    t = result.as_json()["totals"]
    click.echo(f"Đã tổng hợp {t['wards']} đơn vị đến ngày {result.as_of:%d/%m/%Y}: {t['conferences']} hội nghị, "
               f"{t['petitions']} kiến nghị, đã trả lời {t['answered']}, quá hạn {t['overdue']}, "
               f"chuyển cấp trên {t['forwarded']}.")
    for s in result.skipped:
        click.echo(f"Chưa tổng hợp: {s.file}: {s.reason}", err=True)
    if result.outputs:
        click.echo(f"Kết quả trong {result.out_dir} (mở index.html bằng trình duyệt).")
    sys.exit(result.exit_code)


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path), metavar=FILE)
@option("--kind", required=True,
              type=click.Choice(["ketqua", "giaymoi", "phieuchuyen", "thongbao", "thang", "dondoc", "kehoach"]),
              help="ketqua: báo cáo kết quả hội nghị; giaymoi: giấy mời; phieuchuyen: phiếu chuyển "
                   "kiến nghị cho bộ phận; thongbao: thông báo trên đài truyền thanh; thang: báo cáo tháng; "
                   "dondoc: công văn đôn đốc bộ phận có kiến nghị quá hạn; kehoach: Kế hoạch đối thoại của cả năm.")
@option("--session", default=None, metavar="MÃ", help="Mã hội nghị, ví dụ HN-2024-06 (mặc định: hội nghị gần nhất).")
@option("--department", default=None, metavar="MÃ", help="Mã bộ phận cho phiếu chuyển hoặc công văn đôn đốc, ví dụ DC (mặc định: mọi bộ phận).")
@option("--month", default=None, metavar="NĂM-THÁNG", help="Tháng cho báo cáo tháng, dạng YYYY-MM, ví dụ 2024-06.")
@option("--year", type=click.IntRange(2000, 2100), default=None, metavar="NĂM",
        help="Năm của Kế hoạch (--kind kehoach), ví dụ 2025 (mặc định: năm của hội nghị sắp tới).")
@option("--pdf", is_flag=True, help="Chuyển thêm sang PDF (cần LibreOffice).")
@option("--with-phones", is_flag=True, help="Ghi cả họ tên và số điện thoại của người dân vào mọi loại văn bản (chỉ dùng nội bộ, không gửi ra ngoài).")
@option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar=FOLDER,
              help="Thư mục kết quả (mặc định: ket-qua/<tên sổ>/ cạnh sổ).")
def report(file: Path, kind: str, session: str | None, department: str | None, month: str | None,
           year: int | None, pdf: bool, with_phones: bool, out_dir: Path | None) -> None:
    """Làm một loại văn bản (.docx, và PDF nếu muốn) từ sổ.

    Ví dụ: doithoai report so.xlsx --kind ketqua --session HN-2024-06
    Kế hoạch của năm: doithoai report so.xlsx --kind kehoach --year 2025
    """
    from toolkit.pipeline import passes

    _need_file(file)
    try:
        paths = passes.make_report(file, kind=kind, session=session, department=department, month=month,
                                   pdf=pdf, include_phones=with_phones, out_dir=out_dir, year=year)
    except DoithoaiError as err:
        _fail(err)
    _echo_made(paths)


def _echo_made(paths) -> None:
    for p in paths:
        click.echo(f"Đã tạo: {p}")
    for line in getattr(paths, "messages", ()):
        click.echo(line)


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path), metavar=FILE)
@option("--month", required=True, metavar="NĂM-THÁNG", help="Tháng cần tổng hợp, dạng YYYY-MM, ví dụ 2024-06.")
@option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar=FOLDER,
              help="Thư mục kết quả (mặc định: ket-qua/<tên sổ>/ cạnh sổ).")
@option("--pdf", is_flag=True, help="Chuyển thêm báo cáo tháng sang PDF (cần LibreOffice).")
def export(file: Path, month: str, out_dir: Path | None, pdf: bool) -> None:
    """Xuất tổng hợp tháng (tiếp nhận, đã trả lời, quá hạn theo lĩnh vực và bộ phận)
    ra .xlsx có biểu đồ và .docx.
    """
    from toolkit.pipeline import passes

    _need_file(file)
    try:
        paths = passes.export_month(file, month=month, out_dir=out_dir, pdf=pdf)
    except DoithoaiError as err:
        _fail(err)
    _echo_made(paths)


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path), metavar=FILE)
@option("--ma", default=None, metavar="MÃ",
        help="Chỉ xem một kiến nghị (Mã kiến nghị, ví dụ KN-2024-06-001) hoặc một dòng (ví dụ \"dòng 12\").")
@option("--since", default=None, metavar="NGÀY",
        help="Chỉ xem từ thời điểm này, dạng ngày/tháng/năm hoặc \"ngày/tháng/năm giờ:phút\".")
@option("--format", "fmt", type=click.Choice(["text", "json", "xlsx"]), default="text", show_default=True,
        help="text: dễ đọc; json: cho chương trình khác; xlsx: bảng nhat-ky.xlsx có bộ lọc để mở bằng Excel.")
@option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar=FOLDER,
        help="Thư mục kết quả có nhật ký (mặc định: ket-qua/<tên sổ>/ cạnh sổ).")
def history(file: Path, ma: str | None, since: str | None, fmt: str, out_dir: Path | None) -> None:
    """Xem nhật ký sổ: ai lưu, lúc nào, ô nào đổi từ gì thành gì (mới nhất trước).

    Ví dụ: doithoai history so.xlsx --ma KN-2024-06-001
    """
    from toolkit.outputs import history_workbook
    from toolkit.pipeline import history as hist      # `history` is this command's own name

    _need_file(file, "json" if fmt == "json" else "text")
    try:
        when = hist.parse_time(since) if since else None
        found = hist.entries(file, ma=ma, since=when, out_dir=out_dir)
        if fmt == "xlsx":
            _echo_made([history_workbook.write_xlsx(found, hist.xlsx_path(file, out_dir))])
            return
    except DoithoaiError as err:
        _fail(err, fmt)
    if fmt == "json":
        _echo_json(hist.as_json(found))
    else:
        click.echo(hist.format_text(found, file))


@cli.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path), metavar=FILE)
@option("--at", "at", default=None, metavar="THỜI_GIAN",
        help="Khôi phục bản đã lưu gần nhất trước thời điểm này, dạng \"ngày/tháng/năm giờ:phút\".")
@option("--backup", default=None, metavar="TÊN_TỆP", help="Khôi phục đúng bản sao lưu này (tên tệp trong sao-luu).")
@option("--list", "show", is_flag=True, help="Liệt kê các bản sao lưu: thời gian, người lưu, đã thay đổi gì.")
@option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar=FOLDER,
        help="Thư mục kết quả có nhật ký (mặc định: ket-qua/<tên sổ>/ cạnh sổ).")
def restore(file: Path, at: str | None, backup: str | None, show: bool, out_dir: Path | None) -> None:
    """Khôi phục sổ về một bản sao lưu trong sao-luu (sổ phải đang đóng).

    Bản đang có được sao lưu trước khi khôi phục, nên luôn quay lại được.
    Ví dụ: doithoai restore so.xlsx --at "15/06/2024 14:30"
    """
    from toolkit.pipeline import history as hist
    from toolkit.pipeline import restore as rs

    _need_file(file)
    try:
        if sum(bool(x) for x in (at, backup, show)) != 1:
            raise UsageError("Chọn đúng một trong --at, --backup hoặc --list. Xem các bản sao lưu: "
                             f"doithoai restore \"{file}\" --list", code="usage")
        if show:
            found = rs.list_backups(file, out_dir)
            if not found:
                click.echo(f"Chưa có bản sao lưu nào của {file.name}.")
            for b in found:
                click.echo(b.line())
            return
        done = rs.restore(file, at=hist.parse_time(at, option="--at") if at else None, backup=backup,
                          out_dir=out_dir)
    except DoithoaiError as err:
        _fail(err)
    click.echo(done.line(file))


def _browser(url: str) -> None:
    import webbrowser

    webbrowser.open(url)


def _need_file(path: Path, fmt: str = "text") -> None:
    """A folder where a workbook is expected: say which workbooks it holds, and that
    ``watch`` is the command for a folder."""
    if not path.is_dir():
        return
    books = sorted(p.name for p in path.iterdir()
                   if p.suffix.lower() in (".xlsx", ".xlsm") and not p.name.startswith(("~$", ".~lock")))
    example = f'"{path / books[0]}"' if books else f'"{path / "doi-thoai-2025.xlsx"}"'
    listed = (f" Sổ trong thư mục này: {', '.join(books)}." if books else " Thư mục này chưa có sổ Excel nào.")
    _fail(UsageError(f"{path} là thư mục, không phải sổ Excel. Ghi cả tên tệp sổ, ví dụ {example}.{listed} "
                     f'Muốn tự chạy mỗi lần lưu cho cả thư mục, dùng lệnh: doithoai watch "{path}"',
                     code="is-a-folder"), fmt)


_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())   # Click 8.2+


def main(argv: list[str] | None = None) -> int:
    _configure_stdout()
    try:
        cli.main(args=argv, prog_name="doithoai", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Đã dừng.", err=True)
        return 130
    except _NO_ARGS_IS_HELP as err:   # `doithoai` alone: the help screen
        click.echo(err.ctx.get_help())
        return 0
    except click.UsageError as err:
        command = err.ctx.command_path if err.ctx else "doithoai"
        if err.ctx is None:   # some parser errors carry no context: name the command typed
            typed = [a for a in (sys.argv[1:] if argv is None else argv) if a in cli.commands]
            command = f"doithoai {typed[0]}" if typed else command
        click.echo(f"Lỗi cách gọi lệnh: {usage_message(err, cli.commands)}\nXem hướng dẫn: {command} --help", err=True)
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
