"""Replace detected spans by typed placeholders ("[NAVN 1]") or realistic surrogates.

The mapping (original -> replacement) is a JSON-serialisable dict that the caller stores apart
from the text, so it can be destroyed; pass it back in to keep replacements consistent across
the texts of one evaluation. A full name's parts follow it: once "Kari Nordmann" is "[NAVN 1]"
(or "Ingrid Solberg"), a lone "Kari" is "[NAVN 1]" (or "Ingrid") and "Karis" "[NAVN 1]s".
A quasi-identifier with a category is generalised ("[YRKE]"), or written "…" when asked.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection, Iterable

from .span import Span
from .surrogates import surrogate

PLACEHOLDERS = {
    "PERSON": "NAVN",
    "LOCATION": "STED",
    "ORGANIZATION": "VIRKSOMHET",
    "ID_NUMBER": "FØDSELSNUMMER",
    "PHONE": "TELEFON",
    "EMAIL": "E-POST",
    "URL": "NETTADRESSE",
    "DATE": "DATO",
    "AGE": "ALDER",
    "QUASI": "DETALJ",
}
MODES = ("placeholder", "surrogate")
ELLIPSIS = "…"


def normalise(label: str, value: str) -> str:
    """Return the key under which a value is remembered: letters and digits, lower case."""
    return f"{label}:{_fold(value)}"


def _fold(word: str) -> str:
    return "".join(re.findall(r"\w", word.casefold()))


def _as_written(replacement: str, original: str) -> str:
    """A surrogate in lower case where speech recognition wrote the original so ("kari")."""
    return (
        replacement.lower()
        if original.islower() and not replacement.startswith("[")
        else replacement
    )


class Redactor:
    """Replace spans consistently; ``mapping`` carries the replacements between calls."""

    def __init__(
        self, mode: str = "placeholder", mapping: dict | None = None, seed: int | None = None
    ) -> None:
        """Start from an earlier ``mapping`` (same evaluation) or an empty one."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.mode = mode
        self.mapping = mapping if mapping is not None else {}
        self.mapping.setdefault("mode", mode)
        self.mapping.setdefault("entries", {})
        self.mapping.setdefault("counters", {})
        # Full names by key, as their folded words: where a lone first name or surname belongs.
        self.mapping.setdefault("names", {})
        if seed is None:
            seed = self.mapping.get("seed", random.SystemRandom().randint(0, 2**31))
        self.mapping["seed"] = seed
        self._rng = random.Random(seed + len(self.mapping["entries"]))

    def replacement(self, label: str, value: str) -> str:
        """Return the replacement for one value, creating and remembering it on first sight."""
        entries = self.mapping["entries"]
        key = normalise(label, value)
        if key in entries:
            return _as_written(entries[key], value)
        if label == "PERSON" and key.endswith("s") and key[:-1] in entries:
            return _as_written(entries[key[:-1]] + "s", value)  # "Pers" -> "[NAVN 1]s"
        if label == "PERSON" and len(value.split()) == 1:
            part = self._part_of_full_name(value)
            if part:
                entries[key] = part
                return _as_written(part, value)
        if self.mode == "surrogate":
            new = surrogate(label, value, self._rng)
        else:
            new = ""
        if not new:
            counters = self.mapping["counters"]
            counters[label] = counters.get(label, 0) + 1
            new = f"[{PLACEHOLDERS.get(label, label)} {counters[label]}]"
        entries[key] = new
        if label == "PERSON" and len(value.split()) > 1:
            self.mapping["names"][key] = [_fold(word) for word in value.split()]
        return new

    def _part_of_full_name(self, word: str) -> str:
        """The replacement of ``word`` as a part of exactly one known full name, else "".

        "Kari" of "Kari Nordmann" -> "[NAVN 1]", or the surrogate's first name ("Ingrid");
        "Karis" -> "[NAVN 1]s" / "Ingrids". A word of two full names is left to a new pseudonym:
        guessing would give two people one name.
        """
        folded = _fold(word)
        candidates = [(folded, "")] + ([(folded[:-1], "s")] if folded.endswith("s") else [])
        for part, genitive in candidates:
            owners = [key for key, words in self.mapping["names"].items() if part in words]
            if len(owners) != 1:
                continue
            full = self.mapping["entries"][owners[0]]
            if self.mode != "surrogate" or full.startswith("["):
                return full + genitive
            words, replaced = self.mapping["names"][owners[0]], full.split()
            index = words.index(part)
            if index == 0:
                replaced = replaced[0]
            elif index == len(words) - 1:
                replaced = replaced[-1]
            else:  # a middle name with no counterpart in a shorter surrogate: the whole surrogate
                replaced = replaced[index] if len(replaced) == len(words) else full
            return replaced + genitive
        return ""

    def remember_full_names(self, values: Iterable[str]) -> None:
        """Give each full name (PERSON, two words or more) its replacement before any part of it.

        So a lone "Kari" early in a text still follows the "Kari Nordmann" that comes later.
        """
        for value in values:
            if len(value.split()) > 1:
                self.replacement("PERSON", value)

    def redact(
        self, text: str, spans: Iterable[Span], ellipsis: Collection[tuple[int, int]] = ()
    ) -> tuple[str, dict]:
        """Return the redacted text and the (updated) mapping. Spans must not overlap.

        A QUASI span with a category becomes "[YRKE]" in both modes (a generalisation, not a
        pseudonym: nothing is counted or remembered), or "…" when its ``(start, end)`` is in
        ``ellipsis``.
        """
        spans = sorted(spans, key=lambda s: s.start)
        self.remember_full_names(text[s.start : s.end] for s in spans if s.label == "PERSON")
        out = []
        position = 0
        for span in spans:
            if span.start < position:
                continue
            out.append(text[position : span.start])
            if (span.start, span.end) in ellipsis:
                out.append(ELLIPSIS)
            elif span.label == "QUASI" and span.category:
                out.append(f"[{span.category}]")
            else:
                out.append(self.replacement(span.label, text[span.start : span.end]))
            position = span.end
        out.append(text[position:])
        return "".join(out), self.mapping
