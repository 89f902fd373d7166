"""The council's second rule set: a title of the province or above (Chiến sĩ thi đua cấp tỉnh …)
needs at least 90 % of all the council's members, by secret ballot (NĐ 91/2017, kept since). A
session chooses it for such a vote; the usual council rule stays the default."""

import datetime as dt

from django.db import migrations

NAME = "Hội đồng Thi đua – Khen thưởng: danh hiệu cấp tỉnh trở lên, từ 90% tổng số thành viên, bỏ phiếu kín"


def seed(apps, schema_editor):
    apps.get_model("honours", "VoteRuleSet").objects.create(
        name=NAME,
        body="council",
        valid_from=dt.date(2017, 10, 1),
        quorum_numerator=1,
        quorum_denominator=2,
        quorum_strict=True,
        base="body",
        pass_numerator=9,
        pass_denominator=10,
        pass_strict=False,
        method="secret",
        source="NĐ 91/2017/NĐ-CP (Chiến sĩ thi đua cấp tỉnh, toàn quốc: từ 90% tổng số thành viên Hội đồng); "
        "NĐ 98/2023, NĐ 152/2025",
    )


def unseed(apps, schema_editor):
    apps.get_model("honours", "VoteRuleSet").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("honours", "0006_council_list")]
    operations = [migrations.RunPython(seed, unseed)]
