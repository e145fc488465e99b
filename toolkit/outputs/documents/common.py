"""Official documents from the Word templates (toolkit.outputs.wordtemplates: the defaults in
templates/ at the top of the repository, or staff's copies in mau-van-ban/ beside the workbook;
docs/ARCHITECTURE.md, "Documents").

Each ``render_X(dataset, summary, out_dir, *, today, ...)`` fills one template
with docxtpl (``autoescape=True``): everything staff typed travels as *data*
in the context, so ``{{ }}``, ``{% %}``, ``<`` and ``&`` in a cell appear in
the document literally and are never evaluated or read as markup.

The result is a :class:`Rendered` list of paths with ``messages``: Vietnamese
lines for staff (deadlines, late warnings, PDF problems). Nothing here raises
for a data problem; an unknown session/department/month raises
:class:`errors.UsageError` listing the valid values.

Rules written here because docs/ARCHITECTURE.md is silent:

- Counts follow ``summaries``: rows ``summary.left_out`` lists (rows with
  errors) are left out of every document too.
- Invited (Giấy mời): Được mời ticked; when nobody on a conference's list has
  it ticked, everyone listed (as in ``summaries``).
- Personal data: which fields each kind may carry is ``toolkit.outputs.privacy`` (one rule for
  every command): the invitation names its addressee, the phiếu chuyển carries the petitioner's
  name and phone so the department can call back; the others carry no citizen's name or phone,
  and mobile numbers or birth years typed in petition text are masked, unless
  ``include_phones=True`` (``report --with-phones``, internal use).
- Nơi nhận lists end with "Lưu: VT, <đơn vị soạn thảo>." (Cấu hình › Ký hiệu đơn vị soạn
  thảo, default VP); "tỉnh/thành phố" in a list item is the province or city named by
  Cấu hình › Cơ quan cấp trên ("UBND thành phố Hà Nội" → "Sở Nội vụ thành phố Hà Nội").
- Addressees (Kính gửi) are bodies or posts: a department whose name is a field of work
  ("Tài chính - Kế toán") is "Bộ phận Tài chính - Kế toán"; the forwarding department
  ("Chuyển cấp trên") is the body that receives, Cấu hình › Cơ quan cấp trên.
- Dates in the place-and-date line follow NĐ 30: day < 10 and months 1, 2
  get a leading zero ("ngày 05 tháng 02 năm 2024", "ngày 15 tháng 6 năm 2024").
- A report is due ``Hạn báo cáo kết quả`` calendar days after the conference;
  the announcement ``Thông báo trước hội nghị`` days before it. Each document is dated
  by its event (``document_date``), never the day it happens to be rendered, except the
  urging letter, whose figures (days overdue) are those of the day it is made.

Template fields (for staff editing the .docx): ten_co_quan (the header's issuing body,
"ỦY BAN NHÂN DÂN" / "PHƯỜNG HÀ CẦU"), co_quan_cap_tren (upper case),
co_quan_cap_tren_thuong, don_vi (as typed, e.g. "UBND phường Hà Cầu"),
don_vi_day_du ("Ủy ban nhân dân phường Hà Cầu"), don_vi_hoa (upper case),
dia_danh, ky.ngay / ky.thang / ky.nam, ky_hieu, chu_tich, noi_nhan, hn.* (ten,
ma, ngay, thu, gio, dia_diem, chu_tri, thu_ky, thong_bao, nam) and the
per-document lists named in the templates. The monthly report (``thang``) is
built in ``render_thang``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
import os
import re
import shutil
import subprocess
import tempfile
import uuid
import weakref
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate, Listing
from lxml import etree

from toolkit.core import model, references, schema, values

from toolkit.outputs import privacy, summaries, wordtemplates
from toolkit.core.errors import OutputError, UsageError
from toolkit.xlsx.atomic import atomic_write as atomic_write_bytes
from toolkit.core.text import fold, person_sort_key, strip_diacritics

TEMPLATE_DIR = wordtemplates.PACKAGED_DIR
TEMPLATES = wordtemplates.TEMPLATES
KINDS = wordtemplates.KINDS
PHONE_MASK = privacy.PHONE_MASK
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


class Rendered(list):
    """A list of the files written, with messages for staff."""

    def __init__(self, paths=(), messages=()):
        super().__init__(paths)
        self.messages: list[str] = list(messages)

    def add(self, other: "Rendered") -> "Rendered":
        self.extend(other)
        self.messages.extend(other.messages)
        return self


# --- small formatting helpers -------------------------------------------------

def slug(text: str) -> str:
    """Vietnamese without diacritics, safe in a file name: 'HN 2024/06' -> 'HN-2024-06'."""
    s = re.sub(r"[^A-Za-z0-9]+", "-", strip_diacritics(str(text))).strip("-")
    return s or "x"


def fmt_date(d: dt.date | None) -> str:
    return values.date_text(d, with_time=False)


def fmt_time(t: dt.time | None) -> str:
    return f"{t.hour:02d} giờ {t.minute:02d}" if isinstance(t, dt.time) else "…… giờ ……"


def nd30_date(d: dt.date) -> dict:
    """Place-and-date parts in NĐ 30 style."""
    return {"ngay": f"{d.day:02d}", "thang": f"{d.month:02d}" if d.month < 3 else str(d.month),
            "nam": str(d.year)}


def mask_phones(text: str) -> str:
    return privacy.mask_phones(text)


def staff_text(value: str) -> Listing:
    """Staff text, escaped, keeping its line breaks."""
    return Listing(str(value or ""))


def _full_name(unit: str) -> str:
    return re.sub(r"^\s*UBND\b", "Ủy ban nhân dân", unit or "", flags=re.IGNORECASE).strip()


def issuing_body(full_name: str) -> Listing:
    """The issuing body as the header prints it (NĐ 30/2020 Phụ lục I): "ỦY BAN NHÂN DÂN" on its own line,
    the place under it; no body above a People's Committee."""
    upper = " ".join((full_name or "").split()).upper()
    head = "ỦY BAN NHÂN DÂN"
    for spelled in (head, "UỶ BAN NHÂN DÂN", "UBND"):
        if upper.startswith(spelled + " "):
            upper = head + "\n" + upper[len(spelled) + 1:]
            break
    return Listing(upper)


