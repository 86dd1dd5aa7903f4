"""Demo data for the code tree: emergent themes with sub-themes, colours chosen for some themes.

In the ambulant-team evaluation the theme that came up at the dialogue conference, "Transport til
tilbudene", gets two sub-themes, and one quote of EI1 (Ytre) is coded to one of them; in the
districts evaluation a theme found in the material, "Økonomi", gets one. A few themes get a colour
of their own, the rest keep the palette's. Idempotent: a theme is made once, a quote coded once.
"""

from __future__ import annotations

from bsbstudio.analysis.actions import (
    SegmentError,
    code_segment,
    create_emergent_code,
    edit_code,
    locate_quote,
)
from bsbstudio.analysis.models import Code, CodedSegment
from bsbstudio.evaluations.models import Evaluation
from bsbstudio.transcripts.models import DeidentifiedText

# evaluation -> emergent theme -> (colour, description, [(sub-theme, colour, description)])
SUB_THEMES = {
    "ambulant-team-lindvag-2026": {
        "Transport til tilbudene": (
            "#8c564b",
            "Hvordan brukerne kommer seg til lege, NAV og aktiviteter når de bor langt unna.",
            [
                ("Buss og skyss", "#00796b", "Om bussruter, skyss og det å være uten bil."),
                (
                    "Avstand til dagtilbud",
                    "",
                    "Om tilbud som ligger for langt unna til å bli brukt.",
                ),
            ],
        ),
    },
    "bydeler-storhavn-2026": {
        "Økonomi": (
            "#8a6d00",
            "Penger til husleie, strøm og mat, og hva det betyr for å delta.",
            [("Strøm og husleie", "", "Om regninger som tar det meste av pengene.")],
        ),
    },
}

# Guide themes with a colour of their own.
GUIDE_COLOURS = {
    "ambulant-team-lindvag-2026": {"Tilgang og ventetid": "#1f5fa8", "Medvirkning": "#6a3d9a"},
    "bydeler-storhavn-2026": {"Tilgjengelighet": "#1f5fa8", "Bolig": "#2e7d32"},
}

# (evaluation, interview, sub-theme, polarity, directness, quote)
QUOTES = [
    (
        "ambulant-team-lindvag-2026",
        "EI1",
        "Buss og skyss",
        "critical",
        "direct",
        "jeg er avhengig av buss, og bussen går to ganger om dagen",
    ),
]


def load_code_tree(leader) -> None:
    """Make the sub-themes, choose the colours and code the quotes, once each."""
    for slug, themes in SUB_THEMES.items():
        evaluation = Evaluation.objects.filter(slug=slug).first()
        if evaluation is None:
            continue
        for name, (colour, description, children) in themes.items():
            theme = create_emergent_code(leader, evaluation, name)
            edit_code(leader, theme, colour=colour, name=name, description=description)
            for child_name, child_colour, child_description in children:
                child = create_emergent_code(leader, evaluation, child_name)
                edit_code(
                    leader,
                    child,
                    colour=child_colour,
                    name=child_name,
                    description=child_description,
                    parent_id=theme.pk,
                )
        for name, colour in GUIDE_COLOURS.get(slug, {}).items():
            code = Code.objects.filter(evaluation=evaluation, kind=Code.Kind.GUIDE, name=name)
            if code.exists():
                edit_code(leader, code.get(), colour=colour)
    for slug, interview, name, polarity, directness, quote in QUOTES:
        _code_quote(leader, slug, interview, name, polarity, directness, quote)


def _code_quote(leader, slug, interview, name, polarity, directness, quote) -> None:
    code = Code.objects.filter(evaluation__slug=slug, name=name).first()
    text = (
        DeidentifiedText.objects.filter(
            transcript__interview__evaluation__slug=slug, transcript__interview__code=interview
        )
        .order_by("-version")
        .first()
    )
    if code is None or text is None:
        return
    try:
        start, end = locate_quote(text.text, quote)
    except SegmentError:
        return  # the de-identification changed a word of it
    if not CodedSegment.objects.filter(text=text, code=code, start=start, end=end).exists():
        code_segment(leader, text, code, start, end, polarity, directness)
