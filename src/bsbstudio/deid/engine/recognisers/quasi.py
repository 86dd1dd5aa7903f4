"""Quasi-identifiers: distinctive occupations and unique roles or events.

"Jeg var glassblåser på glassverket", "Hun er konsertpianist", "jeg er den einaste tannlegen
på øya", "alle vet at jeg er han som reddet naboen ut av brannen", "kjent YouTuber".
Ordinary health and welfare roles ("sykepleier", "koordinator") are never flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import Document
from ..numbers import NUMBER_WORD, TEENS, TENS, UNITS
from ..span import Span
from .base import Recogniser

LEAD = (
    r"(?:jobber som|jobbar som|jobbet som|jobba som|arbeider som|arbeidde som|"
    r"arbeidet som|er|var|vart|ble|blei|har vært|har vore)"
)
ADVERB = r"(?:(?:forresten|også|jo|nok|vel|egentlig|faktisk|altså)\s+)"
MODIFIER = r"(?:(?:pensjonert|tidligere|tidlegare|forhenværende|kjent|kjend|gammel|ein|en|ei)\s+)"
EXTENSION = (
    rf"(?:\s(?:i\s)?(?:{NUMBER_WORD}|\d+)\sår|\s(?:på|i|for|ved|hos)\s"
    r"(?:(?:en|ein|ei|et|eit|de|dei|av|siste|store|gamle|egen|eiga|eige)\s){0,4}"
    r"(?-i:[a-zæøå][\wæøå-]*))"
)
WORD_RE = re.compile(
    rf"\b{LEAD}\s+{ADVERB}?(?P<hit>{MODIFIER}?(?P<job>[\wæøåÆØÅ-]+)"
    rf"{EXTENSION}?)",
    re.IGNORECASE,
)
NOT_EXTENSION = frozenset(
    {
        "mange",
        "lang",
        "lange",
        "flere",
        "fleire",
        "noen",
        "nokre",
        "ei",
        "en",
        "to",
        "tre",
        "hele",
        "heile",
        "starten",
        "begynnelsen",
    }
)
UNIQUE_RE = re.compile(
    r"\b(?:er|var|vart|ble|blei)\s+(?:(?:vel|nok|jo|forresten|altså)\s+)?(?P<hit>"
    r"(?:(?:den|ho|han|hun)\s+(?:eneste|einaste|siste)|(?:ho|han|hun)\s+(?:som|fra|frå))\s"
    r"[^.!?;\n…«»()]{3,70}?)(?=[.!?;\n…(]|,\s|$)"
    r"|\b(?P<hit2>(?:eneste|einaste|siste)\s(?:gjenlevende|attlevande|som|[\wæøå]{3,}(?:er|ar|"
    r"eren|aren|ende|ande))\s[^.!?;\n…«»()]{3,70}?)(?=[.!?;\n…(]|,\s|$)"
    r"|\b(?:har|hadde)\s+(?P<hit3>(?:vunne|vunnet|vant)\s[^.!?;\n…«»()]{3,60}?)(?=[.!?;\n…(]|,\s|$)"
    r"|\b(?:er|var)\s+(?P<hit4>[a-zæøå]+(?:ens|ns)\s(?:datter|sønn|dotter|son|kone|mann|"
    r"kjæreste|bror|søster|syster))\b",
    re.IGNORECASE,
)
WORKS_RE = re.compile(
    r"\b(?:som|eg|jeg|han|hun|ho)\s+(?P<hit>(?:kjører|køyrer|driv|driver)\s"
    r"(?:(?:den|det|ein|eit|en|et)\s[\wæøå ]{3,40}?|[\wæøå]{3,}(?:en|et|a)"
    r"(?:\s(?:på|i)\s[\wæøå]+)?))(?=[.!?;\n…,]|$)",
    re.IGNORECASE,
)


NUMBER_WORDS = frozenset(TENS) | frozenset(TEENS) | frozenset(UNITS)


class QuasiRecogniser(Recogniser):
    """Distinctive occupations (list and suffixes) and unique-role phrases."""

    name = "quasi"
    label = "QUASI"

    def _is_occupation(self, doc: Document, job: str) -> bool:
        lex = doc.lexicon
        folded = job.casefold()
        if folded in lex.staff_roles or folded.rstrip("en") in lex.staff_roles:
            return False
        if folded in lex.occupations:
            return True
        return (
            len(folded) > 6
            and folded.endswith(lex.occupation_suffixes)
            and not any(
                folded.endswith(role) and len(folded) - len(role) < 3 for role in lex.staff_roles
            )
        )

    def analyse(self, doc: Document) -> Iterator[Span]:
        """Yield occupations, unique roles and distinctive activities."""
        for match in WORD_RE.finditer(doc.text):
            if not self._is_occupation(doc, match.group("job")):
                continue
            start, end = match.span("hit")
            tail = doc.text[match.end("job") : end].split()
            if (
                tail
                and tail[-1] != "år"
                and tail[-1].casefold() in NOT_EXTENSION | {w for w in NUMBER_WORDS}
            ):
                end = match.end("job")
            yield self.span(start, end, 0.7, f"distinctive occupation '{match.group('job')}'")
        for match in UNIQUE_RE.finditer(doc.text):
            group = next(g for g in ("hit", "hit2", "hit3", "hit4") if match.group(g))
            start, end = match.span(group)
            yield self.span(start, end, 0.65, "a unique role, event or relation")
        for match in WORKS_RE.finditer(doc.text):
            start, end = match.span("hit")
            if len(doc.text[start:end].split()) >= 2:
                yield self.span(start, end, 0.5, "a distinctive job or activity")
