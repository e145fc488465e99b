"""One exception base class for failures that stop all work.

Everything else (a bad cell, a missing sheet) is a finding, not an exception.
Every message is Vietnamese and says what to do next.
"""


class DoithoaiError(Exception):
    """A failure that stops the whole operation. ``message`` is for staff."""

    exit_code = 2

    def __init__(self, message: str, *, code: str = "loi-chung"):
        super().__init__(message)
        self.message = message
        self.code = code


class WorkbookUnreadable(DoithoaiError):
    """The file cannot be read as a workbook at all."""


class WorkbookExists(DoithoaiError):
    """`init` refuses to overwrite an existing file."""


class OutputError(DoithoaiError):
    """An output could not be written (folder read-only, disk full...)."""


class UsageError(DoithoaiError):
    """Bad command-line arguments (unknown session, bad month...)."""


_OS_REASONS = {
    "ENOENT": "không có thư mục hoặc tệp này",
    "ENOTDIR": "một phần của đường dẫn là tệp chứ không phải thư mục",
    "EISDIR": "đây là thư mục chứ không phải tệp",
    "EACCES": "không có quyền ghi",
    "EPERM": "không có quyền ghi",
    "EROFS": "ổ đĩa chỉ cho đọc",
    "ENOSPC": "ổ đĩa hết chỗ trống",
    "EEXIST": "đã có tệp cùng tên",
    "ENAMETOOLONG": "tên hoặc đường dẫn quá dài",
}


def os_reason(exc: OSError) -> str:
    """A Vietnamese reason for an OS error (the system's own text is often English)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name) or str(exc.strerror or exc)
