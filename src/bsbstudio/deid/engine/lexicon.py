"""The word lists in ``bsbstudio/deid/data``, loaded once per process.

Names and word frequencies come from real sources (see ``data/PROVENANCE.md``, rebuilt by
``scripts/build_lexicons.py``): Statistics Norway given names and surnames with their counts,
and wordfreq's Norwegian word frequencies. Comparing the two tells a name that is also a
frequent word ("Per", "Dag", "Berg") from one that is rare as a word ("Ingrid", "Sindre").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache, cached_property
from importlib import resources

import yaml

DATA_PACKAGE = "bsbstudio.deid.data"

# A name is ambiguous when its word frequency exceeds what its use as a name explains by more
# than this many zipf units (a factor of 10**margin). Calibrated on NorNE train with
# `scripts/build_lexicons.py calibrate` (names whose mid-sentence uses are mostly lower case;
# fewest occurrences decided wrongly, about 350 of 4,771, between 0.75 and 0.80).
AMBIGUITY_MARGIN = 0.75


def read_list(name: str) -> list[str]:
    """Read a one-entry-per-line data file, skipping blank lines and ``#`` comments."""
    text = resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def read_counts(name: str) -> dict[str, float]:
    """Read a ``word TAB number`` data file into a case-folded dict (the larger count wins)."""
    counts: dict[str, float] = {}
    for line in read_list(name):
        word, _, value = line.partition("\t")
        folded = word.casefold()
        counts[folded] = max(counts.get(folded, 0.0), float(value))
    return counts


def read_yaml(name: str) -> dict:
    """Read a YAML data file."""
    text = resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def _lower_set(names: Iterable[str]) -> frozenset[str]:
    return frozenset(name.casefold() for name in names)


