"""Deterministic synthetic data for the sample workbook (`doithoai init --sample`).

The ward is UBND phường Hà Cầu (the seed plan, tests/fixtures/seed/); every person,
address and phone number is invented. A handful of deliberate mistakes, each
of a different kind, show a newcomer `doithoai check` at work; their cells
are exported as :data:`DELIBERATE_MISTAKES`, computed from where they were
actually put.

Regenerate the committed sample with::

    doithoai init workbooks/mau/doi-thoai-2024.xlsx --sample --force
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.core import defaults, schema
from toolkit.starter import sample_texts as T
from toolkit.core.text import fold

SEED = 20240621
SAMPLE_TODAY = dt.date(2024, 12, 10)
N_GROUPS = 20
PETITIONS_PER_CONFERENCE = (42, 38)
HALL = "Hội trường tầng 3, Trụ sở Đảng ủy - UBND phường, số 163 đường Lê Hồng Phong"
FORBIDDEN_NAMES = ("Dương Thế Vinh",)

CONFIG = {
    "ten_don_vi": "UBND phường Hà Cầu",
    "co_quan_cap_tren": "UBND quận Hà Đông",
    "dia_danh": "Hà Cầu",
    "chu_tich": "Phạm Quang Huy",
    "thu_ky": "Nguyễn Thị Thu Trang",
    "ngay_lam_bu": "04/05/2024",
    "ngay_nghi_them": "29/04/2024",
    # 2024, before the two-level local government (1 July 2025): the ward reported to its district,
    # and Hà Nội's wards planned under Nghị định 32/2021/NĐ-CP. Kept as history, not today's defaults.
    "noi_nhan_bao_cao": "Thường trực HĐND quận; UBND quận; Chủ tịch UBND quận; Tổ đại biểu HĐND quận; "
                        "TT ĐU - UBND phường; Lưu: VT",
    "can_cu_ke_hoach": "Điều 12 Nghị định số 32/2021/NĐ-CP ngày 29/3/2021 của Chính phủ quy định chi tiết và biện "
                       "pháp thi hành Nghị quyết số 97/2019/QH14 ngày 27/11/2019 của Quốc hội về thí điểm tổ chức mô "
                       "hình chính quyền đô thị tại thành phố Hà Nội; Quy chế làm việc của UBND phường",
    "noi_nhan_ke_hoach": "UBND quận; Văn phòng HĐND và UBND quận; Phòng Nội vụ quận; TT ĐU - UBND phường; "
                         "UBMTTQ, các hội đoàn thể phường; Các bộ phận chuyên môn; Lưu: VT",
}
# The 2024 Thành phần list (Danh mục): the district's delegates, as the seed plan names them.
THANH_PHAN_2024 = ("Đại biểu HĐND quận",) + tuple(
    c for c in schema.LISTS["thanh_phan"][1] if c != schema.LISTS["thanh_phan"][1][0])

# (code, name, date, time, notice date)
CONFERENCES = (
    ("HN-2024-06", "Hội nghị đối thoại giữa Chủ tịch UBND phường với Nhân dân 6 tháng đầu năm 2024",
     dt.date(2024, 6, 21), dt.time(8, 0), dt.date(2024, 6, 11)),
    ("HN-2024-11", "Hội nghị đối thoại giữa Chủ tịch UBND phường với Nhân dân 6 tháng cuối năm 2024",
     dt.date(2024, 11, 22), dt.time(8, 0), dt.date(2024, 11, 12)),
)

# The kinds of deliberate mistakes (finding codes of toolkit.core.findings).
_MARK = "_mistake"   # row-dict key carrying (column key, finding code); removed before writing


@dataclass
class SampleData:
    config: dict[str, object]
    departments: dict[str, dict]                      # department code -> extra column values
    rows: dict[str, list[dict]]                       # sheet key -> rows (column key -> value)
    mistakes: list[tuple[str, int, str, str]] = field(default_factory=list)


class _People:
    """Invented, unique names and fake phone numbers."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: list[str] = [fold(n) for n in FORBIDDEN_NAMES]
        self.phone = 100100

    def name(self, sex: str) -> str:
        rng = self.rng
        while True:
            if sex == "Nam":
                name = f"{rng.choice(T.FAMILY)} {rng.choice(T.MIDDLE_MALE)} {rng.choice(T.GIVEN_MALE)}"
            else:
                name = f"{rng.choice(T.FAMILY)} {rng.choice(T.MIDDLE_FEMALE)} {rng.choice(T.GIVEN_FEMALE)}"
            if fold(name) not in self.used:
                self.used.append(fold(name))
                return name

    def reserve(self, name: str) -> str:
        self.used.append(fold(name))
        return name

    def phone_number(self) -> str:
        self.phone += self.rng.randint(1, 97)
        return f"0900{self.phone:06d}"   # obviously fake: 0900 1xx xxx


