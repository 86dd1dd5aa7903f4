"""Norwegian number words as transcripts write them ("førtito", "null to null ni", "ein")."""

from __future__ import annotations

import re

UNITS = {
    "null": 0,
    "en": 1,
    "ein": 1,
    "ett": 1,
    "eitt": 1,
    "éin": 1,
    "én": 1,
    "to": 2,
    "tre": 3,
    "fire": 4,
    "fem": 5,
    "seks": 6,
    "sju": 7,
    "syv": 7,
    "åtte": 8,
    "ni": 9,
}
TEENS = {
    "ti": 10,
    "elleve": 11,
    "tolv": 12,
    "tretten": 13,
    "fjorten": 14,
    "femten": 15,
    "seksten": 16,
    "sytten": 17,
    "atten": 18,
    "nitten": 19,
}
TENS = {
    "tjue": 20,
    "tyve": 20,
    "tretti": 30,
    "tredve": 30,
    "førti": 40,
    "femti": 50,
    "seksti": 60,
    "sytti": 70,
    "åtti": 80,
    "nitti": 90,
}
_UNIT_ALT = "|".join(sorted((u for u in UNITS if u != "null"), key=len, reverse=True))
_TEN_ALT = "|".join(sorted(TENS, key=len, reverse=True))
_TEEN_ALT = "|".join(sorted(TEENS, key=len, reverse=True))
# A number word from 1 to 99: "sekstiseks", "tjueen", "femten", "ni".
NUMBER_WORD = rf"(?:(?:{_TEN_ALT})(?:{_UNIT_ALT})?|{_TEEN_ALT}|{_UNIT_ALT})"
NUMBER_WORD_RE = re.compile(rf"^{NUMBER_WORD}$", re.IGNORECASE)
DIGIT_WORD = rf"(?:null|{_UNIT_ALT})"


def word_value(word: str) -> int | None:
    """Return the value of a number word from 0 to 99, or ``None``."""
    word = word.casefold()
    if word in UNITS:
        return UNITS[word]
    if word in TEENS:
        return TEENS[word]
    for ten, value in TENS.items():
        if word.startswith(ten):
            rest = word[len(ten) :]
            if not rest:
                return value
            if rest in UNITS and UNITS[rest] > 0:
                return value + UNITS[rest]
    return None


def spoken_digits(words: list[str]) -> str:
    """Digits read out word by word ("null to null ni" -> "0209"; "førtifem" -> "45")."""
    out = []
    for word in words:
        value = word_value(word)
        if value is None:
            return ""
        out.append(str(value))
    return "".join(out)
