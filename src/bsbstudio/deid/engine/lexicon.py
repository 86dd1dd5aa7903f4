"""The word lists in ``bsbstudio/deid/data``, loaded once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

DATA_PACKAGE = "bsbstudio.deid.data"


def read_list(name: str) -> list[str]:
    """Read a one-entry-per-line data file, skipping blank lines and ``#`` comments."""
    text = resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def read_yaml(name: str) -> dict:
    """Read a YAML data file."""
    text = resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def _lower_set(names: list[str]) -> frozenset[str]:
    return frozenset(name.casefold() for name in names)


@dataclass(frozen=True)
class Lexicon:
    """Case-folded word sets the recognisers share."""

    given_names: frozenset[str]
    family_names: frozenset[str]
    allow: frozenset[str]
    not_identifiers: frozenset[str]
    common_words: frozenset[str]
    titles: frozenset[str]
    relations: frozenset[str]
    places: frozenset[str]
    organisations: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    org_prefixes: tuple[str, ...]
    occupations: frozenset[str]
    occupation_suffixes: tuple[str, ...]
    staff_roles: frozenset[str]

    def is_name(self, word: str) -> bool:
        """Whether ``word`` (any case, genitive -s allowed) is in the given- or family-name list."""
        folded = word.casefold()
        names = self.all_names
        return folded in names or (folded.endswith("s") and folded[:-1] in names)

    @property
    def all_names(self) -> frozenset[str]:
        """Given and family names together."""
        return _union(self.given_names, self.family_names)

    def is_ordinary(self, word: str) -> bool:
        """Whether ``word`` is a function word, a common word or a known non-identifier."""
        folded = word.casefold()
        return folded in self.common_words or folded in self.not_identifiers

    def is_allowed(self, word: str) -> bool:
        """Whether ``word`` is an ordinary word that is also a name (allow list)."""
        return word.casefold() in self.allow


@cache
def _union(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    return a | b


@cache
def lexicon() -> Lexicon:
    """Load every list once."""
    patterns = read_yaml("org_patterns.yaml")
    occupations = read_yaml("occupations.yaml")
    return Lexicon(
        given_names=_lower_set(read_list("given_names.txt")),
        family_names=_lower_set(read_list("family_names.txt")),
        allow=_lower_set(read_list("allow_list.txt")),
        not_identifiers=_lower_set(read_list("not_identifiers.txt")),
        common_words=_lower_set(read_list("common_words.txt")),
        titles=_lower_set(read_list("titles.txt")),
        relations=_lower_set(read_list("relations.txt")),
        places=_lower_set(read_list("municipalities.txt") + read_list("places.txt")),
        organisations=tuple(read_list("organisations.txt")),
        org_suffixes=tuple(patterns.get("suffix", ())),
        org_prefixes=tuple(patterns.get("prefix", ())),
        occupations=_lower_set(occupations.get("occupations", [])),
        occupation_suffixes=tuple(occupations.get("suffixes", [])),
        staff_roles=_lower_set(occupations.get("staff_roles", [])),
    )
