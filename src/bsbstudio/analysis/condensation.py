"""Systematic text condensation: every change to an evaluation's condensation, and its progress.

Each action checks ``Action.CODE`` (process leader and peer interviewers), runs in one
transaction and is audited. Anything that does not belong to the evaluation, or that a blind
double coder may not see, is refused with a message and changes nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, F, Max, Q

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.errors import UserFacingError, gettext_noop, refuse_null_characters

from . import agreement
from .engine import condensation as engine
from .models import (
    CodedSegment,
    CodeGroup,
    CodeSubgroup,
    Condensation,
    MeaningUnit,
    PreliminaryTheme,
)

NAME_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 20_000


class CondensationError(UserFacingError):
    """A change to the condensation that cannot be made as asked."""


def _name(name: str) -> str:
    name = refuse_null_characters((name or "").strip(), CondensationError)
    if not name:
        raise CondensationError("empty_name", gettext_noop("Write a name."))
    if len(name) > NAME_MAX_LENGTH:
        raise CondensationError(
            "name_too_long",
            gettext_noop(
                "A name can be at most %(limit)d characters long; this one has %(length)d."
            ),
            limit=NAME_MAX_LENGTH,
            length=len(name),
        )
    return name


def _text(text: str) -> str:
    text = refuse_null_characters((text or "").strip(), CondensationError)
    if len(text) > TEXT_MAX_LENGTH:
        raise CondensationError(
            "text_too_long",
            gettext_noop(
                "The text can be at most %(limit)d characters long; this one has %(length)d."
            ),
            limit=TEXT_MAX_LENGTH,
            length=len(text),
        )
    return text


def _condensation(actor, evaluation) -> Condensation:
    require(actor, evaluation, Action.CODE)
    condensation, _created = Condensation.objects.get_or_create(evaluation=evaluation)
    return condensation


def _group(condensation, group_id) -> CodeGroup:
    group = CodeGroup.objects.filter(pk=group_id, condensation=condensation).first()
    if group is None:
        raise CondensationError(
            "no_group", gettext_noop("Choose one of this condensation's code groups.")
        )
    return group


def _subgroup(condensation, subgroup_id) -> CodeSubgroup:
    sub = CodeSubgroup.objects.filter(pk=subgroup_id, group__condensation=condensation).first()
    if sub is None:
        raise CondensationError(
            "no_subgroup", gettext_noop("Choose one of this condensation's sub-groups.")
        )
    return sub


def _unit(condensation, unit_id) -> MeaningUnit:
    unit = MeaningUnit.objects.filter(pk=unit_id, condensation=condensation).first()
    if unit is None:
        raise CondensationError(
            "no_unit", gettext_noop("Choose one of this condensation's meaning units.")
        )
    return unit


def _next_order(queryset) -> int:
    return (queryset.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def save_impression(actor, evaluation, impression: str, themes: list[str]) -> Condensation:
    """Step 1: the overall impression and the preliminary themes (the list replaces the old one)."""
    condensation = _condensation(actor, evaluation)
    impression = _text(impression)
    names = [_name(t) for t in themes if t.strip()]
    condensation.impression = impression
    condensation.save(update_fields=["impression", "updated_at"])
    condensation.themes.all().delete()
    PreliminaryTheme.objects.bulk_create(
        PreliminaryTheme(condensation=condensation, name=name, order=i)
        for i, name in enumerate(dict.fromkeys(names), start=1)
    )
    record(actor, "analysis.condensation.impression", condensation, evaluation, themes=len(names))
    return condensation


@transaction.atomic
def add_units(actor, evaluation, segment_ids) -> int:
    """Step 2: choose coded quotes as meaning units; return how many were new."""
    condensation = _condensation(actor, evaluation)
    wanted = set(segment_ids)
    if not wanted:
        raise CondensationError("no_quotes", gettext_noop("Choose at least one quote."))
    found = set(
        CodedSegment.objects.filter(pk__in=wanted, code__evaluation=evaluation)
        .exclude(agreement.hidden_segments(actor))
        .values_list("pk", flat=True)
    )
    if found != wanted:
        raise CondensationError(
            "foreign_quote",
            gettext_noop(
                "One of the quotes is not a coded quote of this evaluation. Nothing was added."
            ),
        )
    have = set(
        condensation.units.filter(segment_id__in=wanted).values_list("segment_id", flat=True)
    )
    MeaningUnit.objects.bulk_create(
        MeaningUnit(condensation=condensation, segment_id=pk) for pk in sorted(wanted - have)
    )
    added = len(wanted - have)
    record(actor, "analysis.condensation.units.add", condensation, evaluation, added=added)
    return added


@transaction.atomic
def remove_unit(actor, evaluation, unit_id) -> None:
    """Step 2: take a meaning unit out of the condensation (its quote stays coded)."""
    condensation = _condensation(actor, evaluation)
    unit = _unit(condensation, unit_id)
    record(
        actor,
        "analysis.condensation.units.remove",
        condensation,
        evaluation,
        segment=unit.segment_id,
    )
    unit.delete()


@transaction.atomic
def add_group(actor, evaluation, name: str) -> CodeGroup:
    """Step 3: a new code group."""
    condensation = _condensation(actor, evaluation)
    group = CodeGroup.objects.create(
        condensation=condensation,
        name=_name(name),
        order=_next_order(condensation.groups.all()),
    )
    record(actor, "analysis.condensation.group.add", group, evaluation)
    return group


@transaction.atomic
def add_subgroup(actor, evaluation, group_id, name: str) -> CodeSubgroup:
    """Step 3: a new sub-group of one of the condensation's code groups."""
    condensation = _condensation(actor, evaluation)
    name = _name(name)
    group = _group(condensation, group_id)
    sub = CodeSubgroup.objects.create(
        group=group, name=name, order=_next_order(group.subgroups.all())
    )
    record(actor, "analysis.condensation.subgroup.add", sub, evaluation, group=group.pk)
    return sub