def province(cfg: model.Config) -> str:
    """The province or city the ward reports to, from Cơ quan cấp trên: "UBND thành phố Hà Nội" →
    "thành phố Hà Nội"; blank when not typed or not a province/city."""
    upper = re.sub(r"^\s*(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", "", (cfg.co_quan_cap_tren or "").strip(),
                   flags=re.IGNORECASE)
    return upper if re.match(r"(?:tỉnh|thành phố)\s", upper, flags=re.IGNORECASE) else ""


def upper_body(cfg: model.Config) -> str:
    """Cơ quan cấp trên as typed, or the generic name of the province's People's Committee."""
    return (cfg.co_quan_cap_tren or "").strip() or "UBND tỉnh/thành phố"


def unit_abbr(cfg: model.Config) -> str:
    """The drafting unit's abbreviation (Lưu: VT, VP; ký hiệu UBND-VP)."""
    return (getattr(cfg, "don_vi_soan_thao", "") or "VP").strip() or "VP"


_LUU = re.compile(r"^lưu\b", re.IGNORECASE)


def noi_nhan_lines(items, cfg: model.Config | None = None) -> list[str]:
    """"- item;" lines, the last ending with "." (NĐ 30). With ``cfg``: "tỉnh/thành phố" names the province
    of Cơ quan cấp trên, and the list ends with "Lưu: VT, <đơn vị soạn thảo>" (added when missing, the unit
    added to a bare "Lưu: VT")."""
    items = [str(i).strip().strip(";,.").strip() for i in items if str(i).strip().strip(";,.")]
    if cfg is not None:
        where = province(cfg)
        if where:
            items = [re.sub(r"tỉnh\s*/\s*thành phố", where, i, flags=re.IGNORECASE) for i in items]
        abbr = unit_abbr(cfg)
        luu = [i for i in items if _LUU.match(i)]
        items = [i for i in items if not _LUU.match(i)]
        kept = luu[-1] if luu else "Lưu: VT"
        if "," not in kept:
            kept = f"{kept}, {abbr}"
        items.append(kept)
    return [f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]


