"""Phone and ID numbers read out as words, as transcripts write them.

"null to null ni seks sju, ni null to to to" (11 digits: ID_NUMBER),
"ni tre åtte fem, seksti en sytti" (8 digits: PHONE), also mixed with digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import Document
from ..numbers import NUMBER_WORD, word_value
from ..span import Span
from .base import Recogniser

TOKEN = rf"(?:{NUMBER_WORD}|null|\d{{1,4}})"
RUN_RE = re.compile(
    rf"(?<![\w-]){TOKEN}(?:(?:\s*[,-]\s*|\s+(?:og\s+)?){TOKEN}){{3,}}(?![\w-])", re.IGNORECASE
)
TOKEN_RE = re.compile(TOKEN, re.IGNORECASE)


def _digits(run: str) -> tuple[str, str]:
    """The digits a run spells, read two ways: "nitti åtte" as "908" and as "98".

    Speech recognition writes a spoken pair such as "nittiåtte" as two words, so a tens word
    followed by a unit word may be one number; the caller accepts either reading.
    """
    values = []
    for token in TOKEN_RE.findall(run):
        value = token if token.isdigit() else word_value(token)
        if value is None:
            return "", ""
        values.append(str(value))
    apart = "".join(values)
    joined = []
    for value in values:
        if joined and len(value) == 1 and value != "0" and re.fullmatch(r"[2-9]0", joined[-1]):
            joined[-1] = joined[-1][0] + value
        else:
            joined.append(value)
    return apart, "".join(joined)


class SpokenNumberRecogniser(Recogniser):
    """Runs of four or more number tokens that spell 8 (phone) or 11 (ID number) digits."""

    name = "spoken_number"
    label = "PHONE"

    def analyse(self, doc: Document) -> Iterator[Span]:
        """Find runs of number words and classify them by digit count."""
        for match in RUN_RE.finditer(doc.text):
            if not any(ch.isalpha() for ch in match.group()):
                continue  # all digits: the digit recognisers decide
            readings = _digits(match.group())
            digits = next((d for d in readings if len(d) == 11), "") or next(
                (d for d in readings if len(d) == 8), ""
            )
            if len(digits) == 11:
                yield self.span(
                    match.start(),
                    match.end(),
                    0.85,
                    f"11 digits read out as words ({digits[:2]}…)",
                    "ID_NUMBER",
                )
            elif len(digits) == 8:
                yield self.span(match.start(), match.end(), 0.8, "8 digits read out as words")
