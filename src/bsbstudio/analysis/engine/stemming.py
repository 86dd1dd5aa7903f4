"""Norwegian words for search: split a text into words with their offsets, stem them, parse a query.

Plain Python (no Django). One tokeniser serves the index and the keyword-in-context display, so a
hit found by the database is always found again in the text. Words are runs of letters and digits
(code-point offsets, end exclusive), lower-cased, and stemmed with Snowball's "norwegian"
algorithm (PyStemmer), so "innleggelsen" and "innleggelser" share the stem "innlegg".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import Stemmer

# Letters and digits only: the index stores these words joined by spaces, which both SQLite's
# FTS5 "ascii" tokenizer and PostgreSQL's "simple" parser split back into exactly these words.
_WORD = re.compile(r"[^\W_]+")
# Longer "words" are noise (and PostgreSQL refuses to index words past 2047 bytes).
MAX_WORD_LENGTH = 100

_stemmer = Stemmer.Stemmer("norwegian")


class Word(NamedTuple):
    """One word of a text: where it stands, its lower-case form and its stem."""

    start: int
    end: int
    lower: str
    stem: str


@lru_cache(maxsize=65536)
def stem(lower: str) -> str:
    """The Snowball stem of one lower-case word (the word itself should the stem come out empty)."""
    return _stemmer.stemWord(lower) or lower


def words(text: str) -> list[Word]:
    """Every word of ``text``, in order, with code-point offsets."""
    found = []
    for match in _WORD.finditer(text):
        lower = match.group().lower()
        if len(lower) <= MAX_WORD_LENGTH:
            found.append(Word(match.start(), match.end(), lower, stem(lower)))
    return found


def index_columns(text: str) -> tuple[str, str]:
    """The two columns the index stores for a text: its stems, and its lower-case words."""
    # The same words as ``words`` gives, without building a Word for each (indexing is bulk work).
    lowers = [
        lower
        for lower in (match.group().lower() for match in _WORD.finditer(text))
        if len(lower) <= MAX_WORD_LENGTH
    ]
    return " ".join(map(stem, lowers)), " ".join(lowers)


@dataclass(frozen=True, slots=True)
class Term:
    """One part of a query: a stemmed word, a prefix of a written word, or a phrase of stems."""

    kind: str  # "word", "prefix" or "phrase"
    values: tuple[str, ...]  # the stem (word), the lower-case prefix (prefix), the stems (phrase)


class EmptyQueryError(ValueError):
    """A query with no words in it (empty, or only operators and punctuation)."""


_QUERY_PART = re.compile(r'"([^"]*)"?|(\S+)')


def parse_query(query: str) -> list[Term]:
    """The terms of a query: ``word`` (stemmed), ``prefix*``, ``"a phrase"``; all must match.

    Anything that is not a letter or digit separates words; a word written as ``a-b`` becomes
    the phrase "a b". Raises EmptyQueryError when no word is left.
    """
    terms: list[Term] = []
    for match in _QUERY_PART.finditer(query):
        quoted, bare = match.group(1), match.group(2)
        if quoted is not None:
            stems = tuple(w.stem for w in words(quoted))
            if len(stems) == 1:
                terms.append(Term("word", stems))
            elif stems:
                terms.append(Term("phrase", stems))
            continue
        parts = words(bare)
        if not parts:
            continue
        if bare.endswith("*") and len(parts) == 1:
            terms.append(Term("prefix", (parts[0].lower,)))
        elif len(parts) == 1:
            terms.append(Term("word", (parts[0].stem,)))
        else:
            terms.append(Term("phrase", tuple(w.stem for w in parts)))
    if not terms:
        raise EmptyQueryError(query)
    # The same term twice asks nothing more; keep the first, in order.
    return list(dict.fromkeys(terms))


def find_matches(found: list[Word], terms: list[Term]) -> list[tuple[int, int]] | None:
    """Where each term first matches in ``found`` (word index from, to exclusive), in term order.

    None when some term does not match, as the database would have said.
    """
    spans = []
    for term in terms:
        span = _first_match(found, term)
        if span is None:
            return None
        spans.append(span)
    return spans


def _first_match(found: list[Word], term: Term) -> tuple[int, int] | None:
    if term.kind == "word":
        target = term.values[0]
        return next(((i, i + 1) for i, w in enumerate(found) if w.stem == target), None)
    if term.kind == "prefix":
        prefix = term.values[0]
        return next(((i, i + 1) for i, w in enumerate(found) if w.lower.startswith(prefix)), None)
    size = len(term.values)
    for i in range(len(found) - size + 1):
        if all(found[i + k].stem == term.values[k] for k in range(size)):
            return i, i + size
    return None