def _config_noi_nhan(cfg: model.Config) -> list[str]:
    items = cfg.noi_nhan_bao_cao
    if isinstance(items, str):
        items = items.split(";")
    if not items:
        items = str(schema.CONFIG_BY_KEY["noi_nhan_bao_cao"].default).split(";")
    return noi_nhan_lines(items, cfg)


def _ky_hieu(cfg: model.Config, prefix: str) -> str:
    ky = (cfg.ky_hieu_bao_cao or "BC-UBND").strip()
    if prefix == "BC":
        return ky
    rest = ky.split("-", 1)[1] if "-" in ky else "UBND"
    return f"{prefix}-{rest}"


# Words that begin the name of a body or a post; a department named otherwise names a field of work.
_BODY_WORDS = ("văn phòng", "phòng", "ban", "trung tâm", "công an", "ủy ban", "uỷ ban", "ubnd", "ubmttq", "mttq",
               "mặt trận", "đoàn", "hội", "công chức", "bộ phận", "tổ", "sở", "chi cục", "cục", "công ty", "đội",
               "trạm", "trường", "bệnh viện", "ban chỉ huy", "hđnd", "đảng ủy", "chủ tịch", "phó chủ tịch", "bảo hiểm",
               "kho bạc", "điện lực", "cấp nước", "tòa án", "viện kiểm sát")


def is_forwarding(dept: model.Department) -> bool:
    """The pseudo-department of petitions sent up (Chuyển cấp trên)."""
    from toolkit.core import defaults

    return fold(dept.ma) == fold(defaults.FORWARD_DEPARTMENT) or fold(dept.ten) == fold(schema.FORM_FORWARD)


def addressee(dept: model.Department, cfg: model.Config) -> str:
    """Kính gửi: a body or a post, never a bare field name."""
    if is_forwarding(dept):
        return upper_body(cfg)
    name = (dept.ten or dept.ma or "").strip()
    low = name.lower()
    if any(low == w or low.startswith(w + " ") or low.startswith(w + ",") for w in _BODY_WORDS):
        return name
    return f"Bộ phận {name}"


def office_name(dataset: model.Dataset) -> str:
    """The ward's office (Văn phòng) as named in Bộ phận: code VP, else a name beginning "Văn phòng"."""
    for d in dataset.departments:
        if fold(d.ma) == "vp" and d.ten:
            return d.ten
    for d in dataset.departments:
        if fold(d.ten).startswith(fold("Văn phòng")):
            return d.ten
    return "Văn phòng HĐND và UBND phường"


BLANK_DATE = {"ngay": "……", "thang": "……", "nam": "……"}


def document_date(kind: str, conf: model.Conference | None, cfg: model.Config, today: dt.date) -> dt.date:
    """The date a document carries, from the workbook where it says one.

    - giaymoi / thongbao: the conference's Ngày thông báo (sheet Hội nghị); without
      it, ``giay_moi_truoc`` / ``thong_bao_truoc`` days before the conference.
    - ketqua: the conference's Ngày báo cáo (sheet Hội nghị) when typed; otherwise the day
      it is made, kept inside the legal window: not before the conference (a draft) and
      not after ``Hạn báo cáo kết quả`` days after it (a report made late is dated on
      its due day; a warning says it is late).
    - otherwise (no conference date): today.
    """
    if conf is None or conf.ngay is None:
        return today
    if kind in ("giaymoi", "thongbao"):
        if conf.ngay_thong_bao:
            return conf.ngay_thong_bao
        days = cfg.giay_moi_truoc if kind == "giaymoi" else cfg.thong_bao_truoc
        return conf.ngay - dt.timedelta(days=days or 0)
    if kind == "ketqua":
        if getattr(conf, "ngay_bao_cao", None):
            return conf.ngay_bao_cao
        due = conf.ngay + dt.timedelta(days=cfg.han_bao_cao or 0)
        return min(max(today, conf.ngay), due)
    return today