def expected_zipf(counts: Mapping[str, float], word_zipf: Mapping[str, float]) -> dict[str, float]:
    """The zipf each name would have as a word if it were used only as a name.

    log10 of its count plus the median offset between word frequency and count over the names
    that have a word frequency (the scale of a count differs per source, the offset absorbs it).
    """
    offsets = sorted(word_zipf[n] - math.log10(c) for n, c in counts.items() if n in word_zipf)
    offset = offsets[len(offsets) // 2] if offsets else 0.0
    return {name: math.log10(count) + offset for name, count in counts.items() if count > 0}


def name_strengths(
    given: Mapping[str, float], family: Mapping[str, float], word_zipf: Mapping[str, float]
) -> dict[str, float]:
    """For each name, the share of its uses expected to be a name, scaled so 0.5 is ambiguous."""
    expected_given = expected_zipf(given, word_zipf)
    expected_family = expected_zipf(family, word_zipf)
    strengths = {}
    for name in expected_given.keys() | expected_family.keys():
        as_name = math.log10(
            10 ** expected_given.get(name, -9.0) + 10 ** expected_family.get(name, -9.0)
        )
        margin = word_zipf.get(name, 0.0) - as_name
        strengths[name] = 1.0 / (1.0 + 10 ** (margin - AMBIGUITY_MARGIN))
    return strengths


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Case-folded word sets the recognisers share (hashed by identity, so it can key caches)."""

    given_names: frozenset[str]
    family_names: frozenset[str]
    allow: frozenset[str]
    not_identifiers: frozenset[str]
    common_words: frozenset[str]
    titles: frozenset[str]
    relations: frozenset[str]
    places: frozenset[str]
    organisations: tuple[str, ...]
    places_also_ordinary: frozenset[str]  # listed places that are also words ("time", "sel")
    org_suffixes: tuple[str, ...]
    org_prefixes: tuple[str, ...]
    occupations: frozenset[str]
    occupation_suffixes: tuple[str, ...]
    staff_roles: frozenset[str]
    strengths: Mapping[str, float]  # name -> name_strength, see name_strengths()

    @cached_property
    def all_names(self) -> frozenset[str]:
        """Given and family names together."""
        return self.given_names | self.family_names

    def _name_form(self, word: str) -> str | None:
        """The listed name ``word`` is (genitive -s allowed), case-folded, or None."""
        folded = word.casefold()
        if folded in self.all_names:
            return folded
        if folded.endswith("s") and folded[:-1] in self.all_names:
            return folded[:-1]
        if "-" in folded:  # a double given name not in the statistics as a whole: "Geir-Atle"
            for form in (folded, folded.removesuffix("s")):
                parts = form.split("-")
                if len(parts) == 2 and all(part in self.given_names for part in parts):
                    return form
        return None

    def is_name(self, word: str) -> bool:
        """Whether ``word`` (any case, genitive -s allowed) is in the given- or family-name list."""
        return self._name_form(word) is not None

    def is_given_name(self, word: str) -> bool:
        """Whether ``word`` (any case, genitive -s allowed) is a listed given name."""
        folded = word.casefold()
        return folded in self.given_names or (
            folded.endswith("s") and folded[:-1] in self.given_names
        )

    def name_strength(self, word: str) -> float:
        """How surely ``word`` is a name rather than an ordinary word: 0 (not listed) to 1.

        Under 0.5 the word is used more as an ordinary word than its name count explains.
        A word on the allow list is at most 0.4.
        """
        form = self._name_form(word)
        if form is None:
            return 0.0
        strength = self.strengths.get(form, 1.0)
        if form in self.allow or word.casefold() in self.allow:
            strength = min(strength, 0.4)
        return strength

    def is_ambiguous_name(self, word: str) -> bool:
        """Whether ``word`` is a listed name that is also a frequent ordinary word ("Per", "Berg")."""
        return self.is_name(word) and self.name_strength(word) < 0.5

    def is_ordinary(self, word: str) -> bool:
        """Whether ``word`` is a function word, a common word or a known non-identifier."""
        folded = word.casefold()
        return folded in self.common_words or folded in self.not_identifiers

    def is_allowed(self, word: str) -> bool:
        """Whether ``word`` is on the allow list: an ordinary word that is also a name or place.

        Not widened by :meth:`is_ambiguous_name`: a town's word frequency counts its uses as a
        place ("Moss", "Hamar"), so the places and organisations must not read it as ordinary.
        """
        return word.casefold() in self.allow

    def is_ordinary_place_word(self, word: str) -> bool:
        """Whether a listed place or organisation ``word`` is also an ordinary word.

        On the allow list or the common words, or written in lower case in NorNE train as often
        as capitalised ("Time", "Sel", "Fjell"): flagged only with a capital and a preposition.
        """
        if word.casefold() in self.places_also_ordinary:
            return True
        return self.is_allowed(word) or self.is_ordinary(word)

    def without(self, words: Iterable[str], *, names: bool = True) -> Lexicon:
        """A copy with ``words`` removed from every name, place and organisation list.

        With ``names=False`` the Statistics Norway name lists are left whole and only the lists
        written for this project lose the words (for the ablation test).
        """
        drop = _lower_set(words)
        changes: dict[str, object] = {
            "places": self.places - drop,
            "allow": self.allow - drop,
            "organisations": tuple(
                org for org in self.organisations if not drop & set(org.casefold().split())
            ),
        }
        if names:
            changes["given_names"] = self.given_names - drop
            changes["family_names"] = self.family_names - drop
            changes["strengths"] = {k: v for k, v in self.strengths.items() if k not in drop}
        return replace(self, **changes)


@cache
def word_frequencies() -> dict[str, float]:
    """Norwegian bokmål word -> zipf frequency (wordfreq, zipf >= 2.5)."""
    return read_counts("nb_word_frequency.tsv")


@cache
def lexicon() -> Lexicon:
    """Load every list once."""
    patterns = read_yaml("org_patterns.yaml")
    occupations = read_yaml("occupations.yaml")
    given = read_counts("ssb_given_names.tsv")
    family = read_counts("ssb_family_names.tsv")
    norne_places = read_counts("norne_places.tsv")
    norne_organisations = read_counts("norne_organisations.tsv")
    return Lexicon(
        given_names=frozenset(given),
        family_names=frozenset(family),
        allow=_lower_set(read_list("allow_list.txt")),
        not_identifiers=_lower_set(read_list("not_identifiers.txt")),
        common_words=_lower_set(read_list("common_words.txt")),
        titles=_lower_set(read_list("titles.txt")),
        relations=_lower_set(read_list("relations.txt")),
        places=_lower_set(
            read_list("municipalities.txt") + read_list("places.txt") + list(norne_places)
        ),
        organisations=tuple(read_list("organisations.txt") + list(norne_organisations)),
        places_also_ordinary=_lower_set(read_list("place_words_also_ordinary.txt")),
        org_suffixes=tuple(patterns.get("suffix", ())),
        org_prefixes=tuple(patterns.get("prefix", ())),
        occupations=_lower_set(occupations.get("occupations", [])),
        occupation_suffixes=tuple(occupations.get("suffixes", [])),
        staff_roles=_lower_set(occupations.get("staff_roles", [])),
        strengths=name_strengths(given, family, word_frequencies()),
    )