@transaction.atomic
def rename(actor, evaluation, kind: str, pk, name: str) -> None:
    """Step 3: rename a code group (``kind`` "group") or a sub-group ("subgroup")."""
    condensation = _condensation(actor, evaluation)
    name = _name(name)
    target = _group(condensation, pk) if kind == "group" else _subgroup(condensation, pk)
    target.name = name
    target.save(update_fields=["name"])
    record(actor, f"analysis.condensation.{kind}.rename", target, evaluation)


@transaction.atomic
def delete_group(actor, evaluation, kind: str, pk) -> None:
    """Step 3: delete a code group or sub-group; its meaning units stay, unsorted."""
    condensation = _condensation(actor, evaluation)
    target = _group(condensation, pk) if kind == "group" else _subgroup(condensation, pk)
    record(actor, f"analysis.condensation.{kind}.delete", target, evaluation, name=target.name)
    target.delete()


@transaction.atomic
def assign_units(actor, evaluation, assignments: dict) -> int:
    """Step 3: sort meaning units into sub-groups ({unit id: sub-group id or None}); return how many moved."""
    condensation = _condensation(actor, evaluation)
    units = {u.pk: u for u in condensation.units.filter(pk__in=list(assignments))}
    if len(units) != len(assignments):
        raise CondensationError(
            "no_unit", gettext_noop("Choose one of this condensation's meaning units.")
        )
    subgroups = {
        s.pk: s
        for s in CodeSubgroup.objects.filter(
            group__condensation=condensation,
            pk__in=[s for s in assignments.values() if s is not None],
        )
    }
    moved = []
    for unit_id, sub_id in assignments.items():
        if sub_id is not None and sub_id not in subgroups:
            raise CondensationError(
                "no_subgroup", gettext_noop("Choose one of this condensation's sub-groups.")
            )
        unit = units[unit_id]
        if unit.subgroup_id != sub_id:
            unit.subgroup_id = sub_id
            moved.append(unit)
    MeaningUnit.objects.bulk_update(moved, ["subgroup"])
    # A sub-group's illustrative quote must be one of its own units.
    CodeSubgroup.objects.filter(group__condensation=condensation).exclude(
        illustrative__isnull=True
    ).exclude(illustrative__subgroup_id=F("pk")).update(illustrative=None)
    record(actor, "analysis.condensation.units.sort", condensation, evaluation, moved=len(moved))
    return len(moved)


