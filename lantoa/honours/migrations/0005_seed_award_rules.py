"""The commendation rules Lan Tỏa starts with, as dated data (rules-vn §3): the forms and titles,
who may grant what to whom, the coefficients and the base salary. An office adds a row with a later
``valid_from`` when a rule changes; decisions keep the amount computed on their date."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

PARTY_RULES = "HD 01-HD/TW (2016, 2021) mục 19; HD 06-HD/TW (09/6/2025) khoản 19"
STATE_RULES = "Luật Thi đua, khen thưởng 2022, Điều 80; NĐ 152/2025/NĐ-CP"
ALWAYS = dt.date(2016, 1, 1)
REFORM_EVE = dt.date(2025, 6, 30)

FORMS = [
    ("party-giay-khen", "Giấy khen", "party"),
    ("party-bang-khen", "Bằng khen", "party"),
    ("party-co-thi-dua", "Cờ thi đua", "party"),
    ("huy-hieu-dang", "Huy hiệu Đảng", "party"),
    ("state-giay-khen", "Giấy khen", "state"),
]
TITLES = [
    ("lao-dong-tien-tien", "Lao động tiên tiến", False),
    ("chien-si-thi-dua-co-so", "Chiến sĩ thi đua cơ sở", False),
    ("tap-the-lao-dong-tien-tien", "Tập thể lao động tiên tiến", True),
    ("tap-the-lao-dong-xuat-sac", "Tập thể lao động xuất sắc", True),
]
# (form or title code, collective, coefficient, valid from, source)
RATES = [
    ("party-giay-khen", False, "0.3", dt.date(2015, 10, 27), "HD 56-HD/VPTW (27/10/2015)"),
    ("party-giay-khen", True, "0.6", dt.date(2015, 10, 27), "HD 56-HD/VPTW; CV 19780-CV/VPTW (29/12/2025)"),
    ("state-giay-khen", False, "0.3", dt.date(2017, 10, 1), "NĐ 91/2017, NĐ 98/2023, NĐ 152/2025"),
    ("state-giay-khen", True, "0.6", dt.date(2017, 10, 1), "NĐ 91/2017, NĐ 98/2023, NĐ 152/2025"),
    ("lao-dong-tien-tien", False, "0.3", dt.date(2017, 10, 1), "NĐ 91/2017, NĐ 98/2023, NĐ 152/2025"),
    ("chien-si-thi-dua-co-so", False, "1", dt.date(2017, 10, 1), "NĐ 91/2017, NĐ 98/2023, NĐ 152/2025"),
    ("tap-the-lao-dong-tien-tien", True, "0.8", dt.date(2017, 10, 1), "NĐ 91/2017, NĐ 98/2023, NĐ 152/2025"),
    ("tap-the-lao-dong-xuat-sac", True, "1.5", dt.date(2017, 10, 1), "NĐ 91/2017, NĐ 98/2023, NĐ 152/2025"),
]
BASE_SALARIES = [
    (1_300_000, dt.date(2018, 7, 1), "NĐ 72/2018/NĐ-CP"),
    (1_490_000, dt.date(2019, 7, 1), "NĐ 38/2019/NĐ-CP"),
    (1_800_000, dt.date(2023, 7, 1), "NĐ 24/2023/NĐ-CP"),
    (2_340_000, dt.date(2024, 7, 1), "NĐ 73/2024/NĐ-CP"),
]

EVERYONE = ("member", "person", "party_unit", "collective")
CELLS = ("cell", "group", "sub_committee", "grassroots_cell")
COMMITTEES = ("grassroots", "commune", "district", "province")
# (granting kinds, recognition, form, title, subjects, valid to, source)
AUTHORITIES = [
    # Every Party body introduces and praises its examples; a cell may do nothing more.
    (CELLS + COMMITTEES, "introduce", None, None, EVERYONE, None, PARTY_RULES),
    (CELLS + COMMITTEES, "praise", None, None, EVERYONE, None, PARTY_RULES),
    # A grassroots cell or committee gives giấy khen to its members (and its cells).
    (("grassroots_cell",), "reward", "party-giay-khen", None, ("member",), None, PARTY_RULES),
    (("grassroots", "commune"), "reward", "party-giay-khen", None, ("member", "party_unit"), None, PARTY_RULES),
    # The district's standing committee, until the districts closed (1/7/2025).
    (("district",), "reward", "party-giay-khen", None, ("member", "party_unit"), REFORM_EVE, PARTY_RULES),
    (("province",), "reward", "party-bang-khen", None, ("member", "party_unit"), None, PARTY_RULES),
    (("province",), "reward", "party-co-thi-dua", None, ("party_unit",), None, PARTY_RULES),
    (("province",), "reward", "huy-hieu-dang", None, ("member",), None, PARTY_RULES),
    # The head of an agency: State titles and giấy khen (Luật TĐKT Điều 80).
    (("agency",), "reward", "state-giay-khen", None, ("member", "person", "collective"), None, STATE_RULES),
    (("agency",), "reward", None, "lao-dong-tien-tien", ("member", "person"), None, STATE_RULES),
    (("agency",), "reward", None, "chien-si-thi-dua-co-so", ("member", "person"), None, STATE_RULES),
    (("agency",), "reward", None, "tap-the-lao-dong-tien-tien", ("collective",), None, STATE_RULES),
    (("agency",), "reward", None, "tap-the-lao-dong-xuat-sac", ("collective",), None, STATE_RULES),
]


def seed(apps, schema_editor):
    AwardForm = apps.get_model("honours", "AwardForm")
    EmulationTitle = apps.get_model("honours", "EmulationTitle")
    forms = {code: AwardForm.objects.create(code=code, name=name, system=system) for code, name, system in FORMS}
    titles = {
        code: EmulationTitle.objects.create(code=code, name=name, for_collectives=collective)
        for code, name, collective in TITLES
    }
    AwardRate = apps.get_model("honours", "AwardRate")
    for code, collective, coefficient, valid_from, source in RATES:
        AwardRate.objects.create(
            form=forms.get(code),
            title=titles.get(code),
            collective=collective,
            coefficient=Decimal(coefficient),
            valid_from=valid_from,
            source=source,
        )
    BaseSalary = apps.get_model("honours", "BaseSalary")
    for amount, valid_from, source in BASE_SALARIES:
        BaseSalary.objects.create(amount=amount, valid_from=valid_from, source=source)
    AwardAuthority = apps.get_model("honours", "AwardAuthority")
    AwardAuthority.objects.bulk_create(
        AwardAuthority(
            granting_kind=granting_kind,
            kind=kind,
            form=forms.get(form) if form else None,
            title=titles.get(title) if title else None,
            subject=subject,
            valid_from=ALWAYS,
            valid_to=valid_to,
            source=source,
        )
        for granting_kinds, kind, form, title, subjects, valid_to, source in AUTHORITIES
        for granting_kind in granting_kinds
        for subject in subjects
    )


def unseed(apps, schema_editor):
    for model in ("AwardAuthority", "AwardRate", "BaseSalary", "AwardForm", "EmulationTitle"):
        apps.get_model("honours", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("honours", "0004_decisions")]
    operations = [migrations.RunPython(seed, unseed)]
