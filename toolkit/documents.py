"""Official documents from the Word templates (toolkit.wordtemplates: the defaults in
toolkit/templates/, or staff's copies in mau-van-ban/ beside the workbook; DESIGN.md §2 Render, §5).

Each ``render_X(dataset, summary, out_dir, *, today, ...)`` fills one template
with docxtpl (``autoescape=True``): everything staff typed travels as *data*
in the context, so ``{{ }}``, ``{% %}``, ``<`` and ``&`` in a cell appear in
the document literally and are never evaluated or read as markup.

The result is a :class:`Rendered` list of paths with ``messages``: Vietnamese
lines for staff (deadlines, late warnings, PDF problems). Nothing here raises
for a data problem; an unknown session/department/month raises
:class:`errors.UsageError` listing the valid values.

Rules written here because DESIGN.md is silent:

- Counts follow ``summaries``: rows ``summary.left_out`` lists (rows with
  errors) are left out of every document too.
- Invited (Giấy mời): Được mời ticked; when nobody on a conference's list has
  it ticked, everyone listed (as in ``summaries``).
- Documents leaving the ward (ketqua, thang) carry no personal phone numbers:
  mobile numbers typed inside petition text are masked, unless
  ``include_phones=True`` (then the petitioner's phone from Đại biểu is shown).
  Internal slips (phieuchuyen) show the petitioner's phone so the department
  can call back. The public Thông báo never has any.
- Dates in the place-and-date line follow NĐ 30: day < 10 and months 1, 2
  get a leading zero ("ngày 05 tháng 02 năm 2024", "ngày 15 tháng 6 năm 2024").
- A report is due ``Hạn báo cáo kết quả`` calendar days after the conference;
  the announcement ``Thông báo trước hội nghị`` days before it.

Template fields (for staff editing the .docx): co_quan_cap_tren (upper case),
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
import io
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate, Listing

from toolkit import model, references, schema, summaries as sm, values, wordtemplates
from toolkit.errors import OutputError, UsageError
from toolkit.atomic import atomic_write as atomic_write_bytes
from toolkit.text import fold, person_sort_key, strip_diacritics

TEMPLATE_DIR = wordtemplates.PACKAGED_DIR
TEMPLATES = wordtemplates.TEMPLATES
KINDS = wordtemplates.KINDS
PHONE_MASK = "[số điện thoại đã ẩn]"
_MOBILE = re.compile(r"(?<![\d+])(?:\+84|84|0)[ .-]?[35789](?:[ .-]?\d){8}(?!\d)")
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
    return _MOBILE.sub(PHONE_MASK, text or "")


def staff_text(value: str) -> Listing:
    """Staff text, escaped, keeping its line breaks."""
    return Listing(str(value or ""))


def _full_name(unit: str) -> str:
    return re.sub(r"^\s*UBND\b", "Ủy ban nhân dân", unit or "", flags=re.IGNORECASE).strip()


def _noi_nhan(items) -> list[str]:
    items = [str(i).strip().strip(";,.").strip() for i in items if str(i).strip().strip(";,.")]
    return [f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]


def _config_noi_nhan(cfg: model.Config) -> list[str]:
    items = cfg.noi_nhan_bao_cao
    if isinstance(items, str):
        items = items.split(";")
    if not items:
        items = str(schema.CONFIG_BY_KEY["noi_nhan_bao_cao"].default).split(";")
    return _noi_nhan(items)


def _ky_hieu(cfg: model.Config, prefix: str) -> str:
    ky = (cfg.ky_hieu_bao_cao or "BC-UBND").strip()
    if prefix == "BC":
        return ky
    rest = ky.split("-", 1)[1] if "-" in ky else "UBND"
    return f"{prefix}-{rest}"


BLANK_DATE = {"ngay": "……", "thang": "……", "nam": "……"}


def document_date(kind: str, conf: model.Conference | None, cfg: model.Config, today: dt.date) -> dt.date:
    """The date a document carries, from the workbook where it says one.

    - giaymoi / thongbao: the conference's Ngày thông báo (sheet Hội nghị); without
      it, ``giay_moi_truoc`` / ``thong_bao_truoc`` days before the conference.
    - ketqua: the day it is made, once the conference has taken place (inside the
      Hạn báo cáo kết quả window when made on time; a late report is dated the day it
      is made, and a warning says it is late); a draft made before the conference is
      dated the conference day.
    - otherwise (phiếu chuyển, monthly report, no conference date): today.
    """
    if conf is None or conf.ngay is None:
        return today
    if kind in ("giaymoi", "thongbao"):
        if conf.ngay_thong_bao:
            return conf.ngay_thong_bao
        days = cfg.giay_moi_truoc if kind == "giaymoi" else cfg.thong_bao_truoc
        return conf.ngay - dt.timedelta(days=days or 0)
    if kind == "ketqua":
        return max(today, conf.ngay)
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
        "co_quan_cap_tren_thuong": upper or "cấp trên",
        "don_vi": unit,
        "don_vi_day_du": full[:1].upper() + full[1:],
        "don_vi_hoa": full.upper(),
        "dia_danh": (cfg.dia_danh or "").strip() or "……",
        "ky": dict(BLANK_DATE) if getattr(cfg, "de_trong_ngay_ky", False) else nd30_date(signed or today),
        "ky_hieu": _ky_hieu(cfg, prefix),
        "chu_tich": (cfg.chu_tich or "").strip(),
        "noi_nhan": _config_noi_nhan(cfg),
    }


# --- data selection -----------------------------------------------------------

def _left_out(summary: sm.Summary | None) -> set[tuple[str, int]]:
    if summary is None or summary.left_out is None:
        return set()
    return {(fold(r.sheet), r.row) for r in summary.left_out.rows}


def usable_dataset(dataset: model.Dataset, summary: sm.Summary | None) -> model.Dataset:
    """The dataset without the rows the summary left out (rows with errors)."""
    bad = _left_out(summary)
    if not bad:
        return dataset
    kn, db = fold(schema.KIEN_NGHI.name), fold(schema.DAI_BIEU.name)
    return dataclasses.replace(
        dataset,
        petitions=[p for p in dataset.petitions if (kn, p.row) not in bad],
        delegates=[d for d in dataset.delegates if (db, d.row) not in bad])


def _of_conference(records, code: str):
    key = fold(code)
    return [r for r in records if fold(r.hoi_nghi) == key]


def invited_delegates(dataset: model.Dataset, code: str, *, attending: bool = False) -> list[model.Delegate]:
    """Delegates invited to a conference (``attending``: also those present uninvited, as summaries counts)."""
    listed = [d for d in _of_conference(dataset.delegates, code) if d.ho_ten]
    if any(d.duoc_moi for d in listed):
        listed = [d for d in listed if d.duoc_moi or (attending and d.co_mat)]
    return sorted(listed, key=lambda d: person_sort_key(d.ho_ten))


def _conference(dataset: model.Dataset, session: str | None, kind: str, today: dt.date,
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


def _conference_context(c: model.Conference) -> dict:
    dot = conference_round(c)
    return {
        "ma": c.ma, "ten": c.ten or c.ma, "dot": f" {dot}" if dot else "", "ngay": fmt_date(c.ngay) or "……",
        "thu": WEEKDAYS[c.ngay.weekday()] if c.ngay else "", "gio": fmt_time(c.gio),
        "dia_diem": c.dia_diem or "……", "chu_tri": c.chu_tri or "……", "thu_ky": c.thu_ky or "……",
        "thong_bao": f"từ ngày {fmt_date(c.ngay_thong_bao)}" if c.ngay_thong_bao else "trước ngày tổ chức hội nghị",
        "nam": str(c.ngay.year if c.ngay else ""),
    }


class Lookup:
    """Departments or groups by code or name, as typed (toolkit.references resolves)."""

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


def _petitioner(p, groups: Lookup, phones: PhoneBook | None) -> str:
    who = p.nguoi_kien_nghi or ""
    grp = groups.name(p.to_dan_pho)
    text = f"{who} ({grp})" if grp else who
    phone = phones.get(p) if phones is not None else None
    return f"{text}\nĐT: {phone}" if phone else text


# --- rendering and files ------------------------------------------------------------

# docxtpl's resolve_listing (line breaks and tabs of Listing values) rewrites every
# run of every paragraph of the rendered XML with nested regular expressions: about
# a fifth of rendering a report with a 5,000-row table. It only changes paragraphs
# that hold one of these characters, so the others are passed over (same paragraph
# pattern; tests/test_documents.py checks the XML is byte-identical to docxtpl's).
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_LISTING_CHARS = re.compile("[\t\a\n\f]")


class _Template(DocxTemplate):
    def resolve_listing(self, xml):
        resolve = super().resolve_listing
        return _PARAGRAPH.sub(
            lambda m: resolve(m.group(0)) if _LISTING_CHARS.search(m.group(0)) else m.group(0), xml)


def render_template(kind: str, context: dict, path: Path, templates_dir: Path | None = None) -> Path:
    source = wordtemplates.template_path(kind, templates_dir)
    if not source.is_file():
        raise OutputError(f"Không tìm thấy mẫu văn bản {source}. Chạy 'python -m toolkit.maketemplates' để tạo lại "
                          "các mẫu.", code="template-missing")
    tpl = _Template(str(source))
    try:
        tpl.render(context, autoescape=True)
    except jinja2.TemplateError as exc:
        where = f" (dòng {exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise OutputError(f"Mẫu văn bản {source.name} bị lỗi{where}: {exc.message or exc}. Mở mẫu bằng Word, sửa "
                          "lại các trường {{ ... }} và {%p ... %} cho đủ cặp dấu ngoặc"
                          + (f", hoặc xóa tệp này khỏi thư mục {wordtemplates.OVERRIDE_FOLDER} để dùng lại mẫu gốc."
                             if source.parent != wordtemplates.PACKAGED_DIR else
                             ", hoặc tạo lại mẫu gốc bằng 'python -m toolkit.maketemplates'."),
                          code="template-broken") from None
    buf = io.BytesIO()
    tpl.save(buf)
    atomic_write_bytes(path, buf.getvalue())
    return path


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


# --- ketqua: result report per conference ---------------------------------------

def _route_counts(ps) -> dict:
    routes = [sm.answer_route(p) for p in ps]
    return {"tong": len(ps), "tai_hoi_nghi": routes.count("at_conference"),
            "van_ban": routes.count("written"), "cap_tren": routes.count("forwarded")}


def ketqua_context(dataset: model.Dataset, summary: sm.Summary | None, conf: model.Conference, *,
                   today: dt.date, include_phones: bool = False) -> dict:
    data = usable_dataset(dataset, summary)
    cfg = data.config
    groups, depts = Lookup(references.group_names(data)), Lookup(references.department_names(data))
    invited = invited_delegates(data, conf.ma, attending=True)
    ctx = common_context(data, today, "BC", signed=document_date("ketqua", conf, cfg, today))
    ctx["hn"] = _conference_context(conf)

    categories = list(data.lists.get("thanh_phan") or schema.LISTS["thanh_phan"][1])
    by_cat: dict[str, list] = {}
    for d in invited:
        by_cat.setdefault(d.thanh_phan or "(Chưa ghi thành phần)", []).append(d)
    order = [c for c in categories if c in by_cat] + sorted(c for c in by_cat if c not in categories)
    ctx["theo_thanh_phan"] = [{"stt": i, "ten": c, "moi": len(by_cat[c]),
                               "co_mat": sum(1 for d in by_cat[c] if d.co_mat)} for i, c in enumerate(order, 1)]
    people = fold(schema.CATEGORY_PEOPLE)
    reps = [d for d in invited if fold(d.thanh_phan) == people]
    rows = []
    for g in data.groups:
        mine = [d for d in reps if groups.get(d.to_dan_pho) is g]
        lo = g.toi_thieu if g.toi_thieu is not None else cfg.so_dai_bieu_toi_thieu
        hi = g.toi_da if g.toi_da is not None else cfg.so_dai_bieu_toi_da
        rows.append({"ten": g.ten or g.ma, "moi": len(mine), "co_mat": sum(1 for d in mine if d.co_mat),
                         "dinh_muc": f"{lo}-{hi}"})
    loose = [d for d in reps if groups.get(d.to_dan_pho) is None]
    if loose:
        rows.append({"ten": sm.NO_GROUP, "moi": len(loose), "co_mat": sum(1 for d in loose if d.co_mat),
                     "dinh_muc": ""})
    for i, r in enumerate(rows, 1):
        r["stt"] = i
    ctx["theo_to"] = rows
    ctx["tong"] = {
        "moi": len(invited), "co_mat": sum(1 for d in invited if d.co_mat),
        "nhan_dan_moi": len(reps), "nhan_dan_co_mat": sum(1 for d in reps if d.co_mat),
        "so_to": len({id(groups.get(d.to_dan_pho)) for d in reps if d.co_mat and groups.get(d.to_dan_pho)}),
    }

    ps = sorted(_of_conference(data.petitions, conf.ma), key=lambda p: (p.ma or "~", p.row))
    kn = _route_counts(ps)
    unclassified = sum(1 for p in ps if not (p.linh_vuc or "").strip())
    kn["chua_phan_loai_text"] = f" ({unclassified} kiến nghị chưa phân loại lĩnh vực)" if unclassified else ""
    ctx["kn"] = kn
    fields = list(data.lists.get("linh_vuc") or schema.LISTS["linh_vuc"][1])
    by_field: dict[str, list] = {}
    for p in ps:
        by_field.setdefault((p.linh_vuc or "").strip() or sm.NO_FIELD, []).append(p)
    forder = [f for f in fields if f in by_field] + sorted(f for f in by_field if f not in fields and f != sm.NO_FIELD)
    forder += [sm.NO_FIELD] if sm.NO_FIELD in by_field else []
    ctx["theo_linh_vuc"] = [{"stt": i, "ten": f, **_route_counts(by_field[f])} for i, f in enumerate(forder, 1)]

    def clean(text):
        return staff_text(text if include_phones else mask_phones(text))

    phones = PhoneBook(data.delegates) if include_phones else None
    route_label = {"at_conference": "Trả lời tại hội nghị", "written": "Trả lời bằng văn bản",
                   "forwarded": "Chuyển cấp trên"}
    ctx["kien_nghi"] = [{
        "stt": i, "ma": p.ma, "nguoi": clean(_petitioner(p, groups, phones)),
        "noi_dung": clean(p.noi_dung), "linh_vuc": p.linh_vuc or sm.NO_FIELD,
        "chu_tri": depts.name(p.chu_tri, sm.NO_DEPARTMENT), "han": fmt_date(p.han),
        "hinh_thuc": route_label[sm.answer_route(p)],
    } for i, p in enumerate(ps, 1)]

    proposals = []
    if kn["cap_tren"]:
        proposals.append(f"Đề nghị {ctx['co_quan_cap_tren_thuong']} xem xét, giải quyết {kn['cap_tren']} kiến nghị "
                         "vượt thẩm quyền của phường (chi tiết tại Mục II.2).")
    if kn["van_ban"]:
        proposals.append(f"Giao các bộ phận chuyên môn trả lời bằng văn bản {kn['van_ban']} kiến nghị trước hạn "
                         "xử lý; Văn phòng - Thống kê theo dõi, đôn đốc và tổng hợp kết quả.")
    if not proposals:
        proposals.append("Các kiến nghị của Nhân dân đã được trả lời trực tiếp tại hội nghị.")
    ctx["de_xuat"] = proposals
    return ctx


def render_ketqua(dataset, summary, out_dir, *, today: dt.date, session: str | None = None,
                  include_phones: bool = False, templates_dir: Path | None = None) -> Rendered:
    out = Rendered()
    conf = _conference(dataset, session, "ketqua", today, out.messages)
    ctx = ketqua_context(dataset, summary, conf, today=today, include_phones=include_phones)
    out.append(render_template("ketqua", ctx, Path(out_dir) / f"bao-cao-ket-qua-{slug(conf.ma)}.docx", templates_dir))
    days = dataset.config.han_bao_cao
    if conf.ngay:
        due = conf.ngay + dt.timedelta(days=days)
        out.messages.append(f"Báo cáo kết quả hội nghị {conf.ma} phải gửi {ctx['co_quan_cap_tren_thuong']} chậm "
                            f"nhất ngày {fmt_date(due)} ({days} ngày sau hội nghị).")
        if conf.ngay > today:
            out.messages.append(f"Hội nghị {conf.ma} chưa diễn ra (ngày {fmt_date(conf.ngay)}); báo cáo mới là bản "
                                "nháp, số liệu sẽ đầy đủ sau hội nghị.")
        elif today > due:
            out.messages.append(f"Cảnh báo: đã quá hạn gửi báo cáo kết quả hội nghị {conf.ma} "
                                f"{(today - due).days} ngày (hạn {fmt_date(due)}). Trình ký và gửi ngay.")
    return out


# --- giaymoi: invitations -------------------------------------------------------

def _salutation(d: model.Delegate) -> str:
    g = fold(d.gioi_tinh)
    return "Ông" if g == fold("Nam") else "Bà" if g == fold("Nữ") else "Ông/Bà"


def giaymoi_context(dataset, summary, conf: model.Conference, *, today: dt.date) -> dict | None:
    """The invitations' context; None when nobody is invited to the conference."""
    data = usable_dataset(dataset, summary)
    groups = Lookup(references.group_names(data))
    invited = invited_delegates(data, conf.ma)
    if not invited:
        return None
    ctx = common_context(data, today, "GM", signed=document_date("giaymoi", conf, data.config, today))
    ctx["hn"] = _conference_context(conf)
    ctx["noi_nhan"] = _noi_nhan(["Như trên", "Lưu: VT"])
    rows = []
    for d in invited:
        xh = _salutation(d)
        grp = groups.name(d.to_dan_pho)
        if fold(d.thanh_phan) == fold(schema.CATEGORY_PEOPLE):
            desc = f"{schema.CATEGORY_PEOPLE} {grp}".strip() if not d.chuc_vu else f"{d.chuc_vu} - {grp}".strip(" -")
        else:
            desc = d.chuc_vu or d.thanh_phan
        rows.append({"ho_ten": d.ho_ten, "xung_ho": xh, "xung_ho_thuong": xh.lower(),
                     "mo_ta": desc})
    ctx["dai_bieu"] = rows
    return ctx


