"""Counting measures by status: per site for the overview chart, and for the dashboard's step 9."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Measure

# One colour per status for the chart's bars (each bar also has its number in the table).
STATUS_COLOURS = {
    Measure.Status.PROPOSED: "#9aa5b1",
    Measure.Status.AGREED: "#5b8def",
    Measure.Status.STARTED: "#e0a526",
    Measure.Status.DONE: "#2f9e5b",
    Measure.Status.DROPPED: "#6b6b6b",
}
CHART_WIDTH = 300


@dataclass
class StatusCounts:
    """How many measures have each status, and how many are overdue."""

    name: str
    counts: dict = field(default_factory=dict)
    overdue: int = 0

    @property
    def total(self) -> int:
        """All measures counted."""
        return sum(self.counts.values())

    @property
    def closed(self) -> int:
        """Measures done or dropped."""
        return sum(self.counts.get(s, 0) for s in Measure.CLOSED)

    def cells(self) -> list[tuple[str, int]]:
        """(status label, count) for every status, in the order of the statuses."""
        return [(label, self.counts.get(value, 0)) for value, label in Measure.Status.choices]

    def bars(self, most: int) -> list[dict]:
        """The stacked bar's segments, scaled so that ``most`` measures fill the chart's width."""
        segments, x = [], 0.0
        for value, label in Measure.Status.choices:
            n = self.counts.get(value, 0)
            if not n:
                continue
            width = CHART_WIDTH * n / most
            segments.append(
                {
                    # Strings, so no locale writes "150,0" into an SVG attribute.
                    "x": f"{x:.1f}",
                    "width": f"{width:.1f}",
                    "colour": STATUS_COLOURS[value],
                    "label": label,
                    "n": n,
                }
            )
            x += width
        return segments


def _overdue(queryset):
    return queryset.filter(due__lt=timezone.localdate()).exclude(status__in=Measure.CLOSED)


def evaluation_summary(evaluation) -> StatusCounts:
    """The evaluation's measures by status, and how many are overdue."""
    measures = evaluation.measures.all()
    counts = dict(measures.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    return StatusCounts(evaluation.name, counts, _overdue(measures).count())


def site_overview(evaluation) -> list[StatusCounts]:
    """Counts by status per site, in the sites' order, then the measures for every site."""
    rows = {site.pk: StatusCounts(site.name) for site in evaluation.sites.order_by("order", "name")}
    general = StatusCounts(_("All sites"))
    measures = evaluation.measures.all()
    for site_id, status, n in (
        measures.values("site", "status").annotate(n=Count("pk")).values_list("site", "status", "n")
    ):
        rows.get(site_id, general).counts[status] = n
    for site_id, n in (
        _overdue(measures).values("site").annotate(n=Count("pk")).values_list("site", "n")
    ):
        rows.get(site_id, general).overdue = n
    return [*rows.values(), *([general] if general.total else [])]


def step_text(evaluation) -> str:
    """What step 9 of the dashboard says: how many measures are open, overdue, and by status."""
    summary = evaluation_summary(evaluation)
    total = summary.total
    if not total:
        return _(
            "No measures yet. The step is done when there is at least one measure and every "
            "measure is done or dropped."
        )
    still_open = total - summary.closed
    if still_open:
        head = ngettext(
            "%(open)d of %(total)d measure is still open",
            "%(open)d of %(total)d measures are still open",
            total,
        ) % {"open": still_open, "total": total}
        head += ", " + (
            ngettext("%(n)d overdue.", "%(n)d overdue.", summary.overdue) % {"n": summary.overdue}
            if summary.overdue
            else _("none overdue.")
        )
    else:
        head = ngettext(
            "The measure is done or dropped.", "All %(total)d measures are done or dropped.", total
        ) % {"total": total}
    by_status = ", ".join(f"{label}: {n}" for label, n in summary.cells() if n)
    return f"{head} {by_status}."
