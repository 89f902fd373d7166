"""The voting rules Lan Tỏa starts with, as dated data (an office corrects or adds rule sets with a
later ``valid_from``; rounds keep the rule set they were held under)."""

import datetime as dt

from django.db import migrations

RULE_SETS = [
    {
        "name": "Chi bộ bình xét gương điển hình: quá nửa số đảng viên chính thức có mặt tán thành",
        "body": "cell",
        "valid_from": dt.date(2021, 5, 18),
        "quorum": (1, 2, True),
        "base": "present",
        "pass": (1, 2, True),
        "method": "hands",
        "source": "Điều lệ Đảng, Điều 10 (nguyên tắc đa số); hội nghị chi bộ hợp lệ khi quá nửa số "
        "đảng viên chính thức (không tính đảng viên được miễn sinh hoạt) có mặt",
    },
    {
        "name": "Cấp ủy xét đề nghị: quá nửa tổng số cấp ủy viên tán thành",
        "body": "committee",
        "valid_from": dt.date(2021, 5, 18),
        "quorum": (1, 2, True),
        "base": "body",
        "pass": (1, 2, True),
        "method": "hands",
        "source": "Điều lệ Đảng, Điều 10 khoản 5: nghị quyết có giá trị khi quá nửa số thành viên "
        "tán thành",
    },
    {
        "name": "Hội đồng Thi đua – Khen thưởng: quá nửa tổng số thành viên, bỏ phiếu kín",
        "body": "council",
        "valid_from": dt.date(2024, 1, 1),
        "quorum": (1, 2, True),
        "base": "body",
        "pass": (1, 2, True),
        "method": "secret",
        "source": "Luật Thi đua, khen thưởng số 06/2022/QH15 (hiệu lực 01/01/2024)",
    },
]


def seed(apps, schema_editor):
    VoteRuleSet = apps.get_model("honours", "VoteRuleSet")
    for data in RULE_SETS:
        (qn, qd, qs), (pn, pd, ps) = data["quorum"], data["pass"]
        VoteRuleSet.objects.create(
            name=data["name"],
            body=data["body"],
            valid_from=data["valid_from"],
            quorum_numerator=qn,
            quorum_denominator=qd,
            quorum_strict=qs,
            base=data["base"],
            pass_numerator=pn,
            pass_denominator=pd,
            pass_strict=ps,
            method=data["method"],
            source=data["source"],
        )


def unseed(apps, schema_editor):
    apps.get_model("honours", "VoteRuleSet").objects.filter(name__in=[d["name"] for d in RULE_SETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("honours", "0001_nominations_and_votes")]
    operations = [migrations.RunPython(seed, unseed)]