def render_giaymoi(dataset, summary, out_dir, *, today: dt.date, session: str | None = None,
                   templates_dir: Path | None = None) -> Rendered:
    out = Rendered()
    conf = _conference(usable_dataset(dataset, summary), session, "giaymoi", today, out.messages)
    ctx = giaymoi_context(dataset, summary, conf, today=today)
    if ctx is None:
        out.messages.append(f"Hội nghị {conf.ma} chưa có đại biểu được mời nên chưa làm giấy mời. Đánh dấu cột "
                            "Được mời trong sheet Đại biểu rồi chạy lại.")
        return out
    out.append(render_template("giaymoi", ctx, Path(out_dir) / f"giay-moi-{slug(conf.ma)}.docx", templates_dir))
    out.messages.append(f"Đã làm {len(ctx['dai_bieu'])} giấy mời cho hội nghị {conf.ma} (mỗi đại biểu một trang).")
    return out


# --- phieuchuyen: follow-up slip per department ----------------------------------

def phieuchuyen_context(dataset, summary, dept: model.Department, petitions, *, today: dt.date,
                        calendar=None) -> dict:
    """Days late / left are working days (the unit of Hạn xử lý), as in `check` and the dashboard."""
    from toolkit import assign

    calendar = calendar or _calendar(dataset)
    data = usable_dataset(dataset, summary)
    groups = Lookup(references.group_names(data))
    phones = PhoneBook(data.delegates)

    def order(p):
        late = sm.is_overdue(p, today)
        return (not late, p.han or dt.date.max, p.ma or "~", p.row)

    rows = []
    for i, p in enumerate(sorted(petitions, key=order), 1):
        late, left = assign.overdue(p, today, calendar), assign.days_left(p, today, calendar)
        if p.han is None:
            state = "Chưa có hạn"
        elif late:
            state = f"Quá hạn {late} ngày làm việc"
        elif p.han == today:
            state = "Đến hạn hôm nay"
        else:
            state = f"Còn {left} ngày làm việc"
        rows.append({"stt": i, "ma": p.ma, "nguoi": staff_text(_petitioner(p, groups, phones)),
                     "noi_dung": staff_text(p.noi_dung), "han": fmt_date(p.han), "tinh_trang": state})
    ctx = common_context(data, today, "PC")
    ctx.update({"bp": {"ma": dept.ma, "ten": dept.ten or dept.ma}, "kien_nghi": rows,
                "so_kien_nghi": len(rows), "so_qua_han": sum(1 for p in petitions if sm.is_overdue(p, today)),
                "ngay_lap": fmt_date(today),
                "noi_nhan": _noi_nhan(["Như trên", "Văn phòng - Thống kê (theo dõi)", "Lưu: VT"])})
    return ctx


