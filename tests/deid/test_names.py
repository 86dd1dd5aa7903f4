"""Person names: the SSB lexicons, names that are also words, full names, lower case, initials,
nicknames and acronyms. Every name here is chosen for this test, none comes from the dev set."""

from __future__ import annotations

import pytest

from bsbstudio.deid.engine import Detector, EvaluationLists
from bsbstudio.deid.engine.lexicon import lexicon

POSITIVES = [
    # a listed name opening a turn or a sentence
    ("D1: Ja, eh … Sigrun. Jeg er her for å snakke om tilbudet.", "Sigrun"),
    ("I: Hvem er du? D2: Tormod, jeg er pårørende.", "Tormod"),
    ("Vi møttes på huset. Haldis kom litt seinere.", "Haldis"),
    ("Borghild sa at det hjalp.", "Borghild"),
    # a name that is also a word, standing alone as a turn
    ("I: Hva heter du? D3: Liv. Jeg har vært her lenge.", "Liv"),
    # full names are one span
    ("Jeg snakket med Gunnhild Marie Bråtveit i går.", "Gunnhild Marie Bråtveit"),
    ("Gunnhild Bråtveit ringte meg etterpå.", "Gunnhild Bråtveit"),
    ("Vi fikk hjelp av Ingeborg van Solvang på huset.", "Ingeborg van Solvang"),
    ("Da kom Amund Kvistbakken inn i rommet.", "Amund Kvistbakken"),  # unknown surname
    ("Liv Mykland ringte meg i går.", "Liv Mykland"),  # ambiguous given name + surname
    ("Saken gikk til Eilev Tiril-Haug.", "Eilev Tiril-Haug"),
    # an ambiguous surname with a capital inside a sentence
    ("Jeg snakket med Vold om saken.", "Vold"),
    # lower case, as speech recognition writes it
    ("ja og så snakket jeg med sigrun om det", "sigrun"),
    ("ja og så snakket jeg med amund mykland om det", "amund mykland"),
    ("ja jeg heter liv og jeg bor her", "liv"),
    # initials in a naming context
    ("Jeg møtte H. på kontoret.", "H"),
    ("E.B. sa at det var greit.", "E.B"),
    ("Og så sa T. at han ville hjem. T. sa det flere ganger.", "T"),
    ("Og så kom han B inn døra.", "B"),
    # nicknames in context
    ("Vi kaller ham Bamse på huset.", "Bamse"),
    ("Alle kaller meg Tassen.", "Tassen"),
    ("Han ble kalt Lillen av alle.", "Lillen"),
    ("vi kaller ham for pusen", "pusen"),
]

NEGATIVES = [
    "Det koster hundre kroner per time.",
    "Dag etter dag ble det litt bedre.",
    "Liv og lære henger sammen.",
    "Sol og varme hjelper meg mye.",
    "Vold i nære relasjoner var tema på møtet.",
    "Hagen var full av blomster.",
    "Han falt og slo seg på bakken.",
    "Det ga meg håp og ro. Ro. Vi satt i sola.",
    "Jeg har hatt stein i magen hele uka.",
    "Vi har vitamin D og en plan B.",
    "jeg blir bedre dag for dag og det gir livet mening",
    # acronyms: the service and its units in capitals are not persons
    "Vi var på møte med EVA og ROS i går.",
    "Jeg fikk hjelp fra NAV og FACT-teamet.",
]


def people(detector, text: str) -> list[str]:
    return [text[s.start : s.end] for s in detector.detect(text) if s.label == "PERSON"]


@pytest.mark.parametrize(("text", "name"), POSITIVES)
def test_names_are_found_as_one_span(rules, text, name):
    assert name in people(rules, text)


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_words_and_acronyms_are_not_names(rules, text):
    assert people(rules, text) == []


def test_an_acronym_on_the_names_to_hide_list_is_a_name():
    detector = Detector(EvaluationLists(people=["EVA"]), use_ner=False)
    text = "Vi var på møte med EVA og ROS i går."
    assert "EVA" in [text[s.start : s.end] for s in detector.detect(text)]


def test_every_mention_of_an_ambiguous_name_found_by_context():
    detector = Detector(use_ner=False)
    text = "Jeg heter Liv Mykland. Liv kom hit i fjor, og livet ble bedre."
    assert people(detector, text) == ["Liv Mykland", "Liv"]


@pytest.mark.parametrize("word", ["Dag", "Liv", "Sol", "Vold", "Øye", "Lie", "Hagen", "Strand"])
def test_names_that_are_frequent_words_are_ambiguous(word):
    lex = lexicon()
    assert lex.is_name(word)
    assert lex.is_ambiguous_name(word)
    assert lex.name_strength(word) < 0.5


@pytest.mark.parametrize("word", ["Ingrid", "Sindre", "Mohammed", "Sigrun", "Haldis", "Hansen"])
def test_names_that_are_rare_as_words_are_not_ambiguous(word):
    lex = lexicon()
    assert lex.is_name(word)
    assert not lex.is_ambiguous_name(word)
    assert lex.name_strength(word) > 0.8


def test_name_lexicon_comes_from_statistics_norway():
    lex = lexicon()
    assert len(lex.given_names) > 1500 and len(lex.family_names) > 3000
    assert {"anne-marie", "marie"} <= lex.given_names  # compounds and their parts
    assert lex.name_strength("Xyzzyqv") == 0.0
    assert lex.is_name("Sigruns")  # genitive
    assert lex.is_given_name("Sigrun") and not lex.is_given_name("Hansen")


def test_without_removes_words_from_the_lists():
    lex = lexicon()
    ablated = lex.without({"Sigrun", "Hansen"})
    assert not ablated.is_name("Sigrun") and not ablated.is_name("Hansen")
    assert lex.is_name("Sigrun")
    kept = lex.without({"Sigrun"}, names=False)
    assert kept.is_name("Sigrun")
