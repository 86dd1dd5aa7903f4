"""Place and organisation lists: their sources, and how the recognisers read them.

Examples are written for this test (none from the dev sets): multi-word places, organisations
named by a pattern in bokmål, nynorsk and lower-case speech-recognition text, and the words that
must stay unflagged ("Norge", generic services, national bodies, places that are also words).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from bsbstudio.deid.engine.lexicon import lexicon, read_counts, read_list

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "src" / "bsbstudio" / "deid" / "data"
SPACE = re.compile(r"\s+")

FOUND = [
    ("Hun flyttet til Nord-Odal i fjor.", "Nord-Odal", "LOCATION"),
    ("Eg budde i Sogndal då.", "Sogndal", "LOCATION"),
    ("Vi var på ferie i Rauland.", "Rauland", "LOCATION"),  # from NorNE's place names only
    ("Han kommer fra Haram.", "Haram", "LOCATION"),  # municipality again since 2024
    ("så bodde jeg i gjøvik en stund", "gjøvik", "LOCATION"),
    ("Jeg lå på Sykehuset Innlandet Sanderud i to uker.", "Sykehuset Innlandet Sanderud", None),
    ("Hun jobber i Ringsaker kommune.", "Ringsaker kommune", "ORGANIZATION"),
    ("jeg fikk brev fra ringsaker kommune", "ringsaker kommune", "ORGANIZATION"),
    ("Han går til DPS Nordfjord hver veke.", "DPS Nordfjord", "ORGANIZATION"),
    ("Han går til Nordfjord DPS hver uke.", "Nordfjord DPS", "ORGANIZATION"),
    ("Ambulant team Tynset ringte meg.", "Ambulant team Tynset", "ORGANIZATION"),
    ("eg var på frivilligsentralen i sogndal", "frivilligsentralen i sogndal", "ORGANIZATION"),
    ("Eg var innlagd på Nordfjord sjukehus.", "Nordfjord sjukehus", "ORGANIZATION"),
    ("Ho var på Aktivitetshuset på Tynset.", "Aktivitetshuset på Tynset", "ORGANIZATION"),
    ("Jeg har samtaler hos Nordfjord DPS nå.", "Nordfjord DPS", "ORGANIZATION"),  # not "hos"
    ("Han jobbet på Elkjøp i mange år.", "Elkjøp", "ORGANIZATION"),
]


@pytest.mark.parametrize(("text", "expected", "label"), FOUND)
def test_places_and_organisations_are_found(rules, found, text, expected, label):
    hits = found(rules, text)
    if label is None:
        assert any(surface == expected for surface, _ in hits), hits
    else:
        assert (expected, label) in hits, hits


UNFLAGGED = [
    ("Alle i Norge kjenner til det.", "Norge"),
    ("Eg har budd i Noreg heile livet.", "Noreg"),
    ("Det er Norges beste tilbud.", "Norges"),
    ("Vi gikk til NAV og så til DPS-en.", "NAV"),
    ("Vi gikk til NAV og så til DPS-en.", "DPS-en"),
    ("Kommunen sendte meg til legevakta og BUP.", "legevakta"),
    ("Kommunen sendte meg til legevakta og BUP.", "BUP"),
    ("Stortinget har vedtatt det, sier de.", "Stortinget"),
    ("Han fikk brev fra arbeids- og velferdsetaten i går.", "velferdsetaten"),
    ("Jeg hadde time hos fastlegen i dag.", "time"),
    ("Vi gikk på ski i helga.", "ski"),
    ("Hun var på akutten i natt.", "akutten"),
    ("det er en slags union mellom dem", "union"),
    ("Eg var i stad og handla.", "stad"),
]


@pytest.mark.parametrize(("text", "word"), UNFLAGGED)
def test_not_places_or_organisations(rules, found, text, word):
    hits = found(rules, text)
    assert all(word not in surface.split() for surface, _ in hits), hits


def test_norne_lists_hold_names_not_sentences_nor_norway():
    for name in ("norne_places.tsv", "norne_organisations.tsv"):
        entries = read_counts(name)
        assert len(entries) > 500, name
        assert all(len(SPACE.split(e)) <= 4 and len(e) <= 60 for e in entries), name
        assert not {"norge", "noreg", "norges", "stortinget", "sv", "fn"} & set(entries), name
        assert all(count >= 1 for count in entries.values())


def test_municipalities_cover_the_2024_division():
    names = set(read_list("municipalities.txt"))
    assert len(names) >= 355 + 15  # 355 distinct municipality names, 15 counties
    assert {"Haram", "Nord-Odal", "Aurskog-Høland", "Øystre Slidre", "Guovdageaidnu"} <= names
    assert {"Østfold", "Akershus", "Buskerud", "Vestfold", "Telemark", "Troms"} <= names


def test_places_that_are_also_words_come_from_norne_lower_case_use():
    lex = lexicon()
    assert {"time", "sel", "stad"} <= lex.places_also_ordinary
    assert not {"oslo", "moss", "hamar", "gjøvik"} & lex.places_also_ordinary
    assert lex.is_ordinary_place_word("Time") and not lex.is_ordinary_place_word("Gjøvik")


def _build_script():
    spec = importlib.util.spec_from_file_location(
        "build_lexicons", REPO / "scripts" / "build_lexicons.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("Rauland", True),
        ("Helse Førde", True),
        ("Norge", False),  # every text is Norwegian
        ("SV", False),  # short acronyms
        ("Frp", False),
        ("firda.no", False),  # lower case, a web address
        ("E39", False),  # digits: roads and addresses are the address recogniser's
        ("Kultur- og kyrkjedepartementet", False),  # national public bodies
        ("Arbeids- og velferdsetaten", False),
        ("Statens vegvesen", False),
        ("Arbeiderpartiet", False),
        ("Dalen", False),  # an ordinary word by the stub below
    ],
)
def test_norne_entity_filter(name, kept):
    module = _build_script()
    assert module.keep_entity(name, lambda word: word.casefold() == "dalen") is kept


def test_build_refuses_norne_dev_files(capsys):
    module = _build_script()
    with pytest.raises(SystemExit):
        module.main(["places", "nob-dev.conllu"])


def test_every_place_and_organisation_file_has_a_provenance_section():
    provenance = (DATA_DIR / "PROVENANCE.md").read_text(encoding="utf-8")
    for name in (
        "municipalities.txt",
        "places.txt",
        "organisations.txt",
        "org_patterns.yaml",
        "norne_places.tsv",
        "norne_organisations.tsv",
        "place_words_also_ordinary.txt",
    ):
        assert f"`{name}`" in provenance, name
