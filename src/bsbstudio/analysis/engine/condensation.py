"""How far a systematic text condensation has come: Malterud's four steps, and what each still lacks.

Plain Python over a summary of the condensation; the Django layer builds the summary and names
what is missing in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STEPS = 4


@dataclass(frozen=True)
class Subgroup:
    """A sub-group as the progress sees it."""

    name: str
    units: int = 0
    has_condensate: bool = False
    has_quote: bool = False


@dataclass(frozen=True)
class Group:
    """A code group as the progress sees it."""

    name: str
    has_synthesis: bool = False
    subgroups: tuple[Subgroup, ...] = ()


@dataclass(frozen=True)
class Summary:
    """What a condensation holds."""

    has_impression: bool = False
    themes: int = 0
    units: int = 0
    unassigned_units: int = 0
    groups: tuple[Group, ...] = ()


@dataclass(frozen=True)
class Missing:
    """One thing a step lacks: ``kind`` says what, ``name`` which group or sub-group, ``count`` how many."""

    step: int
    kind: str
    name: str = ""
    count: int = 0


@dataclass(frozen=True)
class Progress:
    """The step to work on now (1-4), whether all four are done, and what is missing, in step order."""

    step: int
    done: bool
    missing: tuple[Missing, ...] = field(default_factory=tuple)
    steps_done: tuple[bool, ...] = ()


def progress(summary: Summary) -> Progress:
    """Done only when every step is: each sub-group has units, a condensate and a quote, each group a synthesis."""
    missing: list[Missing] = []
    if not summary.has_impression:
        missing.append(Missing(1, "impression"))
    if not summary.themes:
        missing.append(Missing(1, "themes"))
    if not summary.units:
        missing.append(Missing(2, "units"))
    if not summary.groups:
        missing.append(Missing(3, "groups"))
    if summary.unassigned_units:
        missing.append(Missing(3, "unassigned", count=summary.unassigned_units))
    for group in summary.groups:
        if not group.subgroups:
            missing.append(Missing(3, "empty_group", group.name))
        for sub in group.subgroups:
            if not sub.units:
                missing.append(Missing(3, "empty_subgroup", sub.name))
            if not sub.has_condensate:
                missing.append(Missing(3, "condensate", sub.name))
    for group in summary.groups:
        if not group.has_synthesis:
            missing.append(Missing(4, "synthesis", group.name))
        for sub in group.subgroups:
            if not sub.has_quote:
                missing.append(Missing(4, "quote", sub.name))
    # Step 4 cannot be done before there is anything to synthesise.
    if not summary.groups:
        missing.append(Missing(4, "nothing_to_synthesise"))
    missing.sort(key=lambda m: m.step)
    steps_done = tuple(all(m.step != n for m in missing) for n in range(1, STEPS + 1))
    step = next((n for n, done in enumerate(steps_done, start=1) if not done), STEPS)
    return Progress(step, not missing, tuple(missing), steps_done)
