"""Check digits, surrogates and redaction."""

from __future__ import annotations

import json
import random

import pytest
from stdnum.no import fodselsnummer

from bsbstudio.deid.engine import Redactor, Span
from bsbstudio.deid.engine.checksums import check_number, is_synthetic, is_valid_2032
from bsbstudio.deid.engine.surrogates import synthetic_fodselsnummer


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("10077902320", True),
        ("16059798972", True),
        ("59079797221", True),
        ("21066111111", False),
        ("12345678901", False),
    ],
)
def test_check_number(number, valid):
    result = check_number(number)
    assert (result is not None and "valid check digits" in result[1]) == valid


def test_2032_rule_accepts_alternative_first_check_digit():
    # classic number: the rule from 2032 accepts it too (remainder 0 for the first digit)
    assert is_valid_2032("10077902320")
    assert not is_valid_2032("10077902329")


def test_surrogate_fodselsnummer_is_valid_and_fictitious():
    rng = random.Random(3)
    for _ in range(50):
        number = synthetic_fodselsnummer(rng)
        assert len(number) == 11 and is_synthetic(number)
        assert not fodselsnummer.is_valid(number)  # never a number a real person can hold
        assert check_number(number) is not None


TEXT = "Kari ringte Per. Kari bor i Asker."
SPANS = [
    Span(0, 4, "PERSON"),
    Span(12, 15, "PERSON"),
    Span(17, 21, "PERSON"),
    Span(28, 33, "LOCATION"),
]


def test_placeholders_are_consistent():
    redacted, mapping = Redactor().redact(TEXT, SPANS)
    assert redacted == "[NAVN 1] ringte [NAVN 2]. [NAVN 1] bor i [STED 1]."
    json.dumps(mapping)  # serialisable


def test_mapping_carries_over_between_texts():
    _, mapping = Redactor().redact(TEXT, SPANS)
    redacted, _ = Redactor(mapping=mapping).redact("Per", [Span(0, 3, "PERSON")])
    assert redacted == "[NAVN 2]"


def test_surrogates_are_reproducible_and_replace_everything():
    a, _ = Redactor(mode="surrogate", seed=7).redact(TEXT, SPANS)
    b, _ = Redactor(mode="surrogate", seed=7).redact(TEXT, SPANS)
    assert a == b
    assert "Kari" not in a and "Asker" not in a


def test_unknown_mode_is_rejected():
    with pytest.raises(ValueError):
        Redactor(mode="blur")
