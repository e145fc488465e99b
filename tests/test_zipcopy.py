"""zipcopy.rebuild: replaced entries rewritten in place, added ones at the end, every
other entry's local header and compressed bytes copied exactly."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from conftest import EXCEL_MADE
from toolkit.xlsx import zipcopy


def entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def raw_spans(data: bytes) -> dict[str, bytes]:
    return {name: zipcopy._local_span(data, offset, central)
            for name, central, offset in zipcopy._central_records(data)}


@pytest.mark.parametrize("name", sorted(p.name for p in EXCEL_MADE.glob("*.xls[xm]")))
def test_excel_made_packages_keep_every_other_entry_byte_for_byte(name):
    data = (EXCEL_MADE / name).read_bytes()
    before = entries(data)
    target = next(n for n, _ in before if n.startswith("xl/worksheets/"))
    new = zipcopy.rebuild(data, {target: b"<worksheet/>"}, [("xl/worksheets/sheet99.xml", "Tổng hợp".encode())])
    after = entries(new)
    assert [n for n, _ in after] == [n for n, _ in before] + ["xl/worksheets/sheet99.xml"]
    assert dict(after)[target] == b"<worksheet/>"
    assert {n: b for n, b in after if n not in (target, "xl/worksheets/sheet99.xml")} == {
        n: b for n, b in before if n != target}
    old_raw, new_raw = raw_spans(data), raw_spans(new)
    assert all(new_raw[n] == old_raw[n] for n in old_raw if n != target)     # not even recompressed


def _archive(**kwargs) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, **kwargs) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        zf.writestr("xl/tên có dấu.xml", "Kiến nghị".encode() * 100)
        zf.writestr("xl/b.xml", b"b" * 1000)
    return out.getvalue()


def test_entries_with_data_descriptors_are_copied():
    class Stream(io.RawIOBase):      # not seekable: zipfile writes data descriptors
        def __init__(self):
            self.buf = bytearray()

        def writable(self):
            return True

        def write(self, b):
            self.buf += b
            return len(b)

    stream = Stream()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.xml", b"a" * 500)
        zf.writestr("b.xml", b"b" * 500)
    data = bytes(stream.buf)
    new = zipcopy.rebuild(data, {"b.xml": b"new"})
    assert entries(new) == [("a.xml", b"a" * 500), ("b.xml", b"new")]
    assert raw_spans(new)["a.xml"] == raw_spans(data)["a.xml"]


@pytest.mark.parametrize("make", [lambda: _archive(), lambda: _zip64()])
def test_same_contents_whichever_way(make):
    data = make()
    new = zipcopy.rebuild(data, {"xl/b.xml": b"B"}, [("xl/c.xml", b"C")])
    assert entries(new) == [("[Content_Types].xml", b"<Types/>"), ("xl/tên có dấu.xml", "Kiến nghị".encode() * 100),
                            ("xl/b.xml", b"B"), ("xl/c.xml", b"C")]


def _zip64() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, payload in (("[Content_Types].xml", b"<Types/>"), ("xl/tên có dấu.xml", "Kiến nghị".encode() * 100),
                              ("xl/b.xml", b"b" * 1000)):
            with zf.open(name, "w", force_zip64=True) as handle:
                handle.write(payload)
    return out.getvalue()


def _entries_archive(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, payload in files.items():
            zf.writestr(name, payload)
    return buf.getvalue()


@pytest.mark.parametrize("pieces", [
    [b""],
    [b"<row/>"],
    [b"<a>", memoryview(b"xxxx<b/>yyyy")[4:8], b"</a>"],
    [bytes(range(256)) * 9000, b"tail"],          # more than one batch for zlib
    [b"head", memoryview(bytes(range(256)) * 20_000)[3:], b"<row/>" * 10, bytearray(b"x" * 3_000_000)],
])
def test_a_part_deflated_from_pieces_is_the_pieces_joined(pieces):
    exp = b"".join(bytes(p) for p in pieces)
    part = zipcopy.Deflated.of(pieces)
    assert (part.size, part.crc) == (len(exp), zlib.crc32(exp))
    assert part.raw() == exp
    assert b"".join(part.chunks(size=1000)) == exp
    # written into an archive, any zip reader gets the same bytes back
    data = _entries_archive({"a.xml": b"old", "b.xml": b"keep"})
    new = zipcopy.rebuild(data, {"a.xml": part}, [("c.xml", zipcopy.Deflated.of([b"added"]))])
    with zipfile.ZipFile(io.BytesIO(new)) as zf:
        assert zf.testzip() is None
        assert (zf.read("a.xml"), zf.read("b.xml"), zf.read("c.xml")) == (exp, b"keep", b"added")


def test_a_part_of_many_segments_is_the_same_stream_on_any_number_of_threads():
    # Segments are deflated on two threads (pigz's way); the bytes must not depend on the timing,
    # and cutting the part must cost (almost) nothing against one stream.
    rows = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>' % (i, i, i * 7 % 1000)
                    for i in range(1, 400_000))
    pieces = [memoryview(rows)[:5_000_001], b"<c/>", memoryview(rows)[5_000_001:]]
    exp = rows[:5_000_001] + b"<c/>" + rows[5_000_001:]
    one, two = zipcopy.Deflated.of(pieces, workers=1), zipcopy.Deflated.of(pieces, workers=2)
    assert one.pieces == two.pieces and len(one.pieces) > 3
    assert zlib.decompress(b"".join(two.pieces), -15) == exp
    whole = zlib.compressobj(zipcopy.LEVEL, zlib.DEFLATED, -15)
    alone = len(whole.compress(exp) + whole.flush())
    assert two.compressed_size < alone * 1.01


def test_a_large_piece_is_deflated_without_a_copy_of_it():
    # The unchanged rows before an edit come as one view of a sheet that may be 300 MB.
    import tracemalloc

    sheet = bytearray(b"<row><c><v>1</v></c></row>" * 400_000)      # about 10 MB
    pieces = [memoryview(sheet)[:-6], b"<c/>", memoryview(sheet)[-6:]]
    tracemalloc.start()
    try:
        part = zipcopy.Deflated.of(pieces)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert part.size == len(sheet) + 4
    assert peak < 4 * (1 << 20) < len(sheet) // 2


def test_read_member_gives_the_entry_without_a_second_copy():
    big = b"<c r='A1'><v>1</v></c>" * 200_000
    data = _entries_archive({"xl/worksheets/sheet1.xml": big, "empty.xml": b""})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        got = zipcopy.read_member(zf, "xl/worksheets/sheet1.xml")
        assert got == big and isinstance(got, bytearray)
        assert zipcopy.read_member(zf, "empty.xml") == b""
