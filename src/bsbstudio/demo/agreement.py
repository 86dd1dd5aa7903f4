"""Demo double coding: two peer interviewers coded the staff focus group blind; ready to compare.

Geir and Silje agree on some quotes, mark others a little differently and disagree on a few, so
the comparison page shows figures and disagreements to resolve. Made through the real actions.
Idempotent: an evaluation that already has a double coding is left as it is.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from bsbstudio.analysis import agreement
from bsbstudio.analysis.actions import SegmentError, code_segment, locate_quote
from bsbstudio.analysis.models import Code, DoubleCoding
from bsbstudio.evaluations.models import Evaluation
from bsbstudio.transcripts.models import DeidentifiedText

SLUG = "ambulant-team-lindvag-2026"
INTERVIEW = "FG2"
CODERS = ("demo-geir-holtan", "demo-silje-bakkerud")

ACCESS = "Tilgang og ventetid"
MET = "Å bli møtt"
CONTINUITY = "Kontinuitet og faste hjelpere"
CRISIS = "Krise og kriseplan"
PLAN = "Individuell plan og koordinator"
IMPROVE = "Forbedringer"

# (coder 0 = Geir, 1 = Silje, theme, polarity, quote as it stands in the de-identified text)
CODINGS = [
    (
        0,
        ACCESS,
        "critical",
        "I perioder har vi hatt venteliste på seks-sju uker, og det er ikke bra nok.",
    ),
    (
        1,
        ACCESS,
        "critical",
        (
            "Målet er jo at folk skal få et første besøk innen to uker. Det klarer vi ikke "
            "alltid. I perioder har vi hatt venteliste på seks-sju uker, og det er ikke bra "
            "nok."
        ),
    ),
    (
        0,
        ACCESS,
        "critical",
        (
            "Det tar nesten en time å kjøre ut dit hver vei. Så et besøk der ute er egentlig "
            "en halv arbeidsdag."
        ),
    ),
    (
        1,
        ACCESS,
        "critical",
        (
            "Det tar nesten en time å kjøre ut dit hver vei. Så et besøk der ute er egentlig "
            "en halv arbeidsdag."
        ),
    ),
    (
        0,
        MET,
        "positive",
        (
            "For meg handler det om å ikke ha det travelt. At du setter deg ned og drikker "
            "den kaffen, selv om du egentlig skulle vært et annet sted om tjue minutter."
        ),
    ),
    (
        1,
        MET,
        "positive",
        (
            "For meg handler det om å ikke ha det travelt. At du setter deg ned og drikker "
            "den kaffen, selv om du egentlig skulle vært et annet sted om tjue minutter."
        ),
    ),
    (
        0,
        MET,
        "neutral",
        (
            "Det viktigste den første gangen er, på en måte, at de får lyst til at vi skal "
            "komme igjen."
        ),
    ),
    (
        0,
        CONTINUITY,
        "critical",
        (
            "Når noen slutter, blir brukerne fordelt på oss andre, og da er det ikke alltid "
            "at det blir den beste matchen."
        ),
    ),
    (
        1,
        CONTINUITY,
        "critical",
        (
            "Når noen slutter, blir brukerne fordelt på oss andre, og da er det ikke alltid "
            "at det blir den beste matchen."
        ),
    ),
    (
        1,
        CONTINUITY,
        "positive",
        (
            "Det der med to kontaktpersoner synes jeg har vært kjempebra der vi har fått det "
            "til, altså."
        ),
    ),
    (
        0,
        CRISIS,
        "critical",
        (
            "Noen har en plan som er laget sammen med brukeren og som de faktisk bruker, "
            "andre har en plan som ligger i journalen og som brukeren aldri har sett."
        ),
    ),
    (
        1,
        CRISIS,
        "critical",
        (
            "Noen har en plan som er laget sammen med brukeren og som de faktisk bruker, "
            "andre har en plan som ligger i journalen og som brukeren aldri har sett."
        ),
    ),
    (
        0,
        CRISIS,
        "neutral",
        "Vi har snakka om å ha en kveld i uka, med utvida åpningstid.",
    ),
    (
        1,
        IMPROVE,
        "neutral",
        "Vi har snakka om å ha en kveld i uka, med utvida åpningstid.",
    ),
    (
        0,
        PLAN,
        "critical",
        "vi er ikke flinke nok på individuell plan, altså. Det må vi bare innrømme.",
    ),
    (
        1,
        PLAN,
        "critical",
        (
            "vi er ikke flinke nok på individuell plan, altså. Det må vi bare innrømme. Mange"
            " har koordinator hos oss, men selve planen blir ofte et dokument som lages og så"
            " blir liggende."
        ),
    ),
]


def load_agreement(leader) -> None:
    """Start a double coding of FG2 for Geir and Silje and code it as each of them would."""
    evaluation = Evaluation.objects.filter(slug=SLUG).first()
    if (
        evaluation is None
        or DoubleCoding.objects.filter(text__transcript__interview__evaluation=evaluation).exists()
    ):
        return
    interview = evaluation.interviews.filter(code=INTERVIEW).first()
    text = None
    if interview is not None:
        text = (
            DeidentifiedText.objects.filter(transcript__interview=interview)
            .order_by("-version", "-pk")
            .first()
        )
    users = get_user_model().objects
    coders = [users.filter(username=name).first() for name in CODERS]
    if text is None or None in coders:
        return
    codes = {c.name: c for c in Code.objects.filter(evaluation=evaluation)}
    with transaction.atomic():
        agreement.start(leader, evaluation, text, *coders)
        for coder, theme, polarity, quote in CODINGS:
            try:
                start, end = locate_quote(text.text, quote)
            except SegmentError:
                continue  # the de-identification hid a word in it; a coder would re-select it
            code_segment(coders[coder], text, codes[theme], start, end, polarity, "direct")
