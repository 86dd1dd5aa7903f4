"""Counting an evaluation's data for the dashboard: the circle's state and the progress figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from bsbstudio.analysis.models import CodedSegment
from bsbstudio.conference.models import DialogueConference
from bsbstudio.evaluations.engine.circle import CircleCounts
from bsbstudio.fieldwork.consent import consent_gaps
from bsbstudio.fieldwork.coverage import Coverage, coverage
from bsbstudio.fieldwork.models import Interview
from bsbstudio.fieldwork.recordings.retention import recordings_due_soon
from bsbstudio.fieldwork.sampling import criteria_progress, informant_records, skew_summary
from bsbstudio.reports.models import Report
from bsbstudio.transcripts.models import DeidentifiedText
from bsbstudio.transcripts.progress import transcript_states


def circle_counts(
    evaluation, grid: Coverage | None = None, fieldwork: FieldworkProgress | None = None
) -> CircleCounts:
    """Gather the counts ``circle_states`` needs, in a fixed small number of queries.

    ``grid`` and ``fieldwork`` are the evaluation's coverage and fieldwork figures when the
    caller has them already (the dashboard shows them too).
    """
    grid = grid or coverage(evaluation)
    fieldwork = fieldwork or fieldwork_progress(evaluation, grid)
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
    process_reports = Report.objects.filter(
        evaluation=evaluation, kind=Report.Kind.PROCESS, site__isnull=False
    )
    final_reports = Report.objects.filter(evaluation=evaluation, kind=Report.Kind.FINAL)
    counts = count_each(
        sites=evaluation.sites.all(),
        goals=evaluation.goals.all(),
        problem_statements=evaluation.problem_statements.all(),
        members=evaluation.memberships.all(),
        themes=evaluation.themes.all(),
        groups=evaluation.informant_groups.all(),
        themes_with_question=evaluation.themes.filter(
            Q(questions__text__gt="") | Q(children__questions__text__gt="")
        ).distinct(),
        groups_with_question=evaluation.informant_groups.filter(questions__text__gt="").distinct(),
        informants=evaluation.informants.all(),
        deidentified_texts_coded=texts.filter(coded_segments__isnull=False)
        .values("transcript__interview")
        .distinct(),
        coded_segments=CodedSegment.objects.filter(code__evaluation=evaluation),
        sites_with_process_report=process_reports.values("site").distinct(),
        sites_with_approved_process_report=process_reports.filter(state=Report.State.APPROVED)
        .values("site")
        .distinct(),
        conferences=conferences,
        conferences_held=conferences.filter(date__lte=today),
        final_reports=final_reports,
        # The state, not the approval history: an edit after approval makes a draft again.
        final_reports_approved=final_reports.filter(state=Report.State.APPROVED),
        measures=measures,
        measures_closed=measures.filter(Q(status="done") | Q(status="dropped")),
    )
    return CircleCounts(
        **counts,
        interviews=len(interviews),
        interviews_held=held,
        interviews_with_transcript=sum(1 for i in interviews if i.transcript_count),
        interviews_deidentified=sum(1 for i in interviews if i.deid_count),
        sites_without_approved_process_report=tuple(
            # One subquery, so that kind and state are of the same report.
            evaluation.sites.exclude(
                pk__in=Report.objects.filter(
                    evaluation=evaluation,
                    kind=Report.Kind.PROCESS,
                    state=Report.State.APPROVED,
                    site__isnull=False,
                ).values("site")
            )
            .order_by("order", "name")
            .values_list("name", flat=True)
        ),
        sites_with_approved_conference=_sites_with_approved_conference(evaluation, conferences),
        **_fieldwork_counts(grid, fieldwork),
        **_transcript_counts(fieldwork.transcripts),
        themes_without_material=_themes_without_material(evaluation),
    )


def count_each(**querysets: QuerySet) -> dict[str, int]:
    """Count each queryset as ``.count()`` would, all in one query (one round trip, not 19).

    Django counts one queryset per query; the dashboard needs about twenty small counts, so this
    puts each one's SQL in a sub-select of a single ``SELECT``.
    """
    selects, params = [], []
    for queryset in querysets.values():
        if queryset._fields is None:  # rows of a model: count their keys, distinct as asked
            queryset = queryset.values("pk")
        sql, query_params = queryset.order_by().query.get_compiler(connection=connection).as_sql()
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))


def _transcript_counts(states: dict[str, int]) -> dict:
    """Step 4 by the newest transcript of each interview that took place."""
    return {
        "transcripts_missing": states.get("missing", 0),
        "transcripts_raw": states.get("raw", 0),
        "texts_unapproved": states.get("deidentified", 0),
        "texts_approved": states.get("approved", 0),
    }


def _themes_without_material(evaluation) -> tuple[str, ...]:
    """Top-level guide themes with no coded quote on them or on any of their sub-themes."""
    coded = set(
        CodedSegment.objects.filter(
            code__evaluation=evaluation, code__theme__isnull=False
        ).values_list("code__theme_id", "code__theme__parent_id")
    )
    with_material = {pk for pair in coded for pk in pair if pk is not None}
    return tuple(
        evaluation.themes.filter(parent__isnull=True)
        .exclude(pk__in=with_material)
        .order_by("order", "id")
        .values_list("name", flat=True)
    )


def _fieldwork_counts(grid: Coverage, fieldwork: FieldworkProgress) -> dict:
    """What step 3 is judged on: coverage of sites and groups, participants, consent, targets."""
    names = dict(grid.groups)
    covered = {
        (row.site, cell.group_name) for row in grid.rows for cell in row.cells if not cell.gap
    }
    covered |= {("", names[code]) for code in grid.covered_groups if code in names}
    not_planned = {
        (row.site, cell.group_name) for row in grid.rows for cell in row.cells if cell.not_planned
    }
    return {
        "site_names": tuple(row.site for row in grid.rows),
        "group_names": tuple(name for _code, name in grid.groups),
        "covered": frozenset(covered),
        "sites_interviewed": frozenset(row.site for row in grid.rows if row.interviews),
        "not_planned": frozenset(not_planned),
        "interviews_held_with_participants": grid.interviews_held
        - len(grid.held_without_participants),
        "held_without_participants": tuple(grid.held_without_participants),
        "consent_gaps": len(fieldwork.consent_gaps),
        "targets_short": fieldwork.criteria - fieldwork.criteria_met,
    }


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
    took_place: int  # interviews held, or planned with a date passed (consent is due)
    without_participants: list[str]  # codes of those with nobody registered as taking part
    criteria: int  # sampling targets set: criteria and the cells' own targets
    criteria_met: int
    coverage_gaps: int  # site × group cells with nobody interviewed

    @property
    def consent_checked(self) -> bool:
        """Whether "no consent gaps" is true: interviews took place, all with participants."""
        return bool(self.took_place) and not self.without_participants and not self.consent_gaps

    @property
    def all_targets_met(self) -> bool:
        """Targets exist and every one is reached."""
        return self.criteria > 0 and self.criteria_met == self.criteria

    @property
    def transcripts_total(self) -> int:
        """Interviews counted in the transcript bar (those with, or due, a transcript)."""
        return sum(self.transcripts.values())


def fieldwork_progress(evaluation, grid: Coverage | None = None) -> FieldworkProgress:
    """Gather the fieldwork and transcript figures of the dashboard."""
    grid = grid or coverage(evaluation)
    statuses = dict(
        evaluation.interviews.values("status")
        .annotate(n=Count("pk"))
        .order_by("status")
        .values_list("status", "n")
    )
    took_place = (
        evaluation.interviews.exclude(status=Interview.Status.CANCELLED)
        .filter(Q(status=Interview.Status.HELD) | Q(date__lt=timezone.localdate()))
        .annotate(participants=Count("participations"))
        .order_by("date", "code")
        .values_list("code", "participants")
    )
    took_place = list(took_place)
    records = informant_records(evaluation)
    progress = criteria_progress(evaluation, records)
    return FieldworkProgress(
        interviews_planned=statuses.get(Interview.Status.PLANNED, 0),
        interviews_held=statuses.get(Interview.Status.HELD, 0),
        interviews_cancelled=statuses.get(Interview.Status.CANCELLED, 0),
        consent_gaps=consent_gaps(evaluation),
        skew=skew_summary(evaluation, records),
        recordings_due=recordings_due_soon(evaluation, within_days=14),
        transcripts=transcript_states(evaluation),
        took_place=len(took_place),
        without_participants=[code for code, n in took_place if not n],
        criteria=len(progress) + len(grid.plan_targets),
        criteria_met=sum(1 for _criterion, p in progress if p.met)
        + sum(1 for cell in grid.plan_targets if not cell.below_target),
        coverage_gaps=grid.gaps,
    )
