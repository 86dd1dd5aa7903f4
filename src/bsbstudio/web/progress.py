"""Counting an evaluation's data for the dashboard: the circle's state and the progress figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from bsbstudio.analysis.models import CodedSegment
from bsbstudio.conference.models import DialogueConference
from bsbstudio.evaluations.engine.circle import CircleCounts
from bsbstudio.fieldwork.consent import consent_gaps
from bsbstudio.fieldwork.models import Interview
from bsbstudio.fieldwork.recordings.retention import recordings_due_soon
from bsbstudio.fieldwork.sampling import skew_summary
from bsbstudio.guide.models import GuideQuestion
from bsbstudio.reports.models import Report
from bsbstudio.transcripts.models import DeidentifiedText
from bsbstudio.transcripts.progress import transcript_states


def circle_counts(evaluation) -> CircleCounts:
    """Gather the counts ``circle_states`` needs, in a fixed small number of queries."""
    today = timezone.localdate()
    interviews = (
        Interview.objects.filter(evaluation=evaluation)
        .exclude(status=Interview.Status.CANCELLED)
        .annotate(
            transcript_count=Count("transcripts", distinct=True),
            deid_count=Count("transcripts__deidentified_texts", distinct=True),
        )
    )
    # A transcript shows the interview took place even if nobody marked it held.
    held = sum(1 for i in interviews if i.status == Interview.Status.HELD or i.transcript_count)
    texts = DeidentifiedText.objects.filter(transcript__interview__evaluation=evaluation)
    conferences = DialogueConference.objects.filter(evaluation=evaluation)
    measures = evaluation.measures.all()
    return CircleCounts(
        sites=evaluation.sites.count(),
        goals=evaluation.goals.count(),
        problem_statements=evaluation.problem_statements.count(),
        members=evaluation.memberships.count(),
        themes=evaluation.themes.count(),
        groups=evaluation.informant_groups.count(),
        guide_cells_filled=GuideQuestion.objects.filter(theme__evaluation=evaluation)
        .exclude(text="")
        .count(),
        informants=evaluation.informants.count(),
        interviews=len(interviews),
        interviews_held=held,
        interviews_with_transcript=sum(1 for i in interviews if i.transcript_count),
        interviews_deidentified=sum(1 for i in interviews if i.deid_count),
        deidentified_texts_coded=texts.filter(coded_segments__isnull=False)
        .values("transcript__interview")
        .distinct()
        .count(),
        coded_segments=CodedSegment.objects.filter(code__evaluation=evaluation).count(),
        sites_with_process_report=Report.objects.filter(
            evaluation=evaluation, kind=Report.Kind.PROCESS, site__isnull=False
        )
        .values("site")
        .distinct()
        .count(),
        conferences=conferences.count(),
        conferences_held=conferences.filter(date__lte=today).count(),
        sites_with_approved_conference=_sites_with_approved_conference(evaluation, conferences),
        final_reports=Report.objects.filter(evaluation=evaluation, kind=Report.Kind.FINAL).count(),
        final_reports_approved=Report.objects.filter(
            evaluation=evaluation, kind=Report.Kind.FINAL, approvals__isnull=False
        )
        .distinct()
        .count(),
        measures=measures.count(),
        measures_closed=measures.filter(Q(status="done") | Q(status="dropped")).count(),
    )


def _sites_with_approved_conference(evaluation, conferences) -> int:
    """Sites that held a conference with approved minutes; one across all sites counts for all."""
    approved = conferences.filter(minutes_approved_at__isnull=False)
    if approved.filter(site__isnull=True).exists():
        return max(evaluation.sites.count(), 1)
    return approved.values("site").distinct().count()


def informants_per_site(evaluation) -> list[tuple[str, int]]:
    """(site name, number of informants) for every site, for the bar chart."""
    rows = evaluation.sites.annotate(n=Count("informants")).values_list("name", "n")
    return list(rows)


@dataclass(frozen=True)
class FieldworkProgress:
    """What the dashboard shows of steps 3 and 4: interviews, consent, sample, recordings, texts."""

    interviews_planned: int
    interviews_held: int
    interviews_cancelled: int
    consent_gaps: list
    skew: list
    recordings_due: list
    transcripts: dict[str, int]

    @property
    def transcripts_total(self) -> int:
        """Interviews counted in the transcript bar (those with, or due, a transcript)."""
        return sum(self.transcripts.values())


def fieldwork_progress(evaluation) -> FieldworkProgress:
    """Gather the fieldwork and transcript figures of the dashboard."""
    statuses = dict(
        evaluation.interviews.values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return FieldworkProgress(
        interviews_planned=statuses.get(Interview.Status.PLANNED, 0),
        interviews_held=statuses.get(Interview.Status.HELD, 0),
        interviews_cancelled=statuses.get(Interview.Status.CANCELLED, 0),
        consent_gaps=consent_gaps(evaluation),
        skew=skew_summary(evaluation),
        recordings_due=recordings_due_soon(evaluation, within_days=14),
        transcripts=transcript_states(evaluation),
    )
