"""The theme classifier: learns from coded quotes only, ranks themes, scores itself on held-out quotes."""

from __future__ import annotations

import pytest

from bsbstudio.analysis.engine import suggest

ACCESS = [
    "Jeg ventet i tre måneder før jeg fikk time.",
    "Ventetiden var altfor lang, jeg ringte flere ganger.",
    "Det tok lang tid før noen ringte tilbake.",
    "Vi sto på venteliste hele høsten.",
    "Jeg fikk ikke time før etter jul, det var lenge å vente.",
    "Køen var lang og ingen svarte på telefonen.",
]
MEDICINE = [
    "Medisinene gjorde meg trøtt hele dagen.",
    "Jeg ville trappe ned på medisinene, men legen sa nei.",
    "Bivirkningene av tablettene var verst.",
    "De økte dosen uten å spørre meg.",
    "Jeg tar medisin morgen og kveld nå.",
    "Medisinen hjalp, men jeg la på meg.",
]
FAMILY = [
    "Mora mi ble aldri spurt om hvordan hun hadde det.",
    "Som pårørende følte jeg meg helt alene.",
    "Ingen snakket med oss pårørende.",
    "Søsteren min fikk være med på møtene.",
    "Pårørendegruppen var god for oss som familie.",
    "Faren min ringte teamet når han var bekymret.",
]


def labelled():
    texts = ACCESS + MEDICINE + FAMILY
    labels = ["access"] * 6 + ["medicine"] * 6 + ["family"] * 6
    return texts, labels


def test_ranks_the_theme_of_an_unseen_sentence_first_with_a_probability():
    trained = suggest.train(*labelled())
    [ranked] = suggest.rank(trained, ["Jeg har ventet lenge på time og ringte mange ganger."])
    assert ranked[0][0] == "access"
    assert [theme for theme, _ in ranked] != ["access"] * 3
    assert abs(sum(p for _, p in suggest.rank(trained, ["x y z"], top=3)[0]) - 1) < 1e-6
    [ranked] = suggest.rank(trained, ["Dosen av medisinene ble økt, og bivirkningene kom."])
    assert ranked[0][0] == "medicine"


def test_themes_with_too_few_quotes_are_left_out_and_named():
    texts, labels = labelled()
    trained = suggest.train(texts + ["Noe om bolig."] * 2, labels + ["housing"] * 2)
    assert "housing" not in trained.themes
    assert trained.too_few == {"housing": 2}


def test_fewer_than_two_learnable_themes_cannot_be_trained():
    with pytest.raises(suggest.NotEnoughQuotes):
        suggest.train(ACCESS + MEDICINE[:4], ["access"] * 6 + ["medicine"] * 4)


def test_confidence_words():
    assert suggest.confidence(0.9) == "sure"
    assert suggest.confidence(suggest.POSSIBLE) == "possible"
    assert suggest.confidence(0.1) is None


def test_accuracy_holds_out_a_fifth_with_a_fixed_seed():
    texts, labels = labelled()
    first = suggest.accuracy(texts * 2, labels * 2)
    assert first.held_out == 8  # 20 % of 36, rounded up
    assert first.trained_on + first.held_out == 36
    assert first.themes == 3
    assert 0 <= first.top1 <= first.top3 <= 1
    assert first.top3 == 1.0  # three themes: every right theme is among the top three
    assert suggest.accuracy(texts * 2, labels * 2) == first


def test_stored_classifier_ranks_as_before():
    trained = suggest.train(*labelled())
    again = suggest.loads(suggest.dumps(trained))
    sentence = ["Pårørende ble ikke spurt."]
    assert suggest.rank(again, sentence) == suggest.rank(trained, sentence)
