"""Per-evaluation lists: the people, places and organisations an evaluation knows about."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


def _clean(names: Iterable[str] | None) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for name in names or ():
        name = " ".join(str(name).split())
        if len(name) >= 2:
            seen.setdefault(name, None)
    return tuple(seen)


@dataclass(frozen=True)
class EvaluationLists:
    """Names supplied by an evaluation (its informants, staff, sites and services).

    Every mention of these strings is flagged, whatever the case, and the single words of a
    person's full name are flagged too (``Kari Nordmann`` also flags ``Nordmann``).
    """

    people: tuple[str, ...] = field(default=())
    places: tuple[str, ...] = field(default=())
    organizations: tuple[str, ...] = field(default=())

    def __init__(
        self,
        people: Iterable[str] | None = None,
        places: Iterable[str] | None = None,
        organizations: Iterable[str] | None = None,
    ) -> None:
        """Normalise whitespace and drop duplicates and one-letter entries."""
        object.__setattr__(self, "people", _clean(people))
        object.__setattr__(self, "places", _clean(places))
        object.__setattr__(self, "organizations", _clean(organizations))

    def __bool__(self) -> bool:
        """Whether any list has an entry."""
        return bool(self.people or self.places or self.organizations)
