"""Learned theme suggestions: train a classifier on coded quotes, rank themes for new text.

Plain Python (no Django). TF-IDF over Norwegian word stems (``stemming``; single words and pairs)
and over character n-grams within words, then logistic regression, whose probabilities serve as
the confidence. Trained only on the evaluation's own quotes: no pretrained weights.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

import joblib
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, make_pipeline

from .stemming import words

# A theme with fewer quotes than this is neither learned nor suggested: too few to generalise.
MIN_QUOTES_PER_THEME = 5
# Confidence (a probability) from which a suggestion is shown, and from which it is "sure".
POSSIBLE = 0.25
SURE = 0.45
HELD_OUT = 0.2
SEED = 12


class NotEnoughQuotes(ValueError):
    """Fewer than two themes have MIN_QUOTES_PER_THEME quotes: nothing can be learned yet."""


@dataclass
class Trained:
    """A fitted classifier, the themes it knows and those left out for too few quotes."""

    pipeline: object
    themes: list
    too_few: dict  # theme -> number of quotes
    quotes: int


def stems(text: str) -> list[str]:
    """The Norwegian stems of ``text``, in order (the word analyser of the classifier)."""
    return [word.stem for word in words(text)]


def _pipeline():
    features = FeatureUnion(
        [
            ("stems", TfidfVectorizer(analyzer=stems, sublinear_tf=True)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True
                ),
            ),
        ]
    )
    return make_pipeline(
        features, LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced")
    )


def learnable(labels: list) -> tuple[set, dict]:
    """The themes with enough quotes to learn, and the others with their counts."""
    counts = Counter(labels)
    enough = {theme for theme, n in counts.items() if n >= MIN_QUOTES_PER_THEME}
    return enough, {theme: n for theme, n in counts.items() if theme not in enough}


def train(texts: list[str], labels: list) -> Trained:
    """Fit on (quote text, theme) pairs; NotEnoughQuotes if fewer than two themes can be learned."""
    enough, too_few = learnable(labels)
    if len(enough) < 2:
        raise NotEnoughQuotes(too_few)
    pairs = [(t, label) for t, label in zip(texts, labels, strict=True) if label in enough]
    pipeline = _pipeline()
    pipeline.fit([t for t, _ in pairs], [label for _, label in pairs])
    return Trained(pipeline, list(pipeline.classes_), too_few, len(pairs))


def rank(trained: Trained, texts: list[str], top: int = 3) -> list[list[tuple[object, float]]]:
    """For each text, its ``top`` themes with their probability, most likely first."""
    if not texts:
        return []
    probabilities = trained.pipeline.predict_proba(texts)
    ranked = []
    for row in probabilities:
        order = sorted(range(len(row)), key=lambda i: (-row[i], i))[:top]
        ranked.append([(trained.themes[i], float(row[i])) for i in order])
    return ranked


def confidence(probability: float) -> str | None:
    """The word for a confidence: "sure", "possible", or None (not worth showing)."""
    if probability >= SURE:
        return "sure"
    if probability >= POSSIBLE:
        return "possible"
    return None


@dataclass
class Accuracy:
    """Top-1 and top-3 accuracy on held-out quotes."""

    top1: float
    top3: float
    trained_on: int
    held_out: int
    themes: int


def accuracy(texts: list[str], labels: list, seed: int = SEED) -> Accuracy:
    """Hold out HELD_OUT of the learnable quotes (stratified, fixed seed), train on the rest, score."""
    enough, _ = learnable(labels)
    pairs = [(t, label) for t, label in zip(texts, labels, strict=True) if label in enough]
    if len(enough) < 2:
        raise NotEnoughQuotes({})
    # Stratified, so every theme keeps quotes on both sides, when the held-out part can hold
    # one quote of each theme.
    stratify = [label for _, label in pairs] if len(pairs) * HELD_OUT >= len(enough) else None
    train_pairs, test_pairs = train_test_split(
        pairs, test_size=HELD_OUT, random_state=seed, stratify=stratify
    )
    pipeline = _pipeline()
    pipeline.fit([t for t, _ in train_pairs], [label for _, label in train_pairs])
    trained = Trained(pipeline, list(pipeline.classes_), {}, len(train_pairs))
    ranked = rank(trained, [t for t, _ in test_pairs], top=3)
    top1 = sum(r[0][0] == label for r, (_, label) in zip(ranked, test_pairs, strict=True))
    top3 = sum(label in [t for t, _ in r] for r, (_, label) in zip(ranked, test_pairs, strict=True))
    n = len(test_pairs)
    return Accuracy(top1 / n, top3 / n, len(train_pairs), n, len(enough))


def dumps(trained: Trained) -> bytes:
    """The trained classifier as bytes, to store."""
    buffer = io.BytesIO()
    joblib.dump(trained, buffer, compress=3)
    return buffer.getvalue()


def loads(data: bytes) -> Trained:
    """A classifier stored by ``dumps`` (only ever bytes this application wrote itself)."""
    return joblib.load(io.BytesIO(bytes(data)))
