"""Demo quotes for the matrix: the Vardeteamet interviews from the outer district (Ytre).

The ambulant-team evaluation's own coding is mostly from the centre; these quotes from the two
individual interviews at Ytre (a user and a relative) make the matrix by site, by interview and
the balance view worth reading. Coded through the real action; idempotent: a quote already coded
to its theme is left as it is, and a quote the de-identification changed is skipped.
"""

from __future__ import annotations

from bsbstudio.analysis.actions import SegmentError, code_segment, locate_quote
from bsbstudio.analysis.models import Code, CodedSegment, NothingSaid
from bsbstudio.analysis.silence import SilenceError, mark_nothing_said
from bsbstudio.evaluations.models import Evaluation
from bsbstudio.transcripts.models import DeidentifiedText

SLUG = "ambulant-team-lindvag-2026"

# (interview, theme, polarity, directness, quote)
QUOTES = [
    (
        "EI1",
        "Å bli møtt",
        "positive",
        "direct",
        "Vi prata om motoren i sikkert en halvtime før vi kom inn på noe annet",
    ),
    (
        "EI1",
        "Tilgang og ventetid",
        "critical",
        "direct",
        "Så hvis jeg skal til legen eller til NAV, så er det en hel dag.",
    ),
    (
        "EI1",
        "Aktivitet og meningsfull hverdag",
        "neutral",
        "indirect",
        "Et sted å drikke kaffe en dag i uka, med noen folk.",
    ),
    (
        "EI1",
        "Kontinuitet og faste hjelpere",
        "critical",
        "direct",
        "Ho var sikkert grei, men jeg gadd ikke å slippe henne inn.",
    ),
    (
        "EI1",
        "NAV og bolig",
        "positive",
        "direct",
        "Nå har jeg en avtale om at husleia og strømmen går direkte.",
    ),
    (
        "EI1",
        "Fastlege og DPS",
        "critical",
        "indirect",
        "Jeg veit ikke hvor mye han og teamet prater sammen.",
    ),
    (
        "EI1",
        "Medisiner",
        "positive",
        "direct",
        "Så jeg har sagt at jeg vil klare meg uten så langt det går, og det har de respektert.",
    ),
    ("EI1", "Medvirkning", "positive", "direct", "Det er jeg som bestemmer hva vi skal snakke om."),
    (
        "EI3",
        "Tilgang og ventetid",
        "critical",
        "direct",
        "Det gikk vel en måned før det skjedde noe, og i den måneden var det jo oss.",
    ),
    ("EI3", "Pårørende", "critical", "direct", "Det var ingen som spurte om det. Ikke på lenge."),
    ("EI3", "Krise og kriseplan", "positive", "direct", "Og vi har laga en kriseplan sammen."),
    (
        "EI3",
        "Pårørende",
        "positive",
        "indirect",
        "Det var godt å treffe andre som var i samme situasjon.",
    ),
]


# The team went through the staff interviews and found nobody spoke of the users' say (group A).
NOTHING_SAID = (
    "Medvirkning",
    "A",
    "Lest alle intervjuene med ansatte på nytt: ingen sa noe om at brukerne er med og bestemmer "
    "over hjelpen.",
)


def load_matrix(leader) -> None:
    """Code the Ytre quotes in the ambulant-team evaluation, once each."""
    evaluation = Evaluation.objects.filter(slug=SLUG).first()
    if evaluation is None:
        return
    codes = {c.name: c for c in Code.objects.filter(evaluation=evaluation)}
    for interview, theme, polarity, directness, quote in QUOTES:
        text = (
            DeidentifiedText.objects.filter(
                transcript__interview__evaluation=evaluation,
                transcript__interview__code=interview,
            )
            .order_by("-version")
            .first()
        )
        if text is None or theme not in codes:
            continue
        try:
            start, end = locate_quote(text.text, quote)
        except SegmentError:
            continue  # the de-identification changed a word of it
        if not CodedSegment.objects.filter(
            text=text, code=codes[theme], start=start, end=end
        ).exists():
            code_segment(leader, text, codes[theme], start, end, polarity, directness)
    _mark_nothing_said(leader, evaluation, codes)


def _mark_nothing_said(leader, evaluation, codes) -> None:
    """The team's "nothing said" mark on one empty cell, once."""
    theme, group_code, note = NOTHING_SAID
    group = evaluation.informant_groups.filter(code=group_code).first()
    if theme not in codes or group is None:
        return
    if NothingSaid.objects.filter(code=codes[theme], group=group).exists():
        return
    try:
        mark_nothing_said(leader, codes[theme], group, note)
    except SilenceError:
        pass  # quotes were coded there after all: then the mark would not be true
