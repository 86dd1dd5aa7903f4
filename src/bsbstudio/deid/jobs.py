"""De-identification of a large transcript as background work (``bsbstudio.jobs``).

Making the de-identified text of a long transcript takes longer than a page should wait; above
``settings.JOBS_DEID_CHARS`` characters the review page starts this job instead and shows its
progress. The work is ``actions.create_deidentified_text``, run for the person who asked.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from bsbstudio.accounts.policy import Action
from bsbstudio.errors import gettext_noop
from bsbstudio.jobs.api import JobFailed, job, start
from bsbstudio.transcripts.models import Transcript

from . import actions

KIND = "deid.create_text"


@job(
    KIND,
    action=Action.REVIEW_DEID,
    idempotent=True,  # a retry after a crash sees the text the first run made and stops
    unit="characters",
    stages={"deidentifying": gettext_noop("De-identifying the transcript")},
)
def create_text_job(ctx, *, transcript_id: int, after_version: int) -> None:
    """Make the de-identified text of one transcript, unless a newer one exists already."""
    transcript = Transcript.objects.select_related("interview__evaluation").get(pk=transcript_id)
    size = len(transcript.raw_text)
    ctx.progress(0, size, stage="deidentifying")
    latest = transcript.deidentified_texts.aggregate(v=Max("version"))["v"] or 0
    if latest <= after_version:
        try:
            with transaction.atomic():
                actions.create_deidentified_text(ctx.job.started_by, transcript)
        except actions.ReviewIncomplete as error:
            raise JobFailed(
                gettext_noop(
                    "Every hit must be confirmed or rejected before the de-identified text can "
                    "be made."
                )
            ) from error
    ctx.progress(size, size, stage="deidentifying")


def start_create_text(user, transcript: Transcript):
    """Start (or find) the job that makes ``transcript``'s de-identified text."""
    latest = transcript.deidentified_texts.aggregate(v=Max("version"))["v"] or 0
    return start(
        KIND,
        evaluation=transcript.interview.evaluation,
        user=user,
        key=f"transcript-{transcript.pk}-v{latest}",
        args={"transcript_id": transcript.pk, "after_version": latest},
    )
