"""Generate benchmark workbooks that look like what staff make, quickly.

The structure (every sheet of the schema, header colours, comments, column
widths, dropdowns, freeze panes, the guide) comes from
``toolkit.starter.create.build_workbook`` with the small sheets filled in and ONE
seed row on Đại biểu and Kiến nghị. The bulk rows are then spliced into
those two sheets' XML directly (shared strings, the seed row's cell styles),
which takes seconds even at 200,000 petitions where openpyxl's normal mode
would take minutes and gigabytes.

Data: invented people (names from ``toolkit.starter.sample_texts``), residential
groups, conferences twice a year going back from 2024, petitions worded
from the sample's petition/answer texts, about 12% without a Lĩnh vực (so the
toolkit routes them by keywords), statuses, answer dates and answers as a
clerk would have them, and the toolkit-filled columns (Mã, Bộ phận, Hạn,
Trạng thái) left blank for the toolkit to fill. Deterministic for a seed.

Two shapes (``SHAPES``): ``bench``, the shape above (conferences twice a year, up to
twenty, most answers given), and ``busy``, a register unlike it as a held-out one is:
twelve conferences whatever the size, long Nội dung (several requests in one cell,
600–1,000 characters, on several lines), a third without Lĩnh vực, and about 70 % of
the petitions carrying a warning (overdue, never answered; a few routed by a guess), as
do about a third of the delegates (a phone number typed a digit short).
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from toolkit.core import a1, schema

from toolkit.starter import create
from toolkit.starter import sample as sample_mod
from toolkit.starter import sample_texts as T
from toolkit.xlsx.patch import sheet_parts

TODAY = dt.date(2024, 12, 10)
DELEGATES_PER_CONFERENCE = 250
MAX_CONFERENCES = 20        # ten years of two conferences; larger sizes mean larger conferences
GENERATOR_VERSION = 1


@dataclass(frozen=True)
class Shape:
    name: str
    conferences: int | None = None     # None: twice a year, as many as the size fills (at most MAX_CONFERENCES)
    no_field_share: float = 0.12       # petitions without Lĩnh vực (routed by keywords)
    answered_share: float = 0.85       # written answers given by today (settle_petition)
    long_texts: bool = False           # several requests in one Nội dung, on several lines
    reopened: float = 0.0              # share of the other petitions left unanswered (overdue by today)
    bad_phones: float = 0.0            # share of delegates' phone numbers typed one digit short


SHAPES = {
    "bench": Shape("bench"),
    "busy": Shape("busy", conferences=12, no_field_share=0.33, answered_share=0.25, long_texts=True,
                  reopened=0.9, bad_phones=0.9),
}


@dataclass(frozen=True)
class Size:
    name: str
    delegates: int
    petitions: int


SIZES = {
    "tiny": Size("tiny", 60, 120),
    "S": Size("S", 500, 1_000),
    "M": Size("M", 5_000, 20_000),
    "L": Size("L", 50_000, 200_000),
}


def _conferences(n: int) -> list[dict]:
    """``n`` conferences, twice a year (June, November), the last in November 2024."""
    out = []
    for i in range(n):
        back = n - 1 - i
        year = 2024 - (back + 1) // 2 if back % 2 else 2024 - back // 2
        month = 6 if back % 2 else 11
        day = dt.date(year, month, 21 if month == 6 else 22)
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        half = "đầu" if month == 6 else "cuối"
        out.append({
            "ma": f"HN-{year}-{month:02d}",
            "ten": f"Hội nghị đối thoại giữa Chủ tịch UBND phường với Nhân dân 6 tháng {half} năm {year}",
            "ngay": day, "gio": dt.time(8, 0), "dia_diem": sample_mod.HALL,
            "chu_tri": sample_mod.CONFIG["chu_tich"], "thu_ky": sample_mod.CONFIG["thu_ky"],
            "ngay_thong_bao": day - dt.timedelta(days=10),
        })
    return out


class _Names:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def __call__(self, sex: str) -> str:
        r = self.rng
        if sex == "Nam":
            return f"{r.choice(T.FAMILY)} {r.choice(T.MIDDLE_MALE)} {r.choice(T.GIVEN_MALE)}"
        return f"{r.choice(T.FAMILY)} {r.choice(T.MIDDLE_FEMALE)} {r.choice(T.GIVEN_FEMALE)}"


def build_rows(size: Size, seed: int = 1, shape: Shape = SHAPES["bench"]) -> dict[str, list[dict]]:
    """Rows by sheet key (column key -> value) for the data sheets that vary with size."""
    rng = random.Random(f"{seed}-{size.name}" if shape.name == "bench" else f"{seed}-{size.name}-{shape.name}")
    names = _Names(rng)
    n_conf = shape.conferences or min(MAX_CONFERENCES, max(2, size.delegates // DELEGATES_PER_CONFERENCE // 2 * 2))
    conferences = _conferences(n_conf)
    per_conf = size.delegates // n_conf
    n_groups = max(4, (per_conf - len(T.OFFICIALS)) // 6)
    groups = [{"ma": f"TDP{i:02d}", "ten": f"Tổ dân phố số {i}", "to_truong": names(rng.choice(("Nam", "Nữ"))),
               "dien_thoai": f"0900{100100 + i * 37:06d}"} for i in range(1, n_groups + 1)]
    officials = [(T.OFFICIALS[i % len(T.OFFICIALS)], names(T.OFFICIALS[i % len(T.OFFICIALS)][2]))
                 for i in range(len(T.OFFICIALS))]
    categories = schema.LISTS["thanh_phan"][1]
    phone = 200200
    delegates: list[dict] = []
    speakers: dict[str, list[dict]] = {}
    for ci, conf in enumerate(conferences):
        want = per_conf + (1 if ci < size.delegates - per_conf * n_conf else 0)
        rows: list[dict] = []
        for (cat, title, sex), name in officials:
            if len(rows) >= want:
                break
            rows.append({"ho_ten": name, "gioi_tinh": sex, "nam_sinh": conf["ngay"].year - rng.randint(30, 58),
                         "thanh_phan": categories[cat], "chuc_vu": title})
        seen: set[tuple[str, str]] = set()
        gi = 0
        while len(rows) < want:
            group = groups[gi % n_groups]
            gi += 1
            sex = rng.choice(("Nam", "Nữ"))
            name = names(sex)
            while (name, group["ma"]) in seen:
                name = names(sex)
            seen.add((name, group["ma"]))
            phone += rng.randint(1, 97)
            street = T.STREETS[int(group["ma"][3:]) % len(T.STREETS)]
            rows.append({"ho_ten": name, "gioi_tinh": sex, "nam_sinh": conf["ngay"].year - rng.randint(20, 85),
                         "thanh_phan": schema.CATEGORY_PEOPLE, "chuc_vu": rng.choice(T.REP_TITLES) or None,
                         "to_dan_pho": group["ten"],
                         "dia_chi": f"Số {rng.randint(1, 90)} ngõ {rng.randint(1, 60)} phố {street}",
                         "dien_thoai": f"0900{phone % 1_000_000:06d}" if rng.random() < 0.7 else None})
            if shape.bad_phones and rows[-1]["dien_thoai"] and rng.random() < shape.bad_phones:
                rows[-1]["dien_thoai"] = rows[-1]["dien_thoai"][:-1]
        for stt, row in enumerate(rows, start=1):
            present = rng.random() < 0.92
            row.update(stt=stt, hoi_nghi=conf["ma"], duoc_moi="x", co_mat="x" if present else None)
            if not present and rng.random() < 0.5:
                row["ghi_chu"] = "Vắng có lý do"
        speakers[conf["ma"]] = [r for r in rows if r.get("to_dan_pho") and r.get("co_mat")] or rows
        delegates.extend(rows)

    fields = list(T.PETITIONS)
    petitions: list[dict] = []
    per_conf_p = size.petitions // n_conf
    for ci, conf in enumerate(conferences):
        want = per_conf_p + (1 if ci < size.petitions - per_conf_p * n_conf else 0)
        day = conf["ngay"]
        for _ in range(want):
            who = rng.choice(speakers[conf["ma"]])
            fld = rng.choice(fields)
            template, answer = rng.choice(T.PETITIONS[fld])
            group_no = int(who["to_dan_pho"].rsplit(" ", 1)[1]) if who.get("to_dan_pho") else 1
            street = who["dia_chi"].split(" phố ", 1)[1] if who.get("dia_chi") else T.STREETS[0]
            text = template.format(so=rng.randint(2, 120), ngo=rng.randint(1, 60), pho=street, to=group_no)
            if shape.long_texts:
                text = _long_text(text, rng, street, group_no)
            row = {"hoi_nghi": conf["ma"], "ngay_tiep_nhan": day, "nguoi_kien_nghi": who["ho_ten"],
                   "to_dan_pho": who.get("to_dan_pho"), "linh_vuc": None if rng.random() < shape.no_field_share else fld,
                   "noi_dung": text}
            sample_mod.settle_petition(row, fld, day, answer, today=TODAY, rng=rng,
                                       answered_share=shape.answered_share)
            if shape.reopened and row.get("ngay_tra_loi") and rng.random() < shape.reopened:
                row.update(trang_thai="Đang xử lý", ngay_tra_loi=None, ket_qua=None, hinh_thuc=schema.FORM_WRITTEN)
            petitions.append(row)
    return {
        schema.HOI_NGHI.key: conferences,
        schema.TO_DAN_PHO.key: groups,
        schema.DAI_BIEU.key: delegates,
        schema.KIEN_NGHI.key: petitions,
    }


def _long_text(first: str, rng: random.Random, street: str, group_no: int) -> str:
    """Several requests in one cell, on several lines, as minutes typed from a meeting read."""
    parts = [first]
    while sum(map(len, parts)) < rng.randint(600, 1000):
        fld = rng.choice(list(T.PETITIONS))
        template, _answer = rng.choice(T.PETITIONS[fld])
        parts.append(template.format(so=rng.randint(2, 120), ngo=rng.randint(1, 60), pho=street, to=group_no))
    return "\n".join(f"{i}. {p}" for i, p in enumerate(parts, start=1))


# --- XML splicing -------------------------------------------------------------------

_EPOCH = dt.date(1899, 12, 30)
# Excel keeps text in a shared-strings part; openpyxl writes inline strings, so add the part.
_SST_PART = "xl/sharedStrings.xml"
_SST_TYPE = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
             b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
_SST_REL = (b'<Relationship Id="rIdBenchSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/sharedStrings" Target="sharedStrings.xml"/>')
_SST_ITEM = re.compile(r"<si>(.*?)</si>", re.S)
_TEXT_RUN = re.compile(r"<t[^>]*>(.*?)</t>", re.S)


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


class _Strings:
    def __init__(self, xml: str):
        self.items: list[str] = [_unescape("".join(_TEXT_RUN.findall(si))) for si in _SST_ITEM.findall(xml)]
        self.index = {s: i for i, s in enumerate(self.items)}
        self.count = 0

    def __call__(self, text: str) -> int:
        self.count += 1
        i = self.index.get(text)
        if i is None:
            i = self.index[text] = len(self.items)
            self.items.append(text)
        return i

    def xml(self) -> str:
        parts = []
        for s in self.items:
            space = ' xml:space="preserve"' if s != s.strip() or "\n" in s else ""
            parts.append(f"<si><t{space}>{escape(s)}</t></si>")
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                f'count="{self.count}" uniqueCount="{len(self.items)}">' + "".join(parts) + "</sst>")


def _cell(ref: str, value, style: str, strings: _Strings) -> str:
    s = f' s="{style}"' if style else ""
    if isinstance(value, dt.time):
        return f'<c r="{ref}"{s}><v>{(value.hour * 60 + value.minute) / 1440!r}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}"{s}><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    return f'<c r="{ref}"{s} t="s"><v>{strings(str(value))}</v></c>'


def _splice(xml: str, sheet: schema.Sheet, rows: list[dict], strings: _Strings) -> str:
    head, rest = xml.split("<sheetData>", 1)
    data, tail = rest.split("</sheetData>", 1)
    header = re.search(r'<row r="1".*?</row>', data, re.S).group(0)
    seed = re.search(r'<row r="2".*?</row>', data, re.S).group(0)
    styles = dict(re.findall(r'<c r="([A-Z]+)2"(?: s="(\d+)")?', seed))
    keys = [c.key for c in sheet.columns]
    letters = [a1.col_letter(i) for i in range(1, len(keys) + 1)]
    out = [header]
    for r, row in enumerate(rows, start=2):
        cells = "".join(_cell(f"{letter}{r}", row[key], styles.get(letter, ""), strings)
                        for key, letter in zip(keys, letters) if row.get(key) is not None)
        out.append(f'<row r="{r}">{cells}</row>')
    last = f"{letters[-1]}{len(rows) + 1}"
    head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>', head)
    tail = re.sub(r'<autoFilter ref="[^"]*"', f'<autoFilter ref="A1:{last}"', tail)
    return head + "<sheetData>" + "".join(out) + "</sheetData>" + tail


def _seed_row(sheet: schema.Sheet, first: dict) -> dict:
    """The first row with every staff column filled, so each column gets its cell style."""
    filler = {schema.DATE: TODAY, schema.INT: 1, schema.YEAR: 1970, schema.TIME: dt.time(8, 0)}
    row = dict(first)
    for col in sheet.columns:
        if col.owner == schema.STAFF and row.get(col.key) is None:
            row[col.key] = filler.get(col.type, "x")
    return row


def build_workbook_bytes(size: Size, seed: int = 1, shape: Shape = SHAPES["bench"]) -> bytes:
    rows = build_rows(size, seed, shape)
    big = (schema.DAI_BIEU, schema.KIEN_NGHI)
    data = sample_mod.SampleData(dict(sample_mod.CONFIG), {}, {
        key: value for key, value in rows.items() if key not in {s.key for s in big}})
    for sheet in big:
        data.rows[sheet.key] = [_seed_row(sheet, rows[sheet.key][0])]
    wb = create.build_workbook(data, today=TODAY)
    buffer = io.BytesIO()
    wb.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as zin:
        parts = sheet_parts(zin)
        targets = {parts[s.name]: s for s in big}
        names = set(zin.namelist())
        had_sst = _SST_PART in names
        strings = _Strings(zin.read(_SST_PART).decode("utf-8") if had_sst else "")
        strings.count = len(strings.items)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zout:
            for info in zin.infolist():
                if info.filename == _SST_PART:
                    continue
                payload = zin.read(info.filename)
                if not had_sst and info.filename == "[Content_Types].xml":
                    payload = payload.replace(b"</Types>", _SST_TYPE + b"</Types>")
                if not had_sst and info.filename == "xl/_rels/workbook.xml.rels":
                    payload = payload.replace(b"</Relationships>", _SST_REL + b"</Relationships>")
                if info.filename in targets:
                    sheet = targets[info.filename]
                    payload = _splice(payload.decode("utf-8"), sheet, rows[sheet.key], strings).encode("utf-8")
                zout.writestr(info, payload)
            zout.writestr(_SST_PART, strings.xml().encode("utf-8"))
    return out.getvalue()


def ensure_workbook(size: Size, folder: Path, seed: int = 1, shape: Shape = SHAPES["bench"]) -> Path:
    """The generated workbook for ``size`` and ``shape`` in ``folder`` (cached across runs)."""
    folder.mkdir(parents=True, exist_ok=True)
    kind = "bench" if shape.name == "bench" else f"bench-{shape.name}"
    path = folder / f"{kind}-{size.name}-s{seed}-v{GENERATOR_VERSION}.xlsx"
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_bytes(build_workbook_bytes(size, seed, shape))
        tmp.replace(path)
    return path

