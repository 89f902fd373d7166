# A migration of its own: on PostgreSQL a table's constraint is better not added in the transaction
# that just rewrote its rows.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("honours", "0009_recognition_subject_key"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="recognition",
            constraint=models.CheckConstraint(
                condition=models.Q(("subject_key", ""), _negated=True), name="recognition_subject_key_set"
            ),
        ),
    ]
