"""Speech-recognition and dialect forms the rules must read: names after a naming word, double
given names, titles in lower case, spoken phone numbers, ages in verb-second and dialect order,
lower-case street addresses, service units named by their place (issue 11)."""

from __future__ import annotations

import pytest

from bsbstudio.deid.engine import Detector


@pytest.fixture(scope="module")
def rules() -> Detector:
    return Detector(use_ner=False)


def found(detector: Detector, text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in detector.detect(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ja jeg heter amina el-sayed og jeg bor her", ("amina el-sayed", "PERSON")),
        ("hun heter sáve iŋgá og hun hjelper meg", ("sáve iŋgá", "PERSON")),
        ("I: Hvem visste det? D2: Tor-Inge visste. Han kjørte meg.", ("Tor-Inge", "PERSON")),
        ("vi fikk en ny lege doktor adeyemi som var grei", ("adeyemi", "PERSON")),
        (
            "ring broren min på åtti sju tre tre fem to en fire",
            ("åtti sju tre tre fem to en fire", "PHONE"),
        ),
        ("nå er sindre trettiseks og bor alene", ("trettiseks", "AGE")),
        ("No er ho femtito, og ho har det betre.", ("femtito", "AGE")),
        ("Æ e sekstifire nu og æ har", ("sekstifire", "AGE")),
        ("jeg bodde i fjellveien 21 og det var kaldt", ("fjellveien 21", "LOCATION")),
        (
            "jeg fikk hjelp fra ruskontoret i harstad til slutt",
            ("ruskontoret i harstad", "ORGANIZATION"),
        ),
        (
            "Hun jobber i Barnevernstjenesten i Alta kommune.",
            ("Barnevernstjenesten i Alta kommune", "ORGANIZATION"),
        ),
        ("han bor oppi valdres nå", ("valdres", "LOCATION")),
    ],
)
def test_spoken_and_dialect_forms_are_found(rules, text, expected):
    assert expected in found(rules, text)


@pytest.mark.parametrize(
    "text",
    [
        "nå er det to igjen av dem.",
        "da var vi tre på rommet.",
        "no er klokka ni og vi går.",
        "vi satt på kontoret i byen hele dagen",
        "jeg heter kari og hun heter noe annet",
        "det tok hele veien 10 minutter",
    ],
)
def test_ordinary_speech_is_left_alone(rules, text):
    hits = found(rules, text)
    assert not [h for h in hits if h[1] in ("AGE", "ORGANIZATION", "LOCATION")], hits
    assert ("og", "PERSON") not in hits and ("noe", "PERSON") not in hits


@pytest.mark.parametrize(
    "text",
    [
        "Ja, jeg kan jo si at det gikk bra.",  # "Jo" is a name, "jo si" is speech
        "Det var slik hver uke, Hver eneste uke måtte jeg ringe.",  # a capital by mistake
        "Samarbeidet med Aetat og trygdeetaten ble bedre.",  # a national body, like NAV
    ],
)
def test_no_false_alarm_in_ordinary_quotes(text):
    assert found(Detector(), text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("D2: Æ va rørlegger på verftet i mange år.", ("rørlegger på verftet", "YRKE")),
        ("Han sa opp jobben som kranfører i fjor.", ("kranfører", "YRKE")),
        ("Ho har vore notbøtar heile livet.", ("notbøtar", "YRKE")),
        (
            "Eg vann kretsmeisterskapet i sjakk som ung.",
            ("kretsmeisterskapet i sjakk som ung", "ROLLE"),
        ),
    ],
)
def test_dialect_and_spoken_quasi_identifiers(rules, text, expected):
    hits = [(text[s.start : s.end], s.category) for s in rules.detect(text)]
    assert expected in hits


@pytest.mark.parametrize("text", ["jeg vant over angsten til slutt.", "jeg er vant til det."])
def test_winning_without_a_prize_is_no_quasi_identifier(rules, text):
    assert not [s for s in rules.detect(text) if s.label == "QUASI"]
