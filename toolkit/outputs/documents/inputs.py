"""What a conference's or a department's documents are made from, as a digest a pass compares before it makes
their contexts at all.

A pass fingerprints each document by the very context it renders (``toolkit.outputs.render``),
which is exact but means making every context of every conference at every save: at 5,000
delegates / 20,000 petitions in 20 conferences, most of the outputs' time after a one-row
change. The documents of one conference (báo cáo kết quả, giấy mời, thông báo) read only:
Cấu hình, Danh mục, Tổ dân phố, Bộ phận, the conference's row, its petitions and its delegates
(the rows the summary leaves out already removed), the template and today; a department's
(phiếu chuyển, công văn đôn đốc) read its row, the petitions it leads and Đại biểu (phone numbers). When none of these
changed since the document was last made, its context cannot have changed either, so the
pass keeps the document without making the context. When any did, the context is made and
compared as before: a change that does not reach the document still rebuilds nothing.

Every field of every record counts (not only those a template shows) but the two no document
reads (``_NOT_READ``): a digest that misses an input would keep a stale document; one that sees
too much only costs a context. tests/test_fingerprints.py holds both sides.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator

from toolkit.core import model
from toolkit.core.text import fold
from toolkit.outputs.documents.common import dataset_index

_GETTERS: dict[type, operator.attrgetter] = {}


# Fields no document reads: the cells as read (the other fields already say them) and the
# Kiểm tra column, which the write-back fills after the pass that first made the documents.
_NOT_READ = frozenset({"raw", "kiem_tra"})


def _values(record) -> tuple:
    """The record's fields that documents may read, in order."""
    getter = _GETTERS.get(type(record))
    if getter is None:
        names = [f.name for f in dataclasses.fields(record) if f.name not in _NOT_READ]
        getter = _GETTERS[type(record)] = operator.attrgetter(*names)
    values = getter(record)
    return values if isinstance(values, tuple) else (values,)


def digest(*groups, seen: dict | None = None) -> str:
    """A digest of records and plain values, the same in every process (repr of str, int, date,
    bool, None, lists and dicts in their order; no set, whose order changes between processes).
    ``seen``: each record's bytes by id, kept by the dataset's index, so a petition read by its
    conference's, its department's and the month's digests is written out once per pass."""
    h = hashlib.blake2b(digest_size=16)
    for group in groups:
        items = group if isinstance(group, list) else [group]
        h.update(b"\x1e")
        for item in items:
            if dataclasses.is_dataclass(item):
                data = seen.get(id(item)) if seen is not None else None
                if data is None:
                    data = repr(_values(item)).encode("utf-8", "surrogatepass")
                    if seen is not None:
                        seen[id(item)] = data
            else:
                data = repr(item).encode("utf-8", "surrogatepass")
            h.update(data)
            h.update(b"\x1f")
    return h.hexdigest()


def register_inputs(dataset: model.Dataset) -> str:
    """Cấu hình, Danh mục, Tổ dân phố and Bộ phận: what every document of the register reads."""
    index = dataset_index(dataset)
    if index.register_digest is None:
        lists = [(k, list(v)) for k, v in sorted(dataset.lists.items())]
        index.register_digest = digest(dataset.config, lists, dataset.groups, dataset.departments)
    return index.register_digest


def conference_inputs(dataset: model.Dataset, conf: model.Conference) -> str:
    """The conference's row, its petitions and its delegates (as the documents select them)."""
    index = dataset_index(dataset)
    key = fold(conf.ma)
    return digest(conf, index.petitions.get(key, []), index.delegates.get(key, []), seen=index.record_bytes)


def department_inputs(dataset: model.Dataset, dept: model.Department) -> str:
    """The department's row, the petitions it leads and every delegate (a slip or letter shows a
    petitioner's phone number from Đại biểu, looked up by name in any conference)."""
    index = dataset_index(dataset)
    if index.delegates_digest is None:
        index.delegates_digest = digest(dataset.delegates, seen=index.record_bytes)
    found = index.department_digests.get(id(dept))
    if found is None:      # the slip and the letter ask for the same department
        found = index.department_digests[id(dept)] = digest(dept, index.by_department.get(id(dept), []),
                                                            index.delegates_digest, seen=index.record_bytes)
    return found
