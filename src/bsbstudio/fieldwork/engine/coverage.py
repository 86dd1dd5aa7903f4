"""Coverage of the fieldwork: which informant groups have been interviewed at which site.

The method hears every group (users, relatives, staff) at every site, so the grid has the sites
as rows and the groups as columns, and a cell is a gap until a held interview had a participant
of that group from that site. A participant's site is the interview's site, or their own when
the interview has none. Targets per site and group ("at least two relatives at every site") come
from per-site sampling criteria on a group, or from the plan of one cell ("three relatives at
Nord"), which overrides them; a cell below its target is short, not done. A cell the plan marks
as not planned (a site with no relatives in its sample) is neither a gap nor short.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CellCount:
    """What held interviews gave one (site, group): interviews with them, and informants."""

    site: str | None
    group: str  # group code
    interviews: int
    informants: int


@dataclass(frozen=True)
class Cell:
    """One group at one site."""

    group: str  # group code
    group_name: str
    interviews: int = 0
    informants: int = 0
    target: int | None = None
    planned: bool = True

    @property
    def not_planned(self) -> bool:
        """The plan does not ask for this group at this site."""
        return not self.planned

    @property
    def gap(self) -> bool:
        """A planned group of which nobody from the site has been interviewed."""
        return self.planned and self.informants == 0

    @property
    def short(self) -> bool:
        """Interviewed, but fewer informants than the target."""
        return (
            self.planned
            and not self.gap
            and self.target is not None
            and self.informants < self.target
        )

    @property
    def below_target(self) -> bool:
        """A planned cell with a target it has not reached (a gap with a target included)."""
        return self.planned and self.target is not None and self.informants < self.target

    @property
    def done(self) -> bool:
        """Interviewed, and at the target if there is one (or not planned at all)."""
        return self.not_planned or (not self.gap and not self.short)


@dataclass(frozen=True)
class Row:
    """One site: how many held interviews it had, and a cell per group."""

    site: str
    interviews: int
    cells: tuple[Cell, ...]

    @property
    def missing(self) -> list[str]:
        """Names of the groups nobody was interviewed from, in group order."""
        return [cell.group_name for cell in self.cells if cell.gap]

    @property
    def below_target(self) -> list[Cell]:
        """Planned cells with a target not yet reached."""
        return [cell for cell in self.cells if cell.below_target]


def coverage_grid(
    sites: Sequence[str],
    groups: Sequence[tuple[str, str]],
    counts: Iterable[CellCount],
    site_interviews: dict[str, int],
    targets: dict[str, int] | None = None,
    cell_plans: dict[tuple[str, str], tuple[int | None, bool]] | None = None,
) -> list[Row]:
    """The grid, one row per site in order (``groups`` are (code, name) pairs, in order).

    ``site_interviews`` is the number of held interviews per site name; ``targets`` maps a group
    code to the informants every site should have of it; ``cell_plans`` maps (site, group code)
    to (target or None, planned) for the cells the plan names, and wins over ``targets``. Counts
    for a site not in ``sites`` (none recorded) are left out: they cannot be placed.
    """
    targets = targets or {}
    cell_plans = cell_plans or {}
    by_cell = {(c.site, c.group): c for c in counts}
    rows = []
    for site in sites:
        cells = []
        for code, name in groups:
            found = by_cell.get((site, code))
            plan_target, planned = cell_plans.get((site, code), (None, True))
            cells.append(
                Cell(
                    code,
                    name,
                    found.interviews if found else 0,
                    found.informants if found else 0,
                    plan_target if plan_target is not None else targets.get(code),
                    planned,
                )
            )
        rows.append(Row(site, site_interviews.get(site, 0), tuple(cells)))
    return rows
