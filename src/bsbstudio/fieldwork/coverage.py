"""The site × group coverage of an evaluation, counted from held interviews in a few queries.

The grid itself is ``engine.coverage``. An interview counts as held when it is marked held or has
a transcript (the transcript shows it took place), never when it is cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from .engine import coverage as engine
from .models import Interview, Participation, SamplingCriterion, SiteGroupPlan


def held_interviews(evaluation):
    """The evaluation's held interviews (marked held, or with a transcript; not cancelled)."""
    return (
        Interview.objects.filter(evaluation=evaluation)
        .exclude(status=Interview.Status.CANCELLED)
        .filter(Q(status=Interview.Status.HELD) | Q(transcripts__isnull=False))
        .distinct()
    )


@dataclass(frozen=True)
class Coverage:
    """The grid, and what the dashboard's fieldwork step needs from it."""

    rows: list[engine.Row]
    groups: list[tuple[str, str]]  # (code, name) in order
    interviews_held: int
    held_without_participants: list[str]  # interview codes
    covered_groups: set[str]  # group codes interviewed anywhere (also from interviews without site)
    # (site name, group code) -> (target or None, planned), for the cells the plan names.
    cell_plans: dict = field(default_factory=dict)

    @property
    def plan_targets(self) -> list[engine.Cell]:
        """Cells whose own plan sets a target (the per-site criteria are counted on their own)."""
        return [
            cell
            for row in self.rows
            for cell in row.cells
            if cell.planned and self.cell_plans.get((row.site, cell.group), (None,))[0] is not None
        ]

    @property
    def gaps(self) -> int:
        """Cells where nobody of the group from the site was interviewed."""
        return sum(1 for row in self.rows for cell in row.cells if cell.gap)

    @property
    def has_targets(self) -> bool:
        """Whether any planned cell has a target (a per-site criterion or a cell's own plan)."""
        return any(
            cell.target is not None and cell.planned for row in self.rows for cell in row.cells
        )

    @property
    def not_planned(self) -> int:
        """Cells the plan leaves out (a group not to be interviewed at a site)."""
        return sum(1 for row in self.rows for cell in row.cells if cell.not_planned)

    @property
    def cells_below_target(self) -> int:
        """Planned cells with a target not yet reached."""
        return sum(len(row.below_target) for row in self.rows)


def coverage(evaluation) -> Coverage:
    """Count held interviews and informants per site and group (six queries)."""
    held_ids = list(held_interviews(evaluation).values_list("pk", flat=True))
    participations = Participation.objects.filter(interview_id__in=held_ids).annotate(
        site_name=Coalesce("interview__site__name", "informant__site__name")
    )
    counts = [
        engine.CellCount(row["site_name"], row["informant__group__code"], row["i"], row["n"])
        for row in participations.values("site_name", "informant__group__code")
        .annotate(i=Count("interview", distinct=True), n=Count("informant", distinct=True))
        .order_by("site_name", "informant__group__code")
    ]
    # A site counts as visited by an interview held there, or by a participant from it.
    site_interviews = {
        name: n
        for name, n in participations.values("site_name")
        .annotate(n=Count("interview", distinct=True))
        .order_by("site_name")
        .values_list("site_name", "n")
        if name is not None
    }
    for name, n in (
        Interview.objects.filter(pk__in=held_ids, site__isnull=False)
        .values("site__name")
        .annotate(n=Count("pk"))
        .order_by("site__name")
        .values_list("site__name", "n")
    ):
        site_interviews[name] = max(site_interviews.get(name, 0), n)
    without = list(
        Interview.objects.filter(pk__in=held_ids, participations__isnull=True)
        .order_by("date", "code")
        .values_list("code", flat=True)
    )
    groups = list(evaluation.informant_groups.order_by("order", "code").values_list("code", "name"))
    targets = {}
    for value, target in evaluation.sampling_criteria.filter(
        attribute=SamplingCriterion.Attribute.GROUP, per_site=True
    ).values_list("value", "target"):
        code = next((c for c, _name in groups if c.casefold() == value.strip().casefold()), None)
        if code is not None:
            targets[code] = max(targets.get(code, 0), target)
    sites = list(evaluation.sites.order_by("order", "name").values_list("name", flat=True))
    cell_plans = {
        (site, group): (target, planned)
        for site, group, target, planned in SiteGroupPlan.objects.filter(
            site__evaluation=evaluation
        ).values_list("site__name", "group__code", "target", "planned")
    }
    return Coverage(
        rows=engine.coverage_grid(sites, groups, counts, site_interviews, targets, cell_plans),
        groups=groups,
        interviews_held=len(held_ids),
        held_without_participants=without,
        covered_groups={c.group for c in counts},
        cell_plans=cell_plans,
    )
