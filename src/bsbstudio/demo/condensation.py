"""Demo condensation and display: the ambulant-team evaluation, half-way through condensing.

Steps 1 and 2 are done, two code groups with five sub-groups sort the meaning units, three
sub-groups have a condensate and one group a synthesis with a quote; the 2 x 2 display is filled
with themes, quotes and short texts. Made through the real actions, as the process leader.
Idempotent: an evaluation that already has a condensation (or a display) keeps it as it is.
"""

from __future__ import annotations

from bsbstudio.analysis import condensation, display
from bsbstudio.analysis.models import CodedSegment, Condensation, Display
from bsbstudio.evaluations.models import Evaluation

SLUG = "ambulant-team-lindvag-2026"

IMPRESSION = (
    "Brukerne forteller om et team som tar seg tid og møter dem som mennesker, ikke som saker. "
    "Samtidig henger mye på én kontaktperson og på dagtid: når noen slutter, ved utskrivning fra "
    "DPS og om kvelden er det tynt. Flere savner å bli spurt om hva de selv vil, om medisiner og "
    "i planene. Pårørende kjenner seg ofte holdt utenfor."
)
THEMES = [
    "Å bli møtt som et menneske",
    "Å bestemme selv",
    "Når hjelpen henger på én person",
    "Overganger og utskrivning",
    "Pårørendes plass",
]

# (theme of the quote, the quote's opening words) -> a meaning unit
UNITS = {
    "medicines": [
        ("Medisiner", "Jeg sa at jeg ville trappe ned"),
        ("Medisiner", "Så jeg har sagt at jeg vil klare meg uten"),
        ("Medisiner", "Ingen spør hva JEG synes"),
    ],
    "plans": [
        ("Medvirkning", "Jeg føler at de har en plan"),
        ("Individuell plan og koordinator", "Det står at målet mitt"),
        ("Ansvarsgruppe", "Der sitter det fem-seks stykker"),
        ("Medvirkning", "Det er jeg som bestemmer hva vi skal snakke om"),
    ],
    "discharge": [
        ("Fastlege og DPS", "Jeg satt i leiligheten med en pose"),
        ("Fastlege og DPS", "Vi har en avtale om at de skal varsle oss"),
    ],
    "evenings": [("Forbedringer", "Kveld og helg")],
    "relatives": [
        ("Pårørende", "Jeg tror mange pårørende"),
        ("Pårørende", "Det var ingen som spurte om det"),
        ("Pårørende", "At jeg fikk lov til å være bror"),
    ],
}

GROUPS = [
    (
        "Å bestemme over eget liv",
        [
            (
                "Å bli hørt om medisiner",
                "medicines",
                "Når jeg sier at jeg vil trappe ned, vil jeg at de skal snakke med meg om det, "
                "ikke bli stille. Der de har lyttet, har jeg klart meg bedre.",
            ),
            (
                "Planer som ikke er mine",
                "plans",
                "Planen blir skrevet om meg, ikke med meg. Jeg vil at målene skal være mine, og "
                "at noen spør meg igjen når de har endret seg.",
            ),
        ],
        "Brukerne vil være med og bestemme, både om medisiner og om hva planene skal inneholde. "
        "Der teamet lytter og lar brukeren styre samtalen, beskrives hjelpen som god; der planer "
        "og møter handler om brukeren uten brukeren, kjenner de seg overkjørt.",
        "medicines",
    ),
    (
        "Hjelp som henger sammen",
        [
            (
                "Utskrivning fra DPS",
                "discharge",
                "Jeg ble sendt hjem uten at noen visste det. Jeg trengte bare at teamet fikk beskjed "
                "før jeg kom hjem.",
            ),
            ("Kveld og helg", "evenings", ""),
            ("Pårørende utenfor", "relatives", ""),
        ],
        "",
        None,
    ),
]

# (field, what: ("theme", name) | ("quote", (theme, opening words)) | ("text", words))
DISPLAY = [
    ("individual_planning", ("theme", "Medvirkning")),
    ("individual_planning", ("quote", ("Medvirkning", "Jeg føler at de har en plan"))),
    ("individual_planning", ("text", "Individuell plan laget sammen med brukeren")),
    ("individual_implementation", ("theme", "Å bli møtt")),
    ("individual_implementation", ("quote", ("Medvirkning", "Det er jeg som bestemmer"))),
    ("organisation_planning", ("theme", "Individuell plan og koordinator")),
    ("organisation_planning", ("text", "Avtale med DPS om beskjed før utskrivning")),
    ("organisation_implementation", ("quote", ("Forbedringer", "Kveld og helg"))),
    (
        "organisation_implementation",
        ("quote", ("Fastlege og DPS", "Vi har en avtale om at de skal varsle oss")),
    ),
    ("organisation_implementation", ("theme", "Tilgang og ventetid")),
]


def _segment(evaluation, leader, theme: str, opening: str):
    """The leader's coded quote of ``theme`` that starts with ``opening`` (None if the coding changed)."""
    return (
        CodedSegment.objects.filter(
            code__evaluation=evaluation, code__name=theme, quote__startswith=opening
        )
        .filter(created_by=leader)
        .order_by("pk")
        .first()
    )


def load_condensation(leader) -> None:
    """Condense the ambulant-team evaluation half-way and fill its display, once."""
    evaluation = Evaluation.objects.filter(slug=SLUG).first()
    if evaluation is None:
        return
    if not Condensation.objects.filter(evaluation=evaluation).exists():
        _condense(evaluation, leader)
    if not Display.objects.filter(evaluation=evaluation).exists():
        _display(evaluation, leader)


def _condense(evaluation, leader) -> None:
    condensation.save_impression(leader, evaluation, IMPRESSION, THEMES)
    segments = {
        key: [s for s in (_segment(evaluation, leader, *q) for q in quotes) if s is not None]
        for key, quotes in UNITS.items()
    }
    condensation.add_units(leader, evaluation, [s.pk for found in segments.values() for s in found])
    unit_of = {u.segment_id: u for u in evaluation.condensation.units.all()}
    for name, subgroups, synthesis, quote_from in GROUPS:
        group = condensation.add_group(leader, evaluation, name)
        for sub_name, key, condensate in subgroups:
            sub = condensation.add_subgroup(leader, evaluation, group.pk, sub_name)
            condensation.assign_units(
                leader, evaluation, {unit_of[s.pk].pk: sub.pk for s in segments[key]}
            )
            if condensate:
                condensation.save_condensate(leader, evaluation, sub.pk, condensate)
            if key == quote_from and segments[key]:
                condensation.choose_quote(
                    leader, evaluation, sub.pk, unit_of[segments[key][0].pk].pk
                )
        if synthesis:
            condensation.save_synthesis(leader, evaluation, group.pk, synthesis)


def _display(evaluation, leader) -> None:
    display.set_title(leader, evaluation, "Brukerperspektivet: fra person til organisasjon")
    codes = dict(evaluation.codes.values_list("name", "pk"))
    for field, (kind, what) in DISPLAY:
        if kind == "theme" and what in codes:
            display.place(leader, evaluation, field, code_id=codes[what])
        elif kind == "quote":
            segment = _segment(evaluation, leader, *what)
            if segment is not None:
                display.place(leader, evaluation, field, segment_id=segment.pk)
        elif kind == "text":
            display.place(leader, evaluation, field, text=what)