def department_petitions(dataset: model.Dataset, dept: model.Department) -> list[model.Petition]:
    """The petitions whose Bộ phận chủ trì resolves to ``dept`` (toolkit.references)."""
    return [p for p in dataset.petitions
            if p.chu_tri and references.resolve_department(dataset, p.chu_tri) is dept]


def _calendar(dataset):
    from toolkit.workdays import Calendar

    return Calendar.from_config(dataset.config)


def render_phieuchuyen(dataset, summary, out_dir, *, today: dt.date, department: str | None = None,
                       calendar=None, templates_dir: Path | None = None) -> Rendered:
    out = Rendered()
    data = usable_dataset(dataset, summary)
    depts = [d for d in data.departments if d.ma or d.ten]
    if department:
        chosen = [d for d in depts if fold(department) in (fold(d.ma), fold(d.ten))]
        if not chosen:
            codes = ", ".join(d.ma or d.ten for d in depts) or "(sheet Bộ phận đang trống)"
            raise UsageError(f"Không có bộ phận '{department}'. Các mã bộ phận trong sổ: {codes}. "
                             "Chọn một mã bằng --department.", code="unknown-department")
        depts = chosen
    for dept in depts:
        mine = [p for p in department_petitions(data, dept) if sm.is_open(p)]
        if not mine:
            if department:
                out.messages.append(f"Bộ phận {dept.ma} không có kiến nghị nào đang xử lý; không cần phiếu chuyển.")
            continue
        ctx = phieuchuyen_context(dataset, summary, dept, mine, today=today, calendar=calendar)
        out.append(render_template("phieuchuyen", ctx, Path(out_dir) / f"phieu-chuyen-{slug(dept.ma or dept.ten)}.docx",
                           templates_dir))
        if ctx["so_qua_han"]:
            out.messages.append(f"Bộ phận {dept.ma}: {ctx['so_qua_han']} kiến nghị quá hạn.")
    return out