def common_context(dataset: model.Dataset, today: dt.date, prefix: str = "BC", *,
                   signed: dt.date | None = None) -> dict:
    """Fields every template uses. ``signed`` is the document's date (default today);
    Cấu hình's "Để trống ngày ký văn bản" leaves the date line blank for hand signing."""
    cfg = dataset.config
    unit = (cfg.ten_don_vi or "UBND phường").strip()
    full = _full_name(unit)
    upper = (cfg.co_quan_cap_tren or "").strip()
    return {
        "co_quan_cap_tren": upper.upper(),
        "co_quan_cap_tren_thuong": upper or "UBND tỉnh/thành phố",
        "don_vi": unit,
        "don_vi_day_du": full[:1].upper() + full[1:],
        "don_vi_hoa": full.upper(),
        "ten_co_quan": issuing_body(full),
        "dia_danh": (cfg.dia_danh or "").strip() or "……",
        "ky": dict(BLANK_DATE) if getattr(cfg, "de_trong_ngay_ky", False) else nd30_date(signed or today),
        "ky_hieu": _ky_hieu(cfg, prefix),
        "chu_tich": (cfg.chu_tich or "").strip(),
        "noi_nhan": _config_noi_nhan(cfg),
        "don_vi_soan_thao": unit_abbr(cfg),
    }


# --- data selection -----------------------------------------------------------

def _left_out(summary: summaries.Summary | None) -> set[tuple[str, int]]:
    if summary is None or summary.left_out is None:
        return set()
    return {(fold(r.sheet), r.row) for r in summary.left_out.rows}


def usable_dataset(dataset: model.Dataset, summary: summaries.Summary | None) -> model.Dataset:
    """The dataset without the rows the summary left out (rows with errors); one per
    (dataset, summary) while both live, so the documents of a pass share it and its index."""
    bad = _left_out(summary)
    if not bad:
        return dataset
    key = (id(dataset), id(summary))
    hit = _USABLE.get(key)
    if hit is not None and hit[0]() is dataset and hit[1]() is summary:
        return hit[2]
    kn, db = fold(schema.KIEN_NGHI.name), fold(schema.DAI_BIEU.name)
    usable = dataclasses.replace(
        dataset,
        petitions=[p for p in dataset.petitions if (kn, p.row) not in bad],
        delegates=[d for d in dataset.delegates if (db, d.row) not in bad])
    _USABLE[key] = (weakref.ref(dataset, lambda _r: _USABLE.pop(key, None)),
                    weakref.ref(summary, lambda _r: _USABLE.pop(key, None)), usable)
    return usable


_USABLE: dict[tuple[int, int], tuple] = {}


class _Index:
    """What the documents look up again and again, grouped once per dataset: petitions and
    delegates by conference (folded code as typed), petitions by the department their Bộ
    phận chủ trì resolves to. Built again when the dataset's lists are not the same objects."""

    def __init__(self, dataset: model.Dataset):
        self.stamp = _stamp(dataset)
        self.petitions: dict[str, list] = {}
        self.delegates: dict[str, list] = {}
        for p in dataset.petitions:
            self.petitions.setdefault(fold(p.hoi_nghi), []).append(p)
        for d in dataset.delegates:
            self.delegates.setdefault(fold(d.hoi_nghi), []).append(d)
        self.named: dict[str, list] = {}      # conference -> its delegates with a name, sorted by name
        self.register_digest: str | None = None   # documents.inputs.register_inputs
        self.delegates_digest: str | None = None  # documents.inputs.department_inputs
        self.department_digests: dict[int, str] = {}
        self.record_bytes: dict[int, bytes] = {}   # documents.inputs.digest: each record written out once
        self.by_department: dict[int, list] = {}
        for p in dataset.petitions:
            if p.chu_tri:
                dept = references.resolve_department(dataset, p.chu_tri)
                if dept is not None:
                    self.by_department.setdefault(id(dept), []).append(p)


