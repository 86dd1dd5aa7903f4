"""Each coded segment points to the speaker turn it starts in; existing segments are filled in."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_turns(apps, schema_editor):
    """Set every segment's turn to the last turn of its text that starts at or before it."""
    CodedSegment = apps.get_model("analysis", "CodedSegment")
    SpeakerTurn = apps.get_model("transcripts", "SpeakerTurn")
    starting_turn = (
        SpeakerTurn.objects.filter(
            deidentified_text_id=models.OuterRef("text_id"), start__lte=models.OuterRef("start")
        )
        .order_by("-start", "-order")
        .values("pk")[:1]
    )
    CodedSegment.objects.update(turn=models.Subquery(starting_turn))


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0001_initial"),
        ("transcripts", "0004_transcript_import"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="codedsegment",
            name="turn",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="transcripts.speakerturn",
            ),
        ),
        migrations.AddIndex(
            model_name="codedsegment",
            index=models.Index(
                fields=["code", "polarity", "directness", "turn", "text"], name="segment_matrix"
            ),
        ),
        migrations.RunPython(fill_turns, migrations.RunPython.noop),
    ]