# --- thongbao: announcement ------------------------------------------------------

def thongbao_context(dataset: model.Dataset, conf: model.Conference, *, today: dt.date) -> dict:
    ctx = common_context(dataset, today, "TB", signed=document_date("thongbao", conf, dataset.config, today))
    ctx["hn"] = _conference_context(conf)
    ctx["thanh_phan"] = [x[2:] for x in _noi_nhan(dataset.lists.get("thanh_phan") or schema.LISTS["thanh_phan"][1])]
    ctx["noi_nhan"] = _noi_nhan(["Đài truyền thanh phường (để phát)", "Các tổ dân phố (để niêm yết)",
                                 "Cổng thông tin điện tử phường", "Lưu: VT"])
    return ctx


def render_thongbao(dataset, summary, out_dir, *, today: dt.date, session: str | None = None,
                    templates_dir: Path | None = None) -> Rendered:
    out = Rendered()
    conf = _conference(dataset, session, "thongbao", today, out.messages)
    ctx = thongbao_context(dataset, conf, today=today)
    out.append(render_template("thongbao", ctx, Path(out_dir) / f"thong-bao-{slug(conf.ma)}.docx", templates_dir))
    days = dataset.config.thong_bao_truoc
    if conf.ngay:
        due = conf.ngay - dt.timedelta(days=days)
        out.messages.append(f"Thông báo hội nghị {conf.ma} cần phát trên đài truyền thanh và niêm yết chậm nhất "
                            f"ngày {fmt_date(due)} ({days} ngày trước hội nghị).")
        sent = conf.ngay_thong_bao
        if sent and sent > due:
            out.messages.append(f"Cảnh báo: ngày thông báo {fmt_date(sent)} muộn hơn hạn {fmt_date(due)}. "
                                "Thông báo sớm hơn hoặc lùi ngày hội nghị.")
        elif not sent and due < today <= conf.ngay:
            out.messages.append(f"Cảnh báo: đã qua hạn thông báo ({fmt_date(due)}). Phát thông báo ngay.")
    return out


