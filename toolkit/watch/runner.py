"""Watch folders and run a real pass (``passes.run``) after each save: the watcher
(``watching``, which knows nothing of passes) given its ``run_pass`` and log file."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from toolkit.pipeline import passes

from toolkit.watch import watcher as watching
from toolkit.core.errors import DoithoaiError
from toolkit.outputs.folder import OUTPUT_FOLDER, default_out_dir

LOG_NAME = "nhat-ky.log"


def make_run_pass(out_dir: Path | None = None, *, today: dt.date | None = None, open_page=None):
    """A ``run_pass`` for the watcher: one pass, one Vietnamese line, never raises.

    After the first pass of each workbook the line ends with the full path of
    its dashboard, so staff know what to open in the browser; with ``open_page``
    (``webbrowser.open`` for ``watch --open``) the page is also opened once.
    """
    shown: set[Path] = set()

    def run_pass(path: Path) -> watching.PassOutcome:
        path = Path(path)
        target = out_dir / path.stem if out_dir else default_out_dir(path)
        try:
            result = passes.run(path, out_dir=target, today=today)
            line = result.line()
            if result.waiting_for_lock and "sẽ ghi" not in line:  # the reason may already say so
                line += " Sổ sẽ được ghi ngay khi đóng sổ trong Excel/LibreOffice."
            index = passes.dashboard_path(result)
            if index is not None and path not in shown:
                shown.add(path)
                line += f" Trang theo dõi (mở bằng trình duyệt): {index}"
                if open_page is not None:
                    try:
                        open_page(index.as_uri())
                    except Exception:   # noqa: BLE001 - no browser: the path is printed anyway
                        pass
            hashes = tuple(result.replies.hashes.items()) if result.replies is not None else ()
            return watching.PassOutcome(written=result.written, waiting_for_lock=result.waiting_for_lock,
                                        sha256_after=result.sha256_after, line=line, reply_hashes=hashes)
        except DoithoaiError as err:
            line = f"{path.name}: {err.message}"
        except Exception as exc:  # a bad file must never stop the watcher
            line = (f"{path.name}: lỗi không mong đợi khi xử lý ({type(exc).__name__}: {exc}). "
                    "Lưu lại sổ để thử lại; nếu vẫn lỗi, gửi tệp cho người hỗ trợ.")
        return watching.PassOutcome(written=False, waiting_for_lock=False, sha256_after=None, line=line)

    return run_pass


def log_file_for(paths: list[Path], out_dir: Path | None) -> Path:
    """The watcher's log: in the output folder (``ket-qua/nhat-ky.log`` beside the first workbook folder)."""
    if out_dir:
        return Path(out_dir) / LOG_NAME
    first = Path(paths[0]).resolve()
    folder = first if first.is_dir() else first.parent
    return folder / OUTPUT_FOLDER / LOG_NAME


def watch_forever(paths: list[Path], *, poll: bool = False, debounce_ms: int = 800, out_dir: Path | None = None,
                  stop_event: threading.Event | None = None, today: dt.date | None = None, open_page=None,
                  **kwargs) -> None:
    paths = [Path(p) for p in paths]
    stop = stop_event or threading.Event()
    if stop_event is None:
        watching.install_signal_handlers(stop)
    log_file = log_file_for(paths, out_dir)  # made on the first line (not for a mistyped folder)
    write = watching.make_logger(log_file)
    told = []

    def log(message: str) -> None:   # the first line ("Đang theo dõi …") also says where the log is
        if not told:
            told.append(True)
            message += f" Nhật ký ghi ở {log_file}"
        write(message)

    watching.watch(paths, run_pass=make_run_pass(out_dir, today=today, open_page=open_page), debounce_ms=debounce_ms, poll=poll,
                   stop_event=stop, log=log, **kwargs)
