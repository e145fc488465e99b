"""A fictional province: N ward registers for trying `doithoai rollup` (`doithoai init --sample-province`).

Every ward is a register as `doithoai init` makes it (same sheets, lists and
rules, :func:`toolkit.starter.create.build_workbook`), filled with invented
data: one or two conferences with their notice dates and the result-report task
of Công việc (some late), 20–120 petitions (some answered, some forwarded up
by status or by the "Chuyển cấp trên" department, some past their Hạn xử lý),
delegates with names, birth years, addresses and phone numbers. Nothing is a
real person; phone numbers are 0900 xxx xxx.

:func:`make_province` returns what it typed (:class:`ProvinceSample`): tests
compute the expected figures from it on their own, and the planted personal
data (names, phone numbers) that must never reach the roll-up's folder.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.core import defaults, model, schema
from toolkit.starter import sample_texts as T

WORD_A = ("An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Long", "Phước", "Mỹ", "Thới", "Đông", "Tây",
          "Hưng", "Lợi", "Thuận", "Lạc", "Xuân", "Khánh", "Vĩnh", "Quang")
WORD_B = ("Hòa", "An", "Phú", "Lộc", "Thịnh", "Hưng", "Bình", "Thành", "Trung", "Đức", "Tiến", "Hải",
          "Sơn", "Giang", "Lâm", "Nghĩa", "Hiệp", "Mỹ", "Tây", "Khương")
PROVINCE = "thành phố Hải Long"
YEAR_STATUSES = (schema.STATUS_CLOSED[0], schema.STATUS_CLOSED[1], schema.STATUS_CLOSED[2],
                 schema.STATUS_FORWARDED, "Đang xử lý", schema.STATUS_NEW, None)
STATUS_WEIGHTS = (30, 18, 8, 8, 16, 8, 12)
FORWARD_NAME = dict(defaults.DEPARTMENTS)[defaults.FORWARD_DEPARTMENT]


@dataclass
class WardSample:
    """What was typed into one ward's register (column keys of schema, typed values)."""

    file: Path
    ward: str
    config: dict[str, object]
    conferences: list[dict]             # Hội nghị rows
    tasks: list[dict]                   # Công việc rows
    petitions: list[dict]               # Kiến nghị rows
    delegates: list[dict]               # Đại biểu rows
    names: list[str] = field(default_factory=list)    # every person's name typed (personal data)
    phones: list[str] = field(default_factory=list)   # every phone number typed


@dataclass
class ProvinceSample:
    folder: Path
    today: dt.date
    wards: list[WardSample]

    @property
    def names(self) -> list[str]:
        return [n for w in self.wards for n in w.names]

    @property
    def phones(self) -> list[str]:
        return [p for w in self.wards for p in w.phones]


_PAIRS = [(a, b) for b in WORD_B for a in WORD_A if a != b]


def ward_name(i: int) -> str:
    """The i-th fictional ward's name (different for every i)."""
    a, b = _PAIRS[i % len(_PAIRS)]
    cycle = i // len(_PAIRS)
    return f"Phường {a} {b}" + (f" {cycle + 1}" if cycle else "")


def _slug(name: str) -> str:
    from toolkit.core.text import ascii_fold

    return "-".join(ascii_fold(name).split())