def _sex(rng: random.Random) -> str:
    return "Nam" if rng.random() < 0.5 else "Nữ"


def _build_groups(rng, people) -> list[dict]:
    rows = []
    for i in range(1, N_GROUPS + 1):
        rows.append({
            "ma": f"TDP{i:02d}",
            "ten": f"Tổ dân phố số {i}",
            "to_truong": people.name(_sex(rng)),
            "dien_thoai": people.phone_number(),
        })
    return rows


def _departments(people) -> dict[str, dict]:
    out = {}
    for code, _name in defaults.DEPARTMENTS:
        if code == defaults.FORWARD_DEPARTMENT:
            continue
        out[code] = {
            "phu_trach": people.name("Nam" if len(out) % 2 else "Nữ"),
            "dien_thoai": people.phone_number(),
            "email": f"{code.lower()}@hacau.example.com",
        }
    return out


def _official_rows(rng, people) -> list[dict]:
    categories = THANH_PHAN_2024
    rows = []
    for index, (cat, title, sex) in enumerate(T.OFFICIALS):
        if title.startswith("Chủ tịch UBND"):
            name = people.reserve(CONFIG["chu_tich"])
        elif title.startswith("Công chức Văn phòng"):
            name = people.reserve(CONFIG["thu_ky"])
        else:
            name = people.name(sex)
        rows.append({
            "ho_ten": name, "gioi_tinh": sex, "nam_sinh": rng.randint(1966, 1992),
            "thanh_phan": categories[cat], "chuc_vu": title,
            "dien_thoai": people.phone_number() if index % 3 else None,
        })
    return rows


def _rep(rng, people, group: dict, street: str) -> dict:
    sex = _sex(rng)
    return {
        "ho_ten": people.name(sex), "gioi_tinh": sex, "nam_sinh": rng.randint(1942, 1998),
        "thanh_phan": schema.CATEGORY_PEOPLE, "chuc_vu": rng.choice(T.REP_TITLES) or None,
        "to_dan_pho": group["ten"],
        "dia_chi": f"Số {rng.randint(1, 90)} ngõ {rng.randint(1, 60)} phố {street}",
        "dien_thoai": people.phone_number() if rng.random() < 0.7 else None,
    }


def _attend(rng, row: dict, code: str, official: bool) -> dict:
    out = dict(row, hoi_nghi=code, duoc_moi="x")
    present = rng.random() < (0.95 if official else 0.9)
    out["co_mat"] = "x" if present else None
    if not present and rng.random() < 0.6:
        out["ghi_chu"] = "Vắng có lý do"
    return out


