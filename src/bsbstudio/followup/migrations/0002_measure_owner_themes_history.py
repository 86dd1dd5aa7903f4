"""Measures get an owner (was "responsible"), themes, the status "agreed", a source and a history.

Existing rows keep their text, site, due date and status; each gets a first history entry with
its current status, dated the day of the migration, so every measure has a history.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

STATUS_CHOICES = [
    ("proposed", "Proposed"),
    ("agreed", "Agreed"),
    ("started", "Started"),
    ("done", "Done"),
    ("dropped", "Dropped"),
]


def first_history(apps, schema_editor):
    Measure = apps.get_model("followup", "Measure")
    Change = apps.get_model("followup", "MeasureStatusChange")
    today = timezone.localdate()
    Change.objects.bulk_create(
        Change(measure_id=pk, from_status="", to_status=status, changed_on=today)
        for pk, status in Measure.objects.order_by("pk").values_list("pk", "status")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_initial"),
        ("conference", "0002_plan_agenda_groups_validation"),
        ("guide", "0002_guidequestion_subquestions_guideversion"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="measure", old_name="responsible", new_name="owner"),
        migrations.AlterField(
            model_name="measure",
            name="owner",
            field=models.CharField(
                blank=True,
                help_text=(
                    "The service or role that is responsible, for example “the team leader”. "
                    "Do not write a person's name or other private information."
                ),
                max_length=200,
                verbose_name="owner",
            ),
        ),
        migrations.AlterField(
            model_name="measure",
            name="status",
            field=models.CharField(
                choices=STATUS_CHOICES, default="proposed", max_length=10, verbose_name="status"
            ),
        ),
        migrations.AlterField(
            model_name="measure",
            name="site",
            field=models.ForeignKey(
                blank=True,
                help_text="Leave empty when the measure concerns every site.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="evaluations.site",
                verbose_name="site",
            ),
        ),
        migrations.AddField(
            model_name="measure",
            name="themes",
            field=models.ManyToManyField(
                blank=True, related_name="measures", to="guide.theme", verbose_name="themes"
            ),
        ),
        migrations.AddField(
            model_name="measure",
            name="source_output",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="measures",
                to="conference.groupoutput",
                verbose_name="proposed by a conference group",
            ),
        ),
        migrations.CreateModel(
            name="MeasureStatusChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "from_status",
                    models.CharField(
                        blank=True, choices=STATUS_CHOICES, max_length=10, verbose_name="from"
                    ),
                ),
                (
                    "to_status",
                    models.CharField(choices=STATUS_CHOICES, max_length=10, verbose_name="to"),
                ),
                ("changed_on", models.DateField(verbose_name="date")),
                ("comment", models.TextField(blank=True, verbose_name="comment")),
                (
                    "changed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "measure",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="history",
                        to="followup.measure",
                    ),
                ),
            ],
            options={
                "verbose_name": "status change",
                "verbose_name_plural": "status changes",
                "ordering": ["measure", "changed_on", "id"],
            },
        ),
        migrations.RunPython(first_history, migrations.RunPython.noop),
    ]
