"""Per-evaluation lists: the people, places and organisations an evaluation knows about."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

WORD = re.compile(r"\w+")
YEAR = re.compile(r"(?:19|20)\d\d")

# What a keep entry can stop: names of people, places, services and other details. Numbers,
# phones, e-mail and web addresses have a shape of their own and are never kept by a word.
KEEPABLE_LABELS = frozenset({"PERSON", "LOCATION", "ORGANIZATION", "QUASI"})


def one_line(text: str) -> str:
    """The text with control characters turned into spaces and whitespace runs into one space."""
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())


def _clean(names: Iterable[str] | None) -> tuple[str, ...]:
    """Entries with control characters removed and whitespace normalised, two letters or more."""
    seen: dict[str, None] = {}
    for name in names or ():
        name = one_line(str(name))
        if len(name) >= 2:
            seen.setdefault(name, None)
    return tuple(seen)


def words(text: str) -> list[str]:
    """The words of ``text``, casefolded (hyphens and punctuation split words)."""
    return WORD.findall(text.casefold())


@dataclass(frozen=True)
class EvaluationLists:
    """Names supplied by an evaluation (its informants, staff, sites and services).

    Every mention of these strings is flagged as a whole word, and the single words of a
    person's full name are flagged too (``Kari Nordmann`` also flags ``Nordmann``). Entries of
    three letters or fewer match only as written ("JA" is not every "ja"), longer ones in any case.

    ``keep`` holds words never flagged as a name, place, service or detail: the evaluated service,
    its sites and its commissioner (BSB reports name them on purpose) and the team's own keep
    list. A word that is also on one of the lists to hide is not kept: hiding wins.
    """

    people: tuple[str, ...] = field(default=())
    places: tuple[str, ...] = field(default=())
    organizations: tuple[str, ...] = field(default=())
    keep: tuple[str, ...] = field(default=())

    def __init__(
        self,
        people: Iterable[str] | None = None,
        places: Iterable[str] | None = None,
        organizations: Iterable[str] | None = None,
        keep: Iterable[str] | None = None,
    ) -> None:
        """Normalise whitespace and drop duplicates, control characters and one-letter entries."""
        object.__setattr__(self, "people", _clean(people))
        object.__setattr__(self, "places", _clean(places))
        object.__setattr__(self, "organizations", _clean(organizations))
        object.__setattr__(self, "keep", _clean(keep))
        hidden = {w for name in self.people + self.places + self.organizations for w in words(name)}
        kept = {w for name in self.keep for w in words(name) if len(w) >= 2}
        object.__setattr__(self, "_kept_words", frozenset(kept - hidden))

    def __bool__(self) -> bool:
        """Whether any list of names to hide has an entry."""
        return bool(self.people or self.places or self.organizations)

    def is_kept(self, text: str, label: str) -> bool:
        """Whether a span of ``label`` reading ``text`` is made only of kept words.

        A genitive s counts as the word ("Solstrands" is "Solstrand"); a year beside a kept word
        ("Kvernhaugen 2025", a plan's title) neither keeps nor blocks, but any other number does:
        "Kvernhaugen 12" is an address.
        """
        if label not in KEEPABLE_LABELS or not self._kept_words:
            return False
        found = [w for w in words(text) if not YEAR.fullmatch(w)]
        return bool(found) and all(
            w in self._kept_words or (w.endswith("s") and w[:-1] in self._kept_words) for w in found
        )
