"""The NER model's optional lexicon features: name statistics and word frequencies as vectors."""

from __future__ import annotations

import spacy

from bsbstudio.deid.engine.training import LEXICON_FEATURES, lexicon_features, write_lexicon_vectors


def test_names_words_and_places_get_their_features():
    features = lexicon_features()
    given, surname, zipf, strength, place = range(5)
    assert len(features["ingrid"]) == len(LEXICON_FEATURES)
    assert features["ingrid"][given] > 0.5 and features["ingrid"][strength] > 0.9
    assert features["hansen"][surname] > 0.5
    assert features["og"][zipf] > 0.8 and features["og"][given] == 0.0
    assert features["bodø"][place] == 1.0


def test_the_vectors_are_found_in_any_capitalisation(tmp_path):
    write_lexicon_vectors(tmp_path / "vectors")
    nlp = spacy.load(tmp_path / "vectors")
    doc = nlp("Ingrid INGRID ingrid Xqzv")
    assert [token.has_vector for token in doc] == [True, True, True, False]
    assert doc[0].vector.tolist() == doc[2].vector.tolist()