@transaction.atomic
def save_condensate(actor, evaluation, subgroup_id, text: str) -> CodeSubgroup:
    """Step 3: the condensate of a sub-group, an artificial quote in the first person."""
    condensation = _condensation(actor, evaluation)
    text = _text(text)
    sub = _subgroup(condensation, subgroup_id)
    sub.condensate = text
    sub.save(update_fields=["condensate"])
    record(actor, "analysis.condensation.condensate", sub, evaluation)
    return sub


@transaction.atomic
def save_synthesis(actor, evaluation, group_id, text: str) -> CodeGroup:
    """Step 4: the synthesis of a code group."""
    condensation = _condensation(actor, evaluation)
    text = _text(text)
    group = _group(condensation, group_id)
    group.synthesis = text
    group.save(update_fields=["synthesis"])
    record(actor, "analysis.condensation.synthesis", group, evaluation)
    return group


@transaction.atomic
def choose_quote(actor, evaluation, subgroup_id, unit_id) -> CodeSubgroup:
    """Step 4: the illustrative quote of a sub-group, one of its own meaning units (None clears it)."""
    condensation = _condensation(actor, evaluation)
    sub = _subgroup(condensation, subgroup_id)
    unit = None
    if unit_id is not None:
        unit = sub.units.filter(pk=unit_id).first()
        if unit is None:
            raise CondensationError(
                "quote_not_in_subgroup",
                gettext_noop(
                    "The illustrative quote must be one of the sub-group's own meaning units."
                ),
            )
    sub.illustrative = unit
    sub.save(update_fields=["illustrative"])
    record(actor, "analysis.condensation.quote", sub, evaluation, unit=unit_id)
    return sub


def summary(evaluation) -> engine.Summary:
    """What the evaluation's condensation holds, for the progress (a few queries)."""
    condensation = Condensation.objects.filter(evaluation=evaluation).first()
    if condensation is None:
        return engine.Summary()
    units = condensation.units.aggregate(
        all=Count("pk"), unassigned=Count("pk", filter=Q(subgroup__isnull=True))
    )
    subgroups: dict[int, list] = {}
    for sub in (
        CodeSubgroup.objects.filter(group__condensation=condensation)
        .annotate(n=Count("units"))
        .order_by("group", "order", "pk")
    ):
        subgroups.setdefault(sub.group_id, []).append(
            engine.Subgroup(sub.name, sub.n, bool(sub.condensate), sub.illustrative_id is not None)
        )
    groups = tuple(
        engine.Group(g.name, bool(g.synthesis), tuple(subgroups.get(g.pk, ())))
        for g in condensation.groups.order_by("order", "pk")
    )
    return engine.Summary(
        has_impression=bool(condensation.impression),
        themes=condensation.themes.count(),
        units=units["all"],
        unassigned_units=units["unassigned"],
        groups=groups,
    )


def progress(evaluation) -> engine.Progress:
    """How far the evaluation's condensation has come."""
    return engine.progress(summary(evaluation))


def synthesis_for_theme(evaluation, theme_id) -> str:
    """The syntheses of the code groups that hold quotes of a guide theme, for the final report.

    Each is "group name: synthesis", in the groups' order; "" when none is written yet.
    """
    groups = (
        CodeGroup.objects.filter(
            condensation__evaluation=evaluation,
            subgroups__units__segment__code__theme_id=theme_id,
        )
        .exclude(synthesis="")
        .distinct()
        .order_by("order", "pk")
    )
    return "\n\n".join(f"{g.name}: {g.synthesis}" for g in groups)