def _build_delegates(rng, people, groups) -> list[dict]:
    officials = _official_rows(rng, people)
    low_group = groups[13]          # below quota at the second conference (deliberate)
    reps_june: dict[str, list[dict]] = {}
    rows: list[dict] = []
    for ci, (code, *_rest) in enumerate(CONFERENCES):
        conf_rows = [_attend(rng, o, code, True) for o in officials]
        if ci == 0:   # a clerk added an official twice (deliberate)
            dup = dict(conf_rows[16])
            dup[_MARK] = ("ho_ten", "delegate-duplicate")
            conf_rows.append(dup)
        for gi, group in enumerate(groups):
            street = T.STREETS[gi % len(T.STREETS)]
            want = rng.choice((5, 5, 6, 6, 6, 7))
            if ci == 0:
                members = [_rep(rng, people, group, street) for _ in range(want)]
                reps_june[group["ma"]] = members
            else:
                kept = [m for m in reps_june[group["ma"]] if rng.random() < 0.8]
                while len(kept) < want:
                    kept.append(_rep(rng, people, group, street))
                members = kept[:want]
                if group is low_group:
                    members = members[:4]
            group_rows = [_attend(rng, m, code, False) for m in members]
            if ci == 0 and gi == 4:   # a phone number missing a digit (deliberate)
                group_rows[2]["dien_thoai"] = "098 765 432"
                group_rows[2][_MARK] = ("dien_thoai", "phone-invalid")
            if ci == 1 and gi == 8:   # a citizen representative without a group (deliberate)
                extra = _attend(rng, _rep(rng, people, group, street), code, False)
                extra["to_dan_pho"] = None
                extra[_MARK] = ("to_dan_pho", "group-required")
                group_rows.append(extra)
            conf_rows.extend(group_rows)
        for stt, row in enumerate(conf_rows, start=1):
            row["stt"] = stt
        rows.extend(conf_rows)
    low_group[_MARK] = ("ma", "group-quota-low")
    return rows


def _field_sequence(rng, n: int) -> list[str]:
    fields = list(schema.LISTS["linh_vuc"][1])
    weights = {"Giao thông - Hạ tầng": 4, "Môi trường - Vệ sinh": 5, "Xây dựng - Trật tự đô thị": 4,
               "An ninh trật tự": 4, "Chính sách xã hội": 3, "Đất đai": 3}
    seq = fields * 2
    pool = [f for f in fields for _ in range(weights.get(f, 1))]
    while len(seq) < n:
        seq.append(rng.choice(pool))
    rng.shuffle(seq)
    return seq


def _add_working_days(day: dt.date, n: int) -> dt.date:
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def _build_petitions(rng, delegates, today: dt.date) -> list[dict]:
    dept_name = dict(defaults.DEPARTMENTS)
    lead_by_field = {r.field: r.lead for r in defaults.RULES if r.field}
    seq = _field_sequence(rng, sum(PETITIONS_PER_CONFERENCE))
    rows: list[dict] = []
    used_texts: list[str] = []
    k = 0
    for (code, _name, day, _time, _notice), count in zip(CONFERENCES, PETITIONS_PER_CONFERENCE):
        speakers = [d for d in delegates if d["hoi_nghi"] == code and d.get("co_mat")
                    and d["thanh_phan"] == schema.CATEGORY_PEOPLE and d.get("to_dan_pho")]
        for i in range(count):
            fld = seq[k]
            k += 1
            who = rng.choice(speakers)
            group_no = int(who["to_dan_pho"].rsplit(" ", 1)[1])
            street = who["dia_chi"].split(" phố ", 1)[1]
            for attempt in range(30):
                template, answer = rng.choice(T.PETITIONS[fld])
                text = template.format(so=rng.randint(2, 120), ngo=rng.randint(1, 60), pho=street, to=group_no)
                if attempt >= 10:   # the same concern raised again by another citizen
                    text = f"Nhiều hộ ở tổ {group_no} cùng phản ánh: {text[0].lower()}{text[1:]}"
                if text not in used_texts:
                    break
            used_texts.append(text)
            row = {"hoi_nghi": code, "ngay_tiep_nhan": day, "nguoi_kien_nghi": who["ho_ten"],
                   "to_dan_pho": who["to_dan_pho"], "linh_vuc": fld, "noi_dung": text}
            if seq.count(fld) >= 4 and rng.random() < 0.12:
                row["linh_vuc"] = None     # the toolkit routes it by keywords
            settle_petition(row, fld, day, answer, today=today, rng=rng, answered_share=0.75)
            rows.append(row)
        # The clerk numbered and routed the first petitions by hand.
        first = [r for r in rows if r["hoi_nghi"] == code][:3]
        for n, row in enumerate(first, start=1):
            row["ma"] = f"KN-{code[3:]}-{n:03d}"
        for row in first[:2]:
            lead = lead_by_field.get(row["linh_vuc"] or "", defaults.DEFAULT_DEPARTMENT)
            row["chu_tri"] = dept_name[lead]
            row["han"] = _add_working_days(row["ngay_tiep_nhan"], 15)
    _plant_petition_mistakes(rows)
    return rows


