"""The redactor keeps one person one pseudonym, a full name's parts included, and generalises quasi hits."""

from __future__ import annotations

import re

import pytest

from bsbstudio.deid.engine import Redactor, Span


def spans_of(text: str, *found: tuple[str, str, str]) -> list[Span]:
    """Every whole-word occurrence of each (words, label, category), longest first where they overlap."""
    spans = [
        Span(m.start(), m.end(), label, category=category)
        for words, label, category in found
        for m in re.finditer(rf"\b{re.escape(words)}\b", text)
    ]
    kept, position = [], 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start >= position:
            kept.append(span)
            position = span.end
    return kept


def person(*names: str) -> list[tuple[str, str, str]]:
    return [(name, "PERSON", "") for name in names]


FIRST = "Kari Nordmann hjalp meg. Etterpå sa Kari at Karis bror kjente Nordmann fra før."


def test_a_full_names_parts_follow_it_in_placeholder_mode():
    text, _ = Redactor().redact(
        FIRST, spans_of(FIRST, *person("Kari Nordmann", "Kari", "Karis", "Nordmann"))
    )
    assert text == (
        "[NAVN 1] hjalp meg. Etterpå sa [NAVN 1] at [NAVN 1]s bror kjente [NAVN 1] fra før."
    )


def test_a_lone_first_name_before_the_full_name_follows_it_too():
    text = "Kari ringte. Det var Kari Nordmann, og Per var der."
    redacted, _ = Redactor().redact(text, spans_of(text, *person("Kari Nordmann", "Kari", "Per")))
    assert redacted == "[NAVN 1] ringte. Det var [NAVN 1], og [NAVN 2] var der."


def test_parts_follow_the_full_name_in_a_later_text_of_the_evaluation():
    _, mapping = Redactor().redact(FIRST, spans_of(FIRST, *person("Kari Nordmann")))
    later = "karis mor og Nordmann kom, men ikke Per."
    redacted, _ = Redactor(mapping=mapping).redact(
        later, spans_of(later, *person("karis", "Nordmann", "Per"))
    )
    assert redacted == "[NAVN 1]s mor og [NAVN 1] kom, men ikke [NAVN 2]."


def test_surrogate_parts_are_the_surrogates_own_first_name_and_surname():
    redactor = Redactor(mode="surrogate", seed=11)
    text, mapping = redactor.redact(
        FIRST, spans_of(FIRST, *person("Kari Nordmann", "Kari", "Karis", "Nordmann"))
    )
    full = mapping["entries"]["PERSON:karinordmann"]
    first, last = full.split()[0], full.split()[-1]
    assert "Kari" not in text and "Nordmann" not in text
    assert text == (f"{full} hjalp meg. Etterpå sa {first} at {first}s bror kjente {last} fra før.")
    later = "kari kom."
    redacted, _ = Redactor(mode="surrogate", mapping=mapping).redact(
        later, spans_of(later, *person("kari"))
    )
    assert redacted == f"{first.lower()} kom."


def test_a_part_of_two_full_names_gets_a_pseudonym_of_its_own():
    text = "Kari Nordmann og Kari Hansen kom. Kari sa ingenting, men Hansen gjorde."
    redacted, _ = Redactor().redact(
        text, spans_of(text, *person("Kari Nordmann", "Kari Hansen", "Kari", "Hansen"))
    )
    assert redacted == "[NAVN 1] og [NAVN 2] kom. [NAVN 3] sa ingenting, men [NAVN 2] gjorde."


@pytest.mark.parametrize("mode", ["placeholder", "surrogate"])
def test_a_quasi_hit_with_a_category_is_generalised_not_counted(mode):
    text = "Jeg var glassblåser på verket, og Per var brannmann i bygda."
    spans = spans_of(
        text,
        ("glassblåser på verket", "QUASI", "YRKE"),
        ("brannmann i bygda", "QUASI", ""),
        *person("Per"),
    )
    redacted, mapping = Redactor(mode=mode, seed=1).redact(text, spans)
    assert "[YRKE]" in redacted and "glassblåser" not in redacted and "verket" not in redacted
    assert "brannmann" not in redacted
    assert "QUASI" not in mapping["counters"] or mapping["counters"]["QUASI"] == 1
    assert not any("glassblåser" in key for key in mapping["entries"])


def test_a_quasi_hit_asked_for_is_written_as_an_ellipsis():
    text = "Jeg var glassblåser på verket. Det var i fjor."
    (quasi,) = spans_of(text, ("glassblåser på verket", "QUASI", "YRKE"))
    redacted, mapping = Redactor().redact(text, [quasi], ellipsis={(quasi.start, quasi.end)})
    assert redacted == "Jeg var …. Det var i fjor."
    assert mapping["entries"] == {}
