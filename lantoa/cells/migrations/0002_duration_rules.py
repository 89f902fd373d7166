"""The meeting-duration rules as data: before Hướng dẫn 42-HD/BTCTW there was no minimum; from
28/10/2025 a meeting lasts at least 90 minutes, 120 when regular and thematic are combined."""

import datetime as dt

from django.db import migrations

RULES = [
    (dt.date(2018, 7, 6), None, None, "Hướng dẫn 12-HD/BTCTW ngày 06/7/2018 (không quy định thời lượng tối thiểu)"),
    (dt.date(2025, 10, 28), 90, 120, "Chỉ thị 50-CT/TW ngày 23/7/2025; Hướng dẫn 42-HD/BTCTW ngày 28/10/2025"),
]


def add_rules(apps, schema_editor):
    Rule = apps.get_model("cells", "MeetingDurationRule")
    for valid_from, regular, combined, source in RULES:
        Rule.objects.update_or_create(
            valid_from=valid_from,
            defaults={"min_regular_minutes": regular, "min_combined_minutes": combined, "source": source},
        )


def remove_rules(apps, schema_editor):
    apps.get_model("cells", "MeetingDurationRule").objects.filter(valid_from__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("cells", "0001_cell_life")]
    operations = [migrations.RunPython(add_rules, remove_rules)]
