# A checked import can be cancelled (its file is deleted), and the check keeps a preview of the
# first people it would add and change.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0001_member_import_job'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='importjob',
            name='import_job_status_valid',
        ),
        migrations.AddField(
            model_name='importjob',
            name='preview',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name='importjob',
            name='status',
            field=models.CharField(choices=[('uploaded', 'Waiting to be checked'), ('validating', 'Checking'), ('validated', 'Checked'), ('importing', 'Importing'), ('done', 'Done'), ('failed', 'Failed'), ('cancelled', 'Cancelled')], default='uploaded', max_length=12, verbose_name='status'),
        ),
        migrations.AddConstraint(
            model_name='importjob',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['uploaded', 'validating', 'validated', 'importing', 'done', 'failed', 'cancelled'])), name='import_job_status_valid'),
        ),
    ]
