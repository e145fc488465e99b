"""doithoai: makes a ward's dialogue-conference workbook smart.

Library first: every command of the CLI is a plain function of this public API.

    import toolkit
    result = toolkit.run("doi-thoai-2025.xlsx")      # one pass: check, assign, write back, render
    print(result.line())

The names below are loaded on first use (``import toolkit`` stays cheap, and no
module of the package needs this one); everything else is internal.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_API = {
    # one pass and its parts (toolkit.pipeline.passes)
    "check": "toolkit.pipeline.passes",
    "run": "toolkit.pipeline.passes",
    "make_report": "toolkit.pipeline.passes",
    "export_month": "toolkit.pipeline.passes",
    "CheckResult": "toolkit.pipeline.passes",
    "PassResult": "toolkit.pipeline.passes",
    # a new workbook, the Word templates, the watcher
    "create_workbook": "toolkit.starter.create",
    "copy_default_templates": ("toolkit.outputs.wordtemplates", "copy_defaults"),
    "watch_forever": "toolkit.watch.runner",
    # what may go wrong, each with a Vietnamese message for staff
    "DoithoaiError": "toolkit.core.errors",
    "UsageError": "toolkit.core.errors",
    "OutputError": "toolkit.core.errors",
    "WorkbookUnreadable": "toolkit.core.errors",
}

__all__ = sorted(_API) + ["__version__"]


def __getattr__(name: str):
    target = _API.get(name)
    if target is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    module, attr = target if isinstance(target, tuple) else (target, name)
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
