"""The search words: Norwegian stems, offsets, the query language and finding matches again."""

from __future__ import annotations

import pytest

from bsbstudio.analysis.engine.stemming import (
    EmptyQueryError,
    Term,
    find_matches,
    index_columns,
    parse_query,
    stem,
    words,
)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # Snowball "norwegian", as it really stems (checked against PyStemmer 3.1):
        ("innleggelsen", "innlegg"),
        ("innleggelser", "innlegg"),
        ("innleggelse", "innlegg"),
        ("tryggheten", "trygg"),
        ("trygge", "trygg"),
        ("teamet", "team"),
        ("ansatte", "ansatt"),
    ],
)
def test_snowball_norwegian_stems(word, expected):
    assert stem(word) == expected


def test_trygt_keeps_its_t_so_it_does_not_share_the_stem_of_trygg():
    # Asserted as Snowball does it: the neuter form is not reduced.
    assert stem("trygt") == "trygt" != stem("trygg")


def test_words_have_code_point_offsets_and_skip_punctuation():
    text = "D1: Møtet – «innleggelsen» var trygg."
    found = words(text)
    assert [w.lower for w in found] == ["d1", "møtet", "innleggelsen", "var", "trygg"]
    assert all(text[w.start : w.end].lower() == w.lower for w in found)
    assert found[2].stem == "innlegg"


def test_index_columns_are_space_joined_stems_and_lower_words():
    assert index_columns("Innleggelsen, ble TRYGG!") == (
        "innlegg ble trygg",
        "innleggelsen ble trygg",
    )


def test_overlong_words_are_left_out():
    assert [w.lower for w in words("a" * 101 + " ord")] == ["ord"]


def test_query_language_words_phrases_prefixes():
    assert parse_query('innleggelsen "god hjelp" trygg* ') == [
        Term("word", ("innlegg",)),
        Term("phrase", ("god", "hjelp")),
        Term("prefix", ("trygg",)),
    ]


def test_a_hyphenated_word_is_a_phrase_and_a_repeated_term_counts_once():
    assert parse_query("bo-oppfølging bo-oppfølging") == [Term("phrase", ("bo", "oppfølging"))]


def test_one_word_in_quotes_is_a_word():
    assert parse_query('"innleggelser"') == [Term("word", ("innlegg",))]


@pytest.mark.parametrize("query", ["", "   ", '"', '""', "*", "* - + ( ) ?", "«»!", "\x00"])
def test_a_query_without_words_is_refused(query):
    with pytest.raises(EmptyQueryError):
        parse_query(query)


def test_and_is_a_word_since_there_are_no_boolean_operators():
    assert parse_query("* AND -") == [Term("word", (stem("and"),))]


def test_find_matches_words_phrase_and_prefix():
    found = words("Han fikk god hjelp etter innleggelsen, og hjelpen var god.")
    assert find_matches(found, parse_query("innleggelser")) == [(5, 6)]
    assert find_matches(found, parse_query('"god hjelp"')) == [(2, 4)]
    assert find_matches(found, parse_query("innl*")) == [(5, 6)]
    # Words need not stand together; a phrase must.
    assert find_matches(found, parse_query("hjelp etter")) == [(3, 4), (4, 5)]
    assert find_matches(found, parse_query('"hjelp god"')) is None
    assert find_matches(found, parse_query("innleggelsen savnet")) is None


def test_the_index_columns_hold_exactly_the_words_the_display_finds_again():
    text = "D1: «Innleggelsen» – 3. gang, ærlig talt; " + "x" * 101 + " ÅPEN_dør 2a"
    found = words(text)
    assert index_columns(text) == (
        " ".join(w.stem for w in found),
        " ".join(w.lower for w in found),
    )
    assert "_" not in index_columns(text)[1]