class _People:
    def __init__(self, rng: random.Random, start: int):
        self.rng = rng
        self.phone = start

    def name(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return f"{rng.choice(T.FAMILY)} {rng.choice(T.MIDDLE_MALE)} {rng.choice(T.GIVEN_MALE)}"
        return f"{rng.choice(T.FAMILY)} {rng.choice(T.MIDDLE_FEMALE)} {rng.choice(T.GIVEN_FEMALE)}"

    def phone_number(self) -> str:
        self.phone += self.rng.randint(1, 37)
        return f"0900{self.phone % 1_000_000:06d}"


def _conferences(rng: random.Random, today: dt.date) -> list[dict]:
    rows = []
    year = today.year
    for month, half in ((6, "6 tháng đầu năm"), (11, "6 tháng cuối năm")):
        day = dt.date(year, month, rng.randint(10, 24))
        if rng.random() < 0.15:
            continue                      # this ward has not entered that conference
        notice = day - dt.timedelta(days=rng.choice((14, 10, 8, 7, 7, 5, 3)))
        rows.append({"ma": f"HN-{year}-{month:02d}",
                     "ten": f"Hội nghị đối thoại với Nhân dân {half} {year}",
                     "ngay": day, "gio": dt.time(8, 0), "dia_diem": "Hội trường UBND phường",
                     "ngay_thong_bao": notice if rng.random() < 0.92 else None})
    return rows


def _tasks(rng: random.Random, conferences: list[dict], today: dt.date, names_of: dict[str, str]) -> list[dict]:
    from toolkit.rules import tasks

    rows = tasks.seed_rows([c["ma"] for c in conferences], model.Config(), names_of.get)
    day_of = {c["ma"]: c["ngay"] for c in conferences}
    notice_of = {c["ma"]: c["ngay_thong_bao"] for c in conferences}
    for row in rows:
        what = tasks.kind(row["cong_viec"])
        if what == tasks.RESULT_REPORT:
            sent = day_of[row["hoi_nghi"]] + dt.timedelta(days=rng.choice((2, 5, 8, 10, 10, 12, 16)))
            if sent <= today and rng.random() < 0.9:
                row["ngay_hoan_thanh"] = sent
        elif what == tasks.ANNOUNCEMENT and notice_of[row["hoi_nghi"]] is not None:
            row["ngay_hoan_thanh"] = notice_of[row["hoi_nghi"]]
    return rows


def _petitions(rng: random.Random, people: _People, conferences: list[dict], today: dt.date,
               lead_of: dict[str, str], office: str) -> list[dict]:
    fields = schema.LISTS["linh_vuc"][1]
    held = [c for c in conferences if c["ngay"] <= today]
    rows: list[dict] = []
    if not held:
        return rows
    total = rng.randint(20, 120)
    for k in range(total):
        conf = held[k % len(held)]
        day = conf["ngay"]
        fld = rng.choice(fields)
        templates = T.PETITIONS.get(fld) or T.PETITIONS[next(iter(T.PETITIONS))]
        template, answer = rng.choice(templates)
        content = template.format(so=rng.randint(2, 120), ngo=rng.randint(1, 60), pho=rng.choice(T.STREETS),
                                  to=rng.randint(1, 20))
        who = people.name()
        phone = None
        if rng.random() < 0.3:
            phone = people.phone_number()
            content += f" Số điện thoại liên hệ: {phone}."
        status = rng.choices(YEAR_STATUSES, STATUS_WEIGHTS)[0]
        if fld == "Quy hoạch - Bồi thường" or rng.random() < 0.06:
            lead = rng.choice((FORWARD_NAME, FORWARD_NAME, defaults.FORWARD_DEPARTMENT))
        else:
            lead = lead_of.get(fld, office)
        row = {"ma": f"KN-{conf['ma'][3:]}-{k + 1:03d}", "hoi_nghi": conf["ma"], "ngay_tiep_nhan": day,
               "nguoi_kien_nghi": who, "to_dan_pho": f"Tổ {rng.randint(1, 20)}", "linh_vuc": fld,
               "noi_dung": content, "chu_tri": lead,
               "han": day + dt.timedelta(days=rng.randint(10, 90)), "trang_thai": status,
               "_phone": phone}
        if status in schema.STATUS_CLOSED:
            answered = day + dt.timedelta(days=rng.randint(0, 30))
            row["ngay_tra_loi"] = min(answered, today)
            row["ket_qua"] = answer or "Đã trả lời bằng văn bản, hướng dẫn công dân thực hiện theo quy định."
            row["hinh_thuc"] = schema.FORM_WRITTEN
        elif status == schema.STATUS_FORWARDED:
            row["hinh_thuc"] = schema.FORM_FORWARD
            row["ket_qua"] = T.FORWARD_ANSWER
        rows.append(row)
    return rows


def _delegates(rng: random.Random, people: _People, conferences: list[dict]) -> list[dict]:
    rows = []
    code = conferences[0]["ma"] if conferences else ""
    for i in range(rng.randint(8, 20)):
        rows.append({"stt": i + 1, "ho_ten": people.name(), "gioi_tinh": rng.choice(("Nam", "Nữ")),
                     "nam_sinh": rng.randint(1945, 2000), "thanh_phan": schema.CATEGORY_PEOPLE,
                     "to_dan_pho": f"Tổ {rng.randint(1, 20)}",
                     "dia_chi": f"Số {rng.randint(2, 150)} phố {rng.choice(T.STREETS)}",
                     "dien_thoai": people.phone_number(), "hoi_nghi": code, "duoc_moi": "x", "co_mat": "x"})
    return rows


class _Data:
    """The shape create.build_workbook merges (like toolkit.starter.sample.SampleData)."""

    def __init__(self, config, rows):
        self.config, self.rows, self.departments = config, rows, {}


def make_ward(path: Path, index: int, today: dt.date, *, seed: int = 2025) -> WardSample:
    """One fictional ward's register at ``path`` (written atomically) and what was typed in it."""
    from toolkit.starter.create import _save_atomic, build_workbook

    rng = random.Random(seed * 100_003 + index)
    people = _People(rng, 100_000 + index * 997)
    name = ward_name(index)
    structure = defaults.structure_for(today)       # the register init makes for that day: its own Bộ phận
    names_of = dict(structure.departments)
    lead_of = {r.field: names_of[r.lead] for r in structure.rules if r.field}
    conferences = _conferences(rng, today)
    task_rows = _tasks(rng, conferences, today, names_of)
    petitions = _petitions(rng, people, conferences, today, lead_of, names_of[structure.default_department])
    delegates = _delegates(rng, people, conferences)
    config = {"ten_don_vi": f"UBND {name.replace('Phường', 'phường')}", "co_quan_cap_tren": f"UBND {PROVINCE}",
              "dia_danh": name.replace("Phường ", ""), "chu_tich": people.name(), "thu_ky": people.name()}
    written = [{k: v for k, v in p.items() if not k.startswith("_")} for p in petitions]
    groups = [{"ma": f"TDP{i:02d}", "ten": f"Tổ {i}", "to_truong": people.name(), "dien_thoai": people.phone_number()}
              for i in range(1, 21)]
    data = _Data(config, {schema.HOI_NGHI.key: conferences, schema.CONG_VIEC.key: task_rows,
                          schema.KIEN_NGHI.key: written, schema.DAI_BIEU.key: delegates,
                          schema.TO_DAN_PHO.key: groups})
    path.parent.mkdir(parents=True, exist_ok=True)
    _save_atomic(build_workbook(data, today=today, structure=structure), path)
    names = [p["nguoi_kien_nghi"] for p in petitions] + [d["ho_ten"] for d in delegates] + [
        g["to_truong"] for g in groups]
    phones = [p["_phone"] for p in petitions if p["_phone"]] + [d["dien_thoai"] for d in delegates] + [
        g["dien_thoai"] for g in groups]
    return WardSample(path, config["ten_don_vi"], config, conferences, task_rows, written, delegates,
                      names, phones)


def make_province(folder: str | Path, n: int, *, today: dt.date | None = None, seed: int = 2025,
                  progress=None) -> ProvinceSample:
    """``n`` fictional ward registers in ``folder``/<ward>/doi-thoai-<year>.xlsx."""
    folder = Path(folder)
    today = today or dt.date.today()
    wards = []
    for i in range(n):
        path = folder / _slug(ward_name(i)) / f"doi-thoai-{today.year}.xlsx"
        wards.append(make_ward(path, i, today, seed=seed))
        if progress is not None:
            progress(i + 1, n)
    return ProvinceSample(folder, today, wards)