def _stamp(dataset: model.Dataset) -> tuple:
    return tuple((id(rows), len(rows), id(rows[0]) if rows else 0, id(rows[-1]) if rows else 0)
                 for rows in (dataset.petitions, dataset.delegates, dataset.departments))


_INDEX: dict[int, tuple] = {}


def dataset_index(dataset: model.Dataset) -> _Index:
    """The lookups the documents share for ``dataset``, built once while its lists stay the same."""
    key = id(dataset)
    hit = _INDEX.get(key)
    if hit is not None and hit[0]() is dataset and hit[1].stamp == _stamp(dataset):
        return hit[1]
    index = _Index(dataset)

    def gone(ref, key=key):
        if _INDEX.get(key, (None,))[0] is ref:
            del _INDEX[key]

    _INDEX[key] = (weakref.ref(dataset, gone), index)
    return index


def conference_petitions(dataset: model.Dataset, code: str) -> list[model.Petition]:
    """The petitions whose Hội nghị is ``code`` (folded), in the register's order."""
    return list(dataset_index(dataset).petitions.get(fold(code), ()))


def invited_delegates(dataset: model.Dataset, code: str, *, attending: bool = False) -> list[model.Delegate]:
    """Delegates invited to a conference (``attending``: also those present uninvited, as summaries counts)."""
    index = dataset_index(dataset)
    key = fold(code)
    listed = index.named.get(key)
    if listed is None:      # sorted once per conference, for the invitations and the report alike
        listed = index.named[key] = sorted((d for d in index.delegates.get(key, ()) if d.ho_ten),
                                           key=lambda d: person_sort_key(d.ho_ten))
    if any(d.duoc_moi for d in listed):
        return [d for d in listed if d.duoc_moi or (attending and d.co_mat)]
    return list(listed)


def pick_conference(dataset: model.Dataset, session: str | None, kind: str, today: dt.date,
                messages: list[str]) -> model.Conference:
    confs = [c for c in dataset.conferences if c.ma]
    codes = ", ".join(c.ma for c in confs) or "(chưa có hội nghị nào trong sheet Hội nghị)"
    if session:
        for c in confs:
            if fold(c.ma) == fold(session):
                return c
        raise UsageError(f"Không có hội nghị '{session}'. Các mã hội nghị trong sổ: {codes}. "
                         "Chọn một mã bằng --session.", code="unknown-session")
    if not confs:
        raise UsageError("Sheet Hội nghị chưa có hội nghị nào. Nhập hội nghị vào sheet Hội nghị rồi chạy lại.",
                         code="unknown-session")
    dated = [c for c in confs if c.ngay]
    if kind == "ketqua":
        held = [c for c in dated if c.ngay <= today]
        pick = max(held, key=lambda c: c.ngay) if held else (max(dated, key=lambda c: c.ngay) if dated else confs[-1])
    else:
        coming = [c for c in dated if c.ngay >= today]
        pick = min(coming, key=lambda c: c.ngay) if coming else (max(dated, key=lambda c: c.ngay) if dated else confs[-1])
    if len(confs) > 1:
        messages.append(f"Chưa chọn hội nghị; đang làm cho hội nghị {pick.ma}. Các mã khác: {codes} (chọn bằng --session).")
    return pick


