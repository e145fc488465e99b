"""Connects the watcher (``watching``) to real passes (``passes.run``)."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from toolkit import passes, watching
from toolkit.errors import DoithoaiError, UsageError
from toolkit.outputs import default_out_dir

LOG_NAME = "nhat-ky.log"


def _append_log(folder: Path, line: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / LOG_NAME, "a", encoding="utf-8") as fh:
            fh.write(f"{dt.datetime.now():%H:%M:%S %d/%m/%Y} {line}\n")
    except OSError:
        pass  # the console line is still shown


def make_run_pass(out_dir: Path | None = None, *, today: dt.date | None = None):
    """A ``run_pass`` for the watcher: one pass, one Vietnamese line, never raises."""

    def run_pass(path: Path) -> watching.PassOutcome:
        path = Path(path)
        target = out_dir / path.stem if out_dir else default_out_dir(path)
        try:
            result = passes.run(path, out_dir=target, today=today)
            line = result.line()
            if result.waiting_for_lock:
                line += " Sổ đang mở ở máy khác hoặc chương trình khác: sẽ ghi vào sổ ngay khi sổ được đóng."
            outcome = watching.PassOutcome(written=result.written, waiting_for_lock=result.waiting_for_lock,
                                           sha256_after=result.sha256_after, line=line)
        except DoithoaiError as err:
            line = f"{path.name}: {err.message}"
            outcome = watching.PassOutcome(written=False, waiting_for_lock=False, sha256_after=None, line=line)
        except Exception as exc:  # a bad file must never stop the watcher
            line = (f"{path.name}: lỗi không mong đợi khi xử lý ({type(exc).__name__}: {exc}). "
                    "Lưu lại sổ để thử lại; nếu vẫn lỗi, gửi tệp cho người hỗ trợ.")
            outcome = watching.PassOutcome(written=False, waiting_for_lock=False, sha256_after=None, line=line)
        _append_log(target, line)
        return outcome

    return run_pass


def watch_forever(paths: list[Path], *, poll: bool = False, debounce_ms: int = 800, out_dir: Path | None = None,
                  stop_event: threading.Event | None = None, **kwargs) -> None:
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise UsageError("Không thấy thư mục hoặc tệp: " + ", ".join(missing)
                         + ". Ghi đúng đường dẫn tới thư mục chứa sổ Excel, ví dụ: doithoai watch D:\\DoiThoai",
                         code="watch-path-missing")
    stop = stop_event or threading.Event()
    if stop_event is None:
        watching.install_signal_handlers(stop)
    print(f"Đang theo dõi: {', '.join(str(Path(p).resolve()) for p in paths)}. "
          "Cứ lưu sổ trong Excel như thường lệ; bấm Ctrl+C để dừng.", flush=True)
    watching.watch([Path(p) for p in paths], run_pass=make_run_pass(out_dir), debounce_ms=debounce_ms, poll=poll,
                   stop_event=stop, **kwargs)
    print("Đã dừng theo dõi.", flush=True)
