"""Replace detected spans by typed placeholders ("[NAVN 1]") or realistic surrogates.

The mapping (original -> replacement) is a JSON-serialisable dict that the caller stores apart
from the text, so it can be destroyed; pass it back in to keep replacements consistent across
the texts of one evaluation.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable

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


def normalise(label: str, value: str) -> str:
    """Return the key under which a value is remembered: letters and digits, lower case."""
    key = "".join(re.findall(r"\w", value.casefold()))
    return f"{label}:{key}"


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
        if seed is None:
            seed = self.mapping.get("seed", random.SystemRandom().randint(0, 2**31))
        self.mapping["seed"] = seed
        self._rng = random.Random(seed + len(self.mapping["entries"]))

    def replacement(self, label: str, value: str) -> str:
        """Return the replacement for one value, creating and remembering it on first sight."""
        entries = self.mapping["entries"]
        key = normalise(label, value)
        if key in entries:
            return entries[key]
        if label == "PERSON" and key.endswith("s") and key[:-1] in entries:
            return entries[key[:-1]] + "s"  # genitive: "Pers" -> "[NAVN 1]s"
        if self.mode == "surrogate":
            new = surrogate(label, value, self._rng)
        else:
            new = ""
        if not new:
            counters = self.mapping["counters"]
            counters[label] = counters.get(label, 0) + 1
            new = f"[{PLACEHOLDERS.get(label, label)} {counters[label]}]"
        entries[key] = new
        return new

    def redact(self, text: str, spans: Iterable[Span]) -> tuple[str, dict]:
        """Return the redacted text and the (updated) mapping. Spans must not overlap."""
        out = []
        position = 0
        for span in sorted(spans, key=lambda s: s.start):
            if span.start < position:
                continue
            out.append(text[position : span.start])
            out.append(self.replacement(span.label, text[span.start : span.end]))
            position = span.end
        out.append(text[position:])
        return "".join(out), self.mapping