_GENERIC_NAME = re.compile(
    r"^\s*(?:hội nghị\s+)?đối thoại"
    r"(?:\s+giữa\s+chủ tịch\b.*?\s+(?:với|và)\s+nhân dân"
    r"|\s+giữa\s+chủ tịch\s+(?:ubnd|ủy ban nhân dân)(?:\s+phường)?"
    r"|\s+(?:với|và)\s+nhân dân)?"
    r"(?:\s+trên địa bàn(?:\s+phường)?)?[\s,:;-]*", re.IGNORECASE)


def conference_round(c: model.Conference) -> str:
    """What tells this conference from the others, without the words every title already
    says: "Hội nghị đối thoại giữa Chủ tịch UBND phường với Nhân dân 6 tháng đầu năm 2024"
    → "6 tháng đầu năm 2024". A name that is not of that form is kept whole."""
    import unicodedata

    name = unicodedata.normalize("NFC", (c.ten or "").strip())
    rest = _GENERIC_NAME.sub("", name, count=1).strip()
    return rest if rest != name else (f"({name})" if name else "")


def conference_context(c: model.Conference) -> dict:
    dot = conference_round(c)
    return {
        "ma": c.ma, "ten": c.ten or c.ma, "dot": f" {dot}" if dot else "", "ngay": fmt_date(c.ngay) or "……",
        "thu": WEEKDAYS[c.ngay.weekday()] if c.ngay else "", "gio": fmt_time(c.gio),
        "dia_diem": c.dia_diem or "……", "chu_tri": c.chu_tri or "……", "thu_ky": c.thu_ky or "……",
        "thong_bao": f"từ ngày {fmt_date(c.ngay_thong_bao)}" if c.ngay_thong_bao else "trước ngày tổ chức hội nghị",
        "nam": str(c.ngay.year if c.ngay else ""),
    }


class Lookup:
    """Departments or groups by code or name, as typed (toolkit.core.references resolves)."""

    def __init__(self, names: references.Names):
        self._names = names

    def get(self, typed: str):
        return self._names.record(typed)

    def name(self, typed: str, blank: str = "") -> str:
        return self._names.name(typed, blank)


class PhoneBook:
    """A petitioner's phone number from Đại biểu: same name at the same conference
    first, else the same name at any conference (names folded). Built once per
    document, so a slip with thousands of rows does not scan every delegate per row."""

    def __init__(self, delegates):
        self._at: dict[tuple[str, str], str] = {}
        self._any: dict[str, str] = {}
        for d in delegates:
            if d.dien_thoai:
                name = fold(d.ho_ten)
                self._at.setdefault((fold(d.hoi_nghi), name), d.dien_thoai)
                self._any.setdefault(name, d.dien_thoai)

    def get(self, p: model.Petition) -> str | None:
        name = fold(p.nguoi_kien_nghi)
        return self._at.get((fold(p.hoi_nghi), name)) or self._any.get(name)


def petitioner_text(p, groups: Lookup, phones: PhoneBook | None, rule: privacy.Policy | None = None) -> str:
    """Who made the petition, as ``rule`` (toolkit.outputs.privacy; default: the phiếu chuyển's) lets it say."""
    rule = rule or privacy.policy("phieuchuyen")
    phone = phones.get(p) if phones is not None and rule.may(privacy.PHONE) else None
    return rule.petitioner(p.nguoi_kien_nghi or "", groups.name(p.to_dan_pho), phone)


# --- rendering and files ------------------------------------------------------------

# docxtpl's resolve_listing (line breaks and tabs of Listing values) rewrites every
# run of every paragraph of the rendered XML with nested regular expressions: about
# a fifth of rendering a report with a 5,000-row table. It only changes paragraphs
# that hold one of these characters, so the others are passed over (same paragraph
# pattern; tests/test_documents.py checks the XML is byte-identical to docxtpl's).
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_LISTING_CHARS = re.compile("[\t\a\n\f]")


