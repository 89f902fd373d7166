"""The rating rule sets and label kinds as data (rules-vn §2), chosen by the date of each act.

- Hướng dẫn 27-HD/BTCTW (2014), until the 2017 round: "Trong sạch, vững mạnh" was a level.
- Quy định 132-QĐ/TW (08/3/2018), Hướng dẫn 21-HD/BTCTW (2019): four levels; the top level at most
  20% of those at the second in one grassroots organisation; a cell at the top level needs every
  member at the third level or above and 80% at the second or above.
- Quy định 124-QĐ/TW (04/10/2023), Hướng dẫn 25-HD/BTCTW: the same levels and thresholds.
- Quy định 366-QĐ/TW (30/8/2025), Hướng dẫn 43-HD/BTCTW: a 100-point score (30 general + 70 task
  results), bands 90 / 70 / 50.
"""

import datetime as dt

from django.db import migrations

FOUR = ["excellent", "good", "done", "not_done"]
RULE_SETS = [
    dict(
        name="Hướng dẫn 27-HD/BTCTW (thang cũ)",
        valid_from=dt.date(2014, 9, 25),
        valid_to=dt.date(2018, 3, 7),
        levels=["clean_strong", "good", "done", "weak"],
        source="Hướng dẫn 27-HD/BTCTW ngày 25/9/2014 (chỉ dùng cho số liệu cũ)",
    ),
    dict(
        name="Quy định 132-QĐ/TW",
        valid_from=dt.date(2018, 3, 8),
        valid_to=dt.date(2023, 10, 3),
        levels=FOUR,
        quota_numerator=1,
        quota_denominator=5,
        good_share_numerator=4,
        good_share_denominator=5,
        source="Quy định 132-QĐ/TW ngày 08/3/2018; Hướng dẫn 21-HD/BTCTW ngày 18/10/2019",
    ),
    dict(
        name="Quy định 124-QĐ/TW",
        valid_from=dt.date(2023, 10, 4),
        valid_to=dt.date(2025, 8, 29),
        levels=FOUR,
        quota_numerator=1,
        quota_denominator=5,
        good_share_numerator=4,
        good_share_denominator=5,
        source="Quy định 124-QĐ/TW ngày 04/10/2023; Hướng dẫn 25-HD/BTCTW ngày 10/11/2023",
    ),
    dict(
        name="Quy định 366-QĐ/TW",
        valid_from=dt.date(2025, 8, 30),
        valid_to=None,
        levels=FOUR,
        quota_numerator=1,
        quota_denominator=5,
        good_share_numerator=4,
        good_share_denominator=5,
        scored=True,
        score_general_max=30,
        score_tasks_max=70,
        band_excellent=90,
        band_good=70,
        band_done=50,
        source="Quy định 366-QĐ/TW ngày 30/8/2025; Hướng dẫn 43-HD/BTCTW ngày 31/10/2025",
    ),
]
LABELS = [
    dict(
        code="tsvm-tieu-bieu",
        name="Trong sạch, vững mạnh tiêu biểu",
        valid_from=dt.date(2018, 3, 8),
        valid_to=dt.date(2021, 9, 27),
        requires_level="excellent",
        source="Hướng dẫn 21-HD/BTCTW ngày 18/10/2019",
    ),
    dict(
        code="htxsnv-tieu-bieu",
        name="Hoàn thành xuất sắc nhiệm vụ tiêu biểu",
        valid_from=dt.date(2021, 9, 28),
        valid_to=None,
        requires_level="excellent",
        source="Hướng dẫn 01-HD/TW ngày 28/9/2021; Hướng dẫn 06-HD/TW ngày 09/6/2025",
    ),
    dict(
        code="tsvm-toan-dien",
        name="Trong sạch, vững mạnh toàn diện",
        valid_from=dt.date(2018, 3, 8),
        valid_to=None,
        requires_level="",
        source="Chỉ tiêu nghị quyết đại hội đảng bộ địa phương (tiêu chí do cấp ủy ban hành)",
    ),
]


def add(apps, schema_editor):
    RuleSet = apps.get_model("ratings", "RatingRuleSet")
    LabelKind = apps.get_model("ratings", "LabelKind")
    for row in RULE_SETS:
        values = dict(row)
        RuleSet.objects.update_or_create(valid_from=values.pop("valid_from"), defaults=values)
    for row in LABELS:
        values = dict(row)
        LabelKind.objects.update_or_create(code=values.pop("code"), defaults=values)


def remove(apps, schema_editor):
    apps.get_model("ratings", "RatingRuleSet").objects.filter(
        valid_from__in=[r["valid_from"] for r in RULE_SETS]
    ).delete()
    apps.get_model("ratings", "LabelKind").objects.filter(code__in=[r["code"] for r in LABELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_ratings_and_targets")]
    operations = [migrations.RunPython(add, remove)]
