"""A pass frees each document as soon as it is made: the Word documents' objects hold
reference cycles, and next to a large register Python's oldest generation is almost never
collected, so without care every document of a pass stayed in memory until it ended
(+250 MiB per result report at 50,000 delegates / 200,000 petitions)."""

from __future__ import annotations

import gc

from docx.opc.part import Part

import docsample as S
from toolkit.outputs import documents, summaries
from toolkit.outputs.folder import OutputFolder


def _alive_parts() -> int:
    """Parts of Word packages still in memory (python-docx's parts and relationships form cycles)."""
    return sum(1 for o in gc.get_objects() if isinstance(o, Part))


def test_each_document_is_freed_once_it_is_made(tmp_path):
    ds = S.dataset()
    summary = summaries.build(ds, None, today=S.TODAY)
    folder = OutputFolder(tmp_path)
    folder.prepare()
    gc.collect()
    before = _alive_parts()
    thresholds = gc.get_threshold()
    # As next to a large register: young collections promote, the oldest generation is not collected.
    gc.set_threshold(50, 2, 10**9)
    try:
        for i, kind in enumerate(("ketqua", "giaymoi", "thongbao", "phieuchuyen")):
            opts = {} if kind == "phieuchuyen" else {"session": S.CONF}
            folder.build(f"{kind}:{i}", "x", lambda kind=kind, opts=opts: documents.render_report(
                kind, ds, summary, tmp_path, today=S.TODAY, **opts))
        got = _alive_parts() - before
    finally:
        gc.set_threshold(*thresholds)
    assert got == 0
    assert len(folder.rebuilt) >= 4
