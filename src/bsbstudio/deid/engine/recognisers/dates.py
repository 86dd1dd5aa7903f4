"""Dates: numeric, written, holidays with a year, and years tied to events.

"3.4.2019", "17. mai", "tredje mars 2019", "høsten 2015", "julaften 2020", "i 2002".
"""

from __future__ import annotations

import re

from ..document import Document
from .base import Pattern, PatternRecogniser

MONTHS = (
    r"(?:januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|"
    r"desember|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|des)\.?"
)
ORDINALS = (
    r"(?:første|fyrste|andre|tredje|fjerde|femte|sjette|sjuende|syvende|åttende|niende|"
    r"tiende|ellevte|tolvte|trettende|fjortende|femtende|sekstende|syttende|attende|"
    r"nittende|tjuende|tyvende|tjue(?:første|fyrste|andre|tredje|fjerde|femte|sjette|"
    r"sjuende|syvende|åttende|niende)|trettiende|trettiførste|tretti(?:første|fyrste))"
)
SEASONS = r"(?:våren|sommeren|høsten|vinteren|hausten|vinteren|sumaren|julen|jula|påsken|påska)"
HOLIDAYS = (
    r"(?:julaften|juleaften|nyttårsaften|nyttårsdag|første juledag|andre juledag|"
    r"skjærtorsdag|langfredag|påskeaften|første påskedag|andre påskedag|påske|pinse|"
    r"andre pinsedag|sankthansaften|sankthansaftan|sankthans|jonsok|17\. mai|"
    r"grunnlovsdagen|julaftan)"
)
YEAR = r"(?:1[89]\d\d|20[0-4]\d)"
NOT_AFTER_YEAR = re.compile(
    r"^\s*(?:kroner|kr|kilo|mg|meter|km|personer|mennesker|stk|"
    r"timer|minutter|brukere|brukarar|ansatte|plasser|\d|%|prosent)",
    re.IGNORECASE,
)


class DateRecogniser(PatternRecogniser):
    """Specific dates and years; generic time expressions ("i fjor", weekdays) are not flagged."""

    name = "date"
    label = "DATE"
    PATTERNS = (
        Pattern(
            "numeric date",
            r"(?<![\d.,])(?:0?[1-9]|[12]\d|3[01])[./-](?:0?[1-9]|1[0-2])[./-](?:\d{4}|\d{2})"
            r"(?![\d]|[.,]\d)",
            0.85,
        ),
        Pattern(
            "day and month",
            rf"(?<![\w.])(?:0?[1-9]|[12]\d|3[01])\.\s?{MONTHS}(?:\s{YEAR})?(?!\w)",
            0.9,
        ),
        Pattern("ordinal and month", rf"(?<!\w){ORDINALS}\s{MONTHS}(?:\s{YEAR})?(?!\w)", 0.85),
        Pattern("month and year", rf"(?<![\w.]){MONTHS}\s{YEAR}(?!\w)", 0.8),
        Pattern("season and year", rf"(?<!\w){SEASONS}\s{YEAR}(?!\w)", 0.8),
        Pattern("holiday and year", rf"(?<!\w){HOLIDAYS}(?:\s{YEAR})(?!\w)", 0.85),
        Pattern("year", rf"(?<![\w.,/-]){YEAR}(?![\w/-]|[.,]\d)", 0.55),
    )
    description = "date"

    def validate(
        self, doc: Document, match: re.Match, pattern: Pattern
    ) -> tuple[float, str] | None:
        """Drop years that are amounts ("2000 kroner")."""
        if pattern.name == "year" and NOT_AFTER_YEAR.match(
            doc.text[match.end() : match.end() + 12]
        ):
            return None
        if (
            pattern.name == "month and year"
            and match.group()[:3].casefold() == "mar"
            and not match.group()[:4].casefold().startswith("mars")
        ):
            return None
        return pattern.score, f"date ({pattern.name})"