def settle_petition(row: dict, fld: str, day: dt.date, answer: str, *, today: dt.date, rng: random.Random,
                    answered_share: float) -> None:
    """How a petition received on ``day`` was handled: forwarded up (planning and
    compensation, a quarter of land cases), answered at the conference, or answered in
    writing 8–45 days later — by ``today`` for ``answered_share`` of those, the rest
    still in progress or untouched. Also used by bench/generate.py (other shares)."""
    r = rng.random()
    if fld == "Quy hoạch - Bồi thường" or (fld == "Đất đai" and r < 0.25):
        row.update(hinh_thuc=schema.FORM_FORWARD, trang_thai=schema.STATUS_FORWARDED, ket_qua=T.FORWARD_ANSWER)
    elif r < 0.45:
        row.update(hinh_thuc=schema.FORM_AT_CONFERENCE, trang_thai=schema.STATUS_CLOSED[0],
                   ngay_tra_loi=day, ket_qua=answer)
    else:
        row["hinh_thuc"] = schema.FORM_WRITTEN
        answered = day + dt.timedelta(days=rng.randint(8, 45))
        if answered <= today and rng.random() < answered_share:
            done = rng.random() < 0.3
            row.update(trang_thai=schema.STATUS_CLOSED[2 if done else 1], ngay_tra_loi=answered, ket_qua=answer)
        else:
            row["trang_thai"] = "Đang xử lý" if rng.random() < 0.6 else None


def _plant_petition_mistakes(rows: list[dict]) -> None:
    def pick(pred, start):
        return next(r for r in rows[start:] if pred(r) and _MARK not in r and "ma" not in r)

    # An impossible date typed as text on a petition still being handled.
    row = pick(lambda r: r.get("trang_thai") == "Đang xử lý", 10)
    row["ngay_tra_loi"] = "31/02/2024"
    row[_MARK] = ("ngay_tra_loi", "date-invalid")
    # A field typed by hand, not picked from the list.
    row = pick(lambda r: r["linh_vuc"] == "Môi trường - Vệ sinh"
               and sum(x["linh_vuc"] == "Môi trường - Vệ sinh" for x in rows) > 2, 5)
    row["linh_vuc"] = "Vệ sinh môi trường"
    row[_MARK] = ("linh_vuc", "value-not-in-list")
    # Answered in writing, but the answer date was forgotten.
    row = pick(lambda r: r.get("trang_thai") == schema.STATUS_CLOSED[1], 20)
    row["ngay_tra_loi"] = None
    row[_MARK] = ("ngay_tra_loi", "closed-without-answer")


def _conference_rows() -> list[dict]:
    return [
        {"ma": code, "ten": name, "ngay": day, "gio": time, "dia_diem": HALL,
         "chu_tri": CONFIG["chu_tich"], "thu_ky": CONFIG["thu_ky"],
         "ngay_thong_bao": notice}
        for code, name, day, time, notice in CONFERENCES
    ]