# --- thang: the monthly report ---------------------------------------------------------

def active_months(dataset: model.Dataset, today: dt.date) -> list[tuple[int, int]]:
    """Months a monthly report can be made for: today's and any with petitions or a conference."""
    months = {(today.year, today.month)}
    for p in dataset.petitions:
        for d in (p.ngay_tiep_nhan, p.ngay_tra_loi):
            if isinstance(d, dt.date):
                months.add((d.year, d.month))
    for c in dataset.conferences:
        if c.ngay:
            months.add((c.ngay.year, c.ngay.month))
    return sorted(months)


def thang_context(dataset, summary, year: int, month: int, *, today: dt.date, calendar=None,
                  include_phones: bool = False) -> dict:
    """Template context of the monthly report (figures from ``summaries.month_summary``)."""
    data = usable_dataset(dataset, summary)
    ms = sm.month_summary(data, year, month, today=today, calendar=calendar)
    first = dt.date(year, month, 1)
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    ref = min(last, today)
    ctx = common_context(data, today, "BC")
    ctx["thang"] = {"thang": f"{month:02d}", "nam": str(year), "tu": fmt_date(first),
                    "den": fmt_date(last), "moc": fmt_date(ref)}
    forwarded = sum(1 for p in data.petitions if sm.is_forwarded(p) and p.ngay_tiep_nhan
                    and first <= p.ngay_tiep_nhan <= last)

    def still_open(p):
        if p.ngay_tiep_nhan is None or p.ngay_tiep_nhan > ref or sm.is_forwarded(p):
            return False
        return not (sm.is_answered(p) and p.ngay_tra_loi is not None and p.ngay_tra_loi <= ref)

    depts = Lookup(references.department_names(data))
    open_by_dept: dict[str, int] = {}
    for p in data.petitions:
        if still_open(p):
            name = depts.name(p.chu_tri, sm.NO_DEPARTMENT)
            open_by_dept[name] = open_by_dept.get(name, 0) + 1
    n = ms.numbers
    ctx["so"] = {"tiep_nhan": n["received"], "tra_loi": n["answered"], "qua_han": n["overdue"],
                 "cap_tren": forwarded, "dang_xu_ly": sum(open_by_dept.values())}
    ctx["theo_linh_vuc"] = [{"stt": i, "ten": r.name, "tiep_nhan": r.received, "tra_loi": r.answered,
                             "qua_han": r.overdue} for i, r in enumerate(ms.by_field.rows, 1)]
    names = [r.name for r in ms.by_department.rows]
    names += sorted((k for k in open_by_dept if k not in names), key=lambda s: fold(s))
    by_dept = {r.name: r for r in ms.by_department.rows}
    none = sm.MonthCountRow("", 0, 0, 0)
    ctx["theo_bo_phan"] = [{"stt": i, "ten": nm, "tiep_nhan": by_dept.get(nm, none).received,
                            "tra_loi": by_dept.get(nm, none).answered, "qua_han": by_dept.get(nm, none).overdue,
                            "dang_xu_ly": open_by_dept.get(nm, 0)} for i, nm in enumerate(names, 1)]
    late = ms.open_petitions.rows
    ctx["qua_han"] = [{"stt": i, "ma": r.ma, "chu_tri": r.chu_tri, "han": fmt_date(r.han), "so_ngay": r.days_late,
                       "noi_dung": staff_text(r.noi_dung if include_phones else mask_phones(r.noi_dung))}
                      for i, r in enumerate(late, 1)]
    ctx["qua_han_text"] = (f"Đến ngày {fmt_date(ref)} có {len(late)} kiến nghị quá hạn xử lý:" if late
                           else f"Đến ngày {fmt_date(ref)} không có kiến nghị quá hạn.")
    ctx["de_xuat"] = ([f"Đề nghị các bộ phận có kiến nghị quá hạn khẩn trương trả lời bằng văn bản; Văn phòng - "
                       f"Thống kê tiếp tục đôn đốc và báo cáo Chủ tịch {ctx['don_vi']}."] if late else
                      ["Các bộ phận tiếp tục giải quyết kiến nghị của Nhân dân đúng hạn."])
    return ctx


