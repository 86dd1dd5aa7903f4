"""URLs of personal pages (blogs, accounts, podcasts); public service sites are not flagged."""

from __future__ import annotations

import re

from ..document import Document
from .base import Pattern, PatternRecogniser

TLDS = r"(?:no|com|net|org|io|se|dk|nu|info|blog|me|tv|fm|eu|uk|de|co|app|page|site)"
PUBLIC_SITES = (
    "helsenorge.no",
    "nav.no",
    "regjeringen.no",
    "helsedirektoratet.no",
    "fhi.no",
    "norge.no",
    "skatteetaten.no",
    "altinn.no",
    "udir.no",
    "mentalhelse.no",
    "lpp.no",
    "ros.no",
    "psykiskhelse.no",
    "kommune.no",
    "113.no",
    "ung.no",
    "sammen.no",
    "bufdir.no",
    "statsforvalteren.no",
    "politiet.no",
    "vg.no",
    "nrk.no",
    "google.com",
    "facebook.com",
    "instagram.com",
    "youtube.com",
)


class UrlRecogniser(PatternRecogniser):
    """``http(s)://`` or ``www.`` addresses and bare domains with a path or a known suffix."""

    name = "url"
    label = "URL"
    PATTERNS = (
        Pattern("scheme or www", r"(?<![\w@/])(?:https?://|www\.)[^\s<>«»\"()]+", 0.9),
        Pattern(
            "domain",
            rf"(?<![\w@./-])(?:[\w-]+\.)+{TLDS}(?:/[^\s<>«»\"()]*)?(?![\w@-])",
            0.75,
        ),
    )

    def validate(
        self, doc: Document, match: re.Match, pattern: Pattern
    ) -> tuple[float, str] | None:
        """Trim trailing punctuation; drop public sites (but keep pages under social sites)."""
        text = match.group().rstrip(".,;:!?)")
        if not text or "@" in doc.text[max(0, match.start() - 1) : match.start()]:
            return None
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", text.casefold())
        domain, _, path = host.partition("/")
        if any(domain == site or domain.endswith("." + site) for site in PUBLIC_SITES):
            if not path.strip("/"):
                return None
        return pattern.score, "web address"

    def analyse(self, doc: Document):
        """Run the patterns, then trim trailing punctuation from each hit."""
        for span in super().analyse(doc):
            end = span.end
            while end > span.start and doc.text[end - 1] in ".,;:!?)":
                end -= 1
            if end > span.start:
                yield self.span(span.start, end, span.score, span.explanation)