# docxtpl's fix_tables walks every row of every rendered table to mend the column grid that
# {%tc %} (column) tags may have widened or narrowed; without such tags each rendered row is a
# copy of a template row and there is nothing to mend, so the rendered body is only parsed.
# (A fifth of rendering a 1,000-row report; tests/test_documents.py checks the same XML.)
_TAGS_TEXT = re.compile(r"<[^>]*>")
_COLUMN_TAG = re.compile(r"\{%-?\s*tc\s")


@functools.lru_cache(maxsize=64)
def _has_column_tags(xml: str) -> bool:
    return bool(_COLUMN_TAG.search(_TAGS_TEXT.sub("", xml)))


class _Template(DocxTemplate):
    def resolve_listing(self, xml):
        if not _LISTING_CHARS.search(xml):
            return xml
        resolve = super().resolve_listing
        return _PARAGRAPH.sub(
            lambda m: resolve(m.group(0)) if _LISTING_CHARS.search(m.group(0)) else m.group(0), xml)

    def build_xml(self, context, jinja_env=None):
        self._column_tags = _has_column_tags(self.get_xml())
        return super().build_xml(context, jinja_env)

    def fix_tables(self, xml):
        if getattr(self, "_column_tags", True):
            return super().fix_tables(xml)
        return etree.fromstring(xml, parser=etree.XMLParser(recover=True))


class _Jinja(jinja2.Environment):
    """Compiles each template text once per process. docxtpl compiles the body, headers and
    footers of a template at every render, and a pass renders the same template for every
    conference and department (at 5,000 delegates / 20,000 petitions: 560 compilations of
    about 10 texts, a tenth of the documents' time). A compiled template keeps no state."""

    def __init__(self):
        super().__init__(autoescape=True)
        self._cached = functools.lru_cache(maxsize=64)(super().from_string)   # not "_compile": Environment has one

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return self._cached(source)


_JINJA = _Jinja()


# Documents whose template repeats a whole page per row of a list (documents.pages splices them).
PAGE_LOOPS = {"giaymoi": "dai_bieu"}


def render_template(kind: str, context: dict, path: Path, templates_dir: Path | None = None, *,
                    splice_rows: bool = True) -> Path:
    """Render ``kind`` with ``context`` into ``path``. Long table rows are spliced
    (``documents.rows``: the same XML, without Jinja), and the pages of a ``PAGE_LOOPS`` kind
    (``documents.pages``), unless ``splice_rows`` is False."""
    source = wordtemplates.template_path(kind, templates_dir)
    if not source.is_file():
        raise OutputError(f"Không tìm thấy mẫu văn bản {source}. Cài lại doithoai (cai-dat.bat) để có lại "
                          "các mẫu.", code="template-missing")
    atomic_write_bytes(path, render_source(source, context, repeated=PAGE_LOOPS.get(kind) if splice_rows else None,
                                           splice_rows=splice_rows))
    return path


def render_source(source: Path, context: dict, *, repeated: str | None = None, splice_rows: bool = True) -> bytes:
    """The .docx bytes of template file ``source`` rendered with ``context``: long table rows spliced
    (``documents.rows``), and the pages repeated per row of the list ``repeated`` (``documents.pages``),
    unless ``splice_rows`` is False; docxtpl renders what cannot be spliced exactly."""
    from toolkit.outputs.documents.rows import plan, splice

    if repeated:
        from toolkit.outputs.documents.pages import plan as plan_pages, splice as splice_pages

        try:
            probe = plan_pages(source, context, repeated)
        except Exception:   # a template docxtpl cannot read: _render says why, in Vietnamese
            probe = None
        spliced = splice_pages(_render(source, probe), context[repeated]) if probe else None
        return spliced if spliced is not None else _render(source, context)
    try:
        planned = plan(source, context) if splice_rows else None
    except Exception:   # a template docxtpl cannot read: _render says why, in Vietnamese
        planned = None
    data = _render(source, planned[0] if planned else context)
    if planned:
        spliced = splice(data, planned[1], context)
        data = spliced if spliced is not None else _render(source, context)
    return data


