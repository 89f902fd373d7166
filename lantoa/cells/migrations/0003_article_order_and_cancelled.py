"""Bulletin: the editor orders accepted articles in an issue; a cell may cancel an assignment
(kept, with its history, instead of deleted)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cells', '0002_duration_rules'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='order',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='order in the issue'),
        ),
        migrations.AlterField(
            model_name='article',
            name='status',
            field=models.CharField(choices=[('assigned', 'Assigned'), ('submitted', 'Submitted'), ('edited', 'Edited, accepted'), ('published', 'Published'), ('returned', 'Returned for changes'), ('cancelled', 'Cancelled')], default='assigned', max_length=10),
        ),
    ]