def _build_tasks(today: dt.date) -> list[dict]:
    """Công việc of both conferences: the plan's tasks, done by their dates (the announcement on the
    conference's Ngày thông báo; now and then a day late); those not yet due by ``today`` stay open.
    Its own random stream, so the other sheets are the same as before the sheet existed."""
    from toolkit.core import duerules, model, workdays
    from toolkit.rules import tasks

    rng = random.Random(SEED + 16)
    config = model.Config()
    calendar = workdays.Calendar(extra_workdays=[dt.date(2024, 5, 4)], extra_holidays=[dt.date(2024, 4, 29)])
    rows = tasks.seed_rows([c[0] for c in CONFERENCES], config)
    days = {code: (day, notice) for code, _name, day, _time, notice in CONFERENCES}
    for row in rows:
        day, notice = days[row["hoi_nghi"]]
        due = duerules.resolve(duerules.parse_due(row["han"]), day, calendar)
        if tasks.kind(row["cong_viec"]) == tasks.ANNOUNCEMENT:
            done = notice
        elif tasks.kind(row["cong_viec"]) == tasks.RESULT_REPORT or due >= day:
            done = due - dt.timedelta(days=rng.choice((0, 0, 1, 2)))
        else:
            done = due + dt.timedelta(days=rng.choice((-2, -1, 0, 0, 0, 1)))
        while done.weekday() >= 5:
            done -= dt.timedelta(days=1)
        if due <= today and done <= today:
            row["ngay_hoan_thanh"] = done
            if done > due:
                row["ghi_chu"] = "Xong chậm 1 ngày"
    return rows


def build(today: dt.date = SAMPLE_TODAY) -> SampleData:
    """The sample data, the same for the same ``today``."""
    rng = random.Random(SEED)
    people = _People(rng)
    groups = _build_groups(rng, people)
    departments = _departments(people)
    delegates = _build_delegates(rng, people, groups)
    petitions = _build_petitions(rng, delegates, today)
    rows = {
        schema.HOI_NGHI.key: _conference_rows(),
        schema.TO_DAN_PHO.key: groups,
        schema.DAI_BIEU.key: delegates,
        schema.KIEN_NGHI.key: petitions,
        schema.CONG_VIEC.key: _build_tasks(today),
    }
    mistakes = []
    for sheet_key, sheet_rows in rows.items():
        for index, row in enumerate(sheet_rows):
            mark = row.pop(_MARK, None)
            if mark:
                mistakes.append((sheet_key, schema.FIRST_DATA_ROW + index, mark[0], mark[1]))
    order = {s.key: i for i, s in enumerate(schema.DATA_SHEETS)}
    mistakes.sort(key=lambda m: (order[m[0]], m[1]))
    rows[schema.DANH_MUC.key] = _danh_muc_rows()
    return SampleData(dict(CONFIG), departments, rows, mistakes)


def _danh_muc_rows() -> list[dict]:
    """Danh mục as init writes it, with the 2024 Thành phần list."""
    lists = {key: (THANH_PHAN_2024 if key == "thanh_phan" else values) for key, (_h, values) in schema.LISTS.items()}
    return [{key: (vals[i] if i < len(vals) else None) for key, vals in lists.items()}
            for i in range(max(len(v) for v in lists.values()))]


DELIBERATE_MISTAKES: list[tuple[str, int, str, str]] = build().mistakes

SAMPLE_FOLDER = "mau"
WORKING_FOLDER = "workbooks"


def seed_working_folder(folder: Path) -> list[Path]:
    """Copy the committed sample workbooks into a source checkout's working folder.

    Only for the folder named ``workbooks`` that holds the committed
    ``mau/`` subfolder (the quick start's ``doithoai watch workbooks``), and
    only while that folder holds no workbook of its own: the watcher (which
    does not look into subfolders) then writes into the copies, never into
    the committed ``workbooks/mau/`` originals, so the checkout stays clean.
    Any other folder is left alone. Returns the copies made.
    """
    import shutil

    folder = Path(folder)
    source = folder / SAMPLE_FOLDER
    if folder.name != WORKING_FOLDER or not source.is_dir() or (folder.exists() and not folder.is_dir()):
        return []
    originals = sorted(p for p in source.glob("*.xlsx") if not p.name.startswith(("~$", ".~lock")))
    if not originals:
        return []
    if folder.is_dir() and any(p.suffix.lower() in (".xlsx", ".xlsm") for p in folder.iterdir()):
        return []
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for original in originals:
        target = folder / original.name
        shutil.copyfile(original, target)
        made.append(target)
    return made
