"""Recognitions keep who their subject is as one string (``models.subject_key``), so the honours
figures count distinct subjects in SQL. Existing rows are filled from their nominations."""

from django.db import migrations, models

CHUNK = 5000


def fill_subject_keys(apps, schema_editor):
    # The rule of ``lantoa.honours.models.subject_key`` as it stands today, copied: a migration
    # must give the same rows whatever the code becomes.
    Recognition = apps.get_model("honours", "Recognition")
    last = 0
    while True:
        rows = list(
            Recognition.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list(
                "pk", "nomination__subject_person_id", "nomination__subject_unit_id", "nomination__subject_name"
            )[:CHUNK]
        )
        if not rows:
            return
        changed = []
        for pk, person_id, unit_id, name in rows:
            if person_id is not None:
                key = f"p:{person_id}"
            elif unit_id is not None:
                key = f"u:{unit_id}"
            else:
                key = f"n:{name.strip().casefold()}"[:250]
            changed.append(Recognition(pk=pk, subject_key=key))
        Recognition.objects.bulk_update(changed, ["subject_key"], batch_size=1000)
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("honours", "0008_certificate_template"),
    ]

    operations = [
        migrations.AddField(
            model_name="recognition",
            name="subject_key",
            field=models.CharField(default="", editable=False, max_length=250, verbose_name="subject"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_subject_keys, migrations.RunPython.noop),
    ]
