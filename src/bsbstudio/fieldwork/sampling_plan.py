"""The sampling plan per site and group: a target for each cell, or "not planned" there.

The page shows one row per site and one column per group; each cell has a number (how many
informants of the group the site should give; empty for no target of its own) and a box to
tick when the group is not to be interviewed at that site. ``parse_plan`` reads the posted
form and either returns every cell or the errors, so a bad value saves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require

from .models import SiteGroupPlan

# A target above this is a typing mistake, not a plan (the largest evaluation had 237 informants).
MAX_TARGET = 999


@dataclass(frozen=True)
class PlanCell:
    """One site × group cell of the form, as shown and as posted."""

    site_id: int
    site: str
    group_id: int
    group: str
    target: int | None
    planned: bool
    raw_target: str = ""
    error: str = ""

    @property
    def target_name(self) -> str:
        """The form field of the cell's target."""
        return f"target-{self.site_id}-{self.group_id}"

    @property
    def not_planned_name(self) -> str:
        """The form field of the cell's "not planned" box."""
        return f"not-planned-{self.site_id}-{self.group_id}"


def plan_rows(evaluation) -> list[tuple[str, list[PlanCell]]]:
    """The stored plan as form rows: (site name, cells in group order)."""
    stored = {
        (p.site_id, p.group_id): p
        for p in SiteGroupPlan.objects.filter(site__evaluation=evaluation)
    }
    groups = list(evaluation.informant_groups.order_by("order", "code"))
    rows = []
    for site in evaluation.sites.order_by("order", "name"):
        cells = []
        for group in groups:
            plan = stored.get((site.pk, group.pk))
            target = plan.target if plan else None
            cells.append(
                PlanCell(
                    site.pk,
                    site.name,
                    group.pk,
                    group.name,
                    target,
                    plan.planned if plan else True,
                    "" if target is None else str(target),
                )
            )
        rows.append((site.name, cells))
    return rows


def parse_plan(evaluation, data) -> tuple[list[tuple[str, list[PlanCell]]], list[str]]:
    """Read the posted plan: the rows with what was typed, and the errors (empty when valid)."""
    rows = []
    errors = []
    for site_name, cells in plan_rows(evaluation):
        parsed = []
        for cell in cells:
            raw = (data.get(cell.target_name) or "").strip()
            planned = not data.get(cell.not_planned_name)
            target, error = None, ""
            if raw:
                # ASCII digits of bounded length first: int() refuses "²" and 5,000-digit input.
                whole = raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_TARGET))
                if whole and int(raw) <= MAX_TARGET:
                    target = int(raw)
                else:
                    error = _("%(site)s, %(group)s: write a whole number from 0 to %(max)d.") % {
                        "site": cell.site,
                        "group": cell.group,
                        "max": MAX_TARGET,
                    }
                    errors.append(error)
            parsed.append(
                PlanCell(
                    cell.site_id, cell.site, cell.group_id, cell.group, target, planned, raw, error
                )
            )
        rows.append((site_name, parsed))
    return rows, errors


@transaction.atomic
def save_plan(actor, evaluation, rows) -> int:
    """Store every cell of a valid plan; a cell with no target that is planned needs no row.

    Returns how many cells changed; each change is written to the audit log.
    """
    require(actor, evaluation, Action.EDIT_FIELDWORK)
    stored = {
        (p.site_id, p.group_id): p
        for p in SiteGroupPlan.objects.filter(site__evaluation=evaluation)
    }
    changed = 0
    for _site, cells in rows:
        for cell in cells:
            plan = stored.get((cell.site_id, cell.group_id))
            before = (plan.target, plan.planned) if plan else (None, True)
            after = (cell.target if cell.planned else None, cell.planned)
            if before == after:
                continue
            changed += 1
            if after == (None, True):
                plan.delete()
                obj = None
            else:
                obj, _created = SiteGroupPlan.objects.update_or_create(
                    site_id=cell.site_id,
                    group_id=cell.group_id,
                    defaults={"target": after[0], "planned": after[1]},
                )
            record(
                actor,
                "sampling.plan.update",
                obj,
                evaluation,
                site=cell.site,
                group=cell.group,
                target=after[0],
                planned=after[1],
            )
    return changed