def render_thang(dataset, summary, out_dir, *, today: dt.date, month=None, calendar=None,
                 include_phones: bool = False, templates_dir: Path | None = None) -> Rendered:
    out = Rendered()
    valid = active_months(dataset, today)
    if month is None:   # the latest month with petitions received or answered, up to today
        done = [(d.year, d.month) for p in dataset.petitions for d in (p.ngay_tiep_nhan, p.ngay_tra_loi)
                if isinstance(d, dt.date) and d <= today]
        year, mon = max(done, default=(today.year, today.month))
    else:
        year, mon = values.parse_month(month)
    if (year, mon) not in valid:
        listed = ", ".join(f"{y}-{m:02d}" for y, m in valid)
        raise UsageError(f"Tháng {year}-{mon:02d} không có số liệu. Các tháng có số liệu: {listed}. "
                         "Chọn một tháng bằng --month.", code="unknown-month")
    ctx = thang_context(dataset, summary, year, mon, today=today, calendar=calendar, include_phones=include_phones)
    out.append(render_template("thang", ctx, Path(out_dir) / f"bao-cao-thang-{year}-{mon:02d}.docx",
                                    templates_dir))
    return out



# --- dispatch -------------------------------------------------------------------------

def render_report(kind: str, dataset: model.Dataset, summary: sm.Summary | None, out_dir, *, today: dt.date,
                  session: str | None = None, department: str | None = None, month=None, pdf: bool = False,
                  include_phones: bool = False, calendar=None, templates_dir: Path | None = None) -> Rendered:
    """Render one kind of document into out_dir; ``pdf=True`` adds PDFs when LibreOffice is installed."""
    if kind not in TEMPLATES or kind == "kehoach":     # the year's plan: toolkit.kehoach (passes.make_report)
        raise UsageError(f"Không có loại văn bản '{kind}' ở đây. Chọn một trong: {', '.join(KINDS)}.",
                         code="unknown-kind")
    calendar = calendar or _calendar(dataset)   # days are working days in every document
    if summary is None:
        summary = sm.build(dataset, None, today=today, calendar=calendar)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if kind == "ketqua":
        out = render_ketqua(dataset, summary, out_dir, today=today, session=session, include_phones=include_phones,
                            templates_dir=templates_dir)
    elif kind == "giaymoi":
        out = render_giaymoi(dataset, summary, out_dir, today=today, session=session, templates_dir=templates_dir)
    elif kind == "phieuchuyen":
        out = render_phieuchuyen(dataset, summary, out_dir, today=today, department=department,
                                 calendar=calendar, templates_dir=templates_dir)
    elif kind == "thongbao":
        out = render_thongbao(dataset, summary, out_dir, today=today, session=session, templates_dir=templates_dir)
    else:
        out = render_thang(dataset, summary, out_dir, today=today, month=month, calendar=calendar,
                                  include_phones=include_phones, templates_dir=templates_dir)
    if pdf:
        out.add(to_pdf([p for p in out if p.suffix == ".docx"]))
    return out