def _render(source: Path, context: dict) -> bytes:
    tpl = _Template(str(source))
    try:
        tpl.render(context, jinja_env=_JINJA, autoescape=True)
    except jinja2.TemplateError as exc:
        where = f" (dòng {exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise OutputError(f"Mẫu văn bản {source.name} bị lỗi{where}: {exc.message or exc}. Mở mẫu bằng Word, sửa "
                          "lại các trường {{ ... }} và {%p ... %} cho đủ cặp dấu ngoặc"
                          + (f", hoặc xóa tệp này khỏi thư mục {wordtemplates.OVERRIDE_FOLDER} để dùng lại mẫu gốc."
                             if source.parent != wordtemplates.PACKAGED_DIR else
                             ", hoặc cài lại doithoai (cai-dat.bat) để có lại mẫu gốc."),
                          code="template-broken") from None
    from toolkit.outputs.documents.layout import size_rules

    size_rules(tpl.docx)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def find_soffice() -> str | None:
    """LibreOffice's soffice: on PATH, or where the Windows installer puts it (not on PATH there)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    for base in (os.environ.get("ProgramFiles"), os.environ.get("ProgramFiles(x86)")):
        if base:
            candidate = Path(base) / "LibreOffice" / "program" / "soffice.exe"
            if candidate.is_file():
                return str(candidate)
    return None


def to_pdf(paths: list[Path], *, timeout: int = 240) -> Rendered:
    """Convert .docx files to PDF beside them with LibreOffice (one private profile per call)."""
    out = Rendered()
    soffice = find_soffice()
    if not soffice:
        out.messages.append("Không tìm thấy LibreOffice nên chưa tạo được bản PDF. Cài LibreOffice "
                            "(https://vi.libreoffice.org) rồi chạy lại với --pdf, hoặc mở tệp .docx bằng Word và "
                            "chọn Lưu thành PDF.")
        return out
    if not paths:
        return out
    with tempfile.TemporaryDirectory(prefix="doithoai-pdf-") as tmp:
        tmp = Path(tmp)
        profile = (tmp / f"profile-{uuid.uuid4().hex}").as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(tmp / "out"), *[str(p) for p in paths]]
        try:
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout,
                           check=False)
        except subprocess.TimeoutExpired:
            out.messages.append("LibreOffice chuyển sang PDF quá lâu nên đã dừng. Đóng các cửa sổ LibreOffice "
                                "đang mở rồi chạy lại với --pdf.")
            return out
        for p in paths:
            made = tmp / "out" / (p.stem + ".pdf")
            if made.exists():
                target = p.with_suffix(".pdf")
                atomic_write_bytes(target, made.read_bytes())
                out.append(target)
            else:
                out.messages.append(f"LibreOffice không chuyển được {p.name} sang PDF. Mở tệp bằng Word hoặc "
                                    "LibreOffice và lưu thành PDF.")
    return out


def working_calendar(dataset):
    from toolkit.core.workdays import Calendar

    return Calendar.from_config(dataset.config)


def department_petitions(dataset: model.Dataset, dept: model.Department) -> list[model.Petition]:
    """The petitions whose Bộ phận chủ trì resolves to ``dept`` (toolkit.core.references)."""
    return list(dataset_index(dataset).by_department.get(id(dept), ()))


def chosen_departments(dataset: model.Dataset, department: str | None) -> list[model.Department]:
    """Every department of Bộ phận, or the one ``--department`` names (by code or name, as typed);
    an unknown one is a usage error listing the codes."""
    depts = [d for d in dataset.departments if d.ma or d.ten]
    if not department:
        return depts
    chosen = [d for d in depts if fold(department) in (fold(d.ma), fold(d.ten))]
    if not chosen:
        codes = ", ".join(d.ma or d.ten for d in depts) or "(sheet Bộ phận đang trống)"
        raise UsageError(f"Không có bộ phận '{department}'. Các mã bộ phận trong sổ: {codes}. "
                         "Chọn một mã bằng --department.", code="unknown-department")
    return chosen
