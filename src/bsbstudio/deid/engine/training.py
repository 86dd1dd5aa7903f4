"""Train the NER model on NorNE: read CoNLL-U, write spaCy corpora, run ``spacy train``.

NorNE (Jørgensen et al., LREC 2020) gives IOB2 tags in the MISC column as ``name=B-PER``. We read
only FORM, ``SpaceAfter=No`` and the ``name=`` tag (the train files carry NDT features that
``spacy convert`` rejects). ``GPE_LOC`` folds into ``LOC`` and ``GPE_ORG`` into ``ORG``; the
14 ``MISC`` entities are dropped. The data is read where it lies and never copied into the
repository; only the trained weights are shipped.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

LABEL_MAP = {"GPE_LOC": "LOC", "GPE_ORG": "ORG", "MISC": None}
TRAIN_FILES = ("nob-train.conllu", "nno-train.conllu")
DEV_FILES = ("nob-dev.conllu", "nno-dev.conllu")
CONFIG_PATH = Path(__file__).resolve().parent.parent / "data" / "ner.cfg"


@dataclass(frozen=True)
class Sentence:
    """One NorNE sentence: tokens, whether a space follows each, and IOB2 tags."""

    words: list[str]
    spaces: list[bool]
    tags: list[str]


def _map_tag(tag: str) -> str:
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, label = tag.split("-", 1)
    if label in LABEL_MAP:
        mapped = LABEL_MAP[label]
        if mapped is None:
            return "O"
        label = mapped
    return f"{prefix}-{label}"


def read_conllu(path: Path) -> Iterator[Sentence]:
    """Yield the sentences of a NorNE CoNLL-U file (FORM, spacing and the ``name=`` tag only)."""
    words: list[str] = []
    spaces: list[bool] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line:
                if words:
                    yield Sentence(words, spaces, _repair_iob(tags))
                words, spaces, tags = [], [], []
                continue
            if line.startswith("#"):
                continue
            columns = line.split("\t")
            if len(columns) < 10 or "-" in columns[0] or "." in columns[0]:
                continue
            misc = columns[9].split("|")
            tag = next((m[5:] for m in misc if m.startswith("name=")), "O")
            words.append(columns[1])
            spaces.append("SpaceAfter=No" not in misc)
            tags.append(_map_tag(tag))
    if words:
        yield Sentence(words, spaces, _repair_iob(tags))


def _repair_iob(tags: list[str]) -> list[str]:
    """Turn an ``I-`` that no longer continues its entity (after dropping MISC) into ``B-``."""
    repaired = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        repaired.append(tag)
        previous = tag
    return repaired


def write_docbin(paths: list[Path], out: Path) -> int:
    """Convert CoNLL-U files to one spaCy ``DocBin`` file; return the number of sentences."""
    import spacy
    from spacy.tokens import Doc, DocBin

    nlp = spacy.blank("nb")
    docbin = DocBin(store_user_data=False)
    count = 0
    for path in paths:
        for sentence in read_conllu(path):
            doc = Doc(nlp.vocab, words=sentence.words, spaces=sentence.spaces, ents=sentence.tags)
            docbin.add(doc)
            count += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(out)
    return count


LEXICON_FEATURES = (
    "given name (log count)",
    "surname (log count)",
    "word frequency (zipf)",
    "name strength",
    "place",
    "title or relation",
    "ordinary word",
    "listed",
)


def lexicon_features() -> dict[str, list[float]]:
    """One small feature vector (:data:`LEXICON_FEATURES`) per case-folded lexicon word.

    The model reads them as static vectors, so it knows what the Statistics Norway name counts
    and the word frequencies say about a word it never saw in training (a name only in the name
    statistics, a lower-case name from speech recognition).
    """
    import math

    from .lexicon import lexicon, read_counts, read_list, word_frequencies

    lex = lexicon()
    # Places from the lists written for this project only: the NorNE train place names in
    # lex.places would hand the model the training labels as a feature.
    places = frozenset(
        w.casefold() for w in read_list("municipalities.txt") + read_list("places.txt")
    )
    given = read_counts("ssb_given_names.tsv")
    family = read_counts("ssb_family_names.tsv")
    zipf = word_frequencies()
    top_given = math.log10(max(given.values()))
    top_family = math.log10(max(family.values()))
    words = set(given) | set(family) | set(zipf) | places | lex.titles | lex.relations
    return {
        word: [
            math.log10(given[word]) / top_given if given.get(word, 0) > 1 else 0.0,
            math.log10(family[word]) / top_family if family.get(word, 0) > 1 else 0.0,
            zipf.get(word, 0.0) / 8.0,
            lex.name_strength(word),
            1.0 if word in places else 0.0,
            1.0 if word in lex.titles or word in lex.relations else 0.0,
            1.0 if lex.is_ordinary(word) else 0.0,
            1.0,
        ]
        for word in words
    }


def write_lexicon_vectors(out: Path) -> int:
    """Write a blank ``nb`` pipeline whose vectors are :func:`lexicon_features`; return its rows."""
    import numpy
    import spacy
    from spacy.vectors import Vectors

    features = lexicon_features()
    words = sorted(features)
    nlp = spacy.blank("nb")
    data = numpy.asarray([features[w] for w in words], dtype="float32")
    # Keyed by the exact form (spaCy saves no other key attribute for plain vectors), so each
    # word's row is reachable as written in lower case, capitalised and in capitals.
    vectors = Vectors(strings=nlp.vocab.strings, data=data, keys=words)
    for row, word in enumerate(words):
        for form in {word.capitalize(), word.upper(), word.title()} - {word}:
            if vectors.find(key=form) == -1:
                vectors.add(form, row=row)
    nlp.vocab.vectors = vectors
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    return len(words)


def limit_threads(threads: int = 1) -> None:
    """Keep numerical libraries to ``threads`` threads (the machine is shared)."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(threads)


def train_ner(
    norne: Path,
    out: Path,
    *,
    work: Path | None = None,
    max_steps: int | None = None,
    threads: int = 1,
    lexicon_features: bool = False,
) -> Path:
    """Train the NER model on NorNE train, select on NorNE dev, and copy the best model to ``out``.

    Files already in ``out`` that are not part of a spaCy pipeline (PROVENANCE.md) are kept.
    ``lexicon_features`` adds :func:`lexicon_features` as static vectors (an experiment: see
    ``model/PROVENANCE.md``).
    Returns the path of the model.
    """
    limit_threads(threads)
    from spacy.cli.train import train

    missing = [name for name in TRAIN_FILES + DEV_FILES if not (norne / name).is_file()]
    if missing:
        raise FileNotFoundError(", ".join(str(norne / name) for name in missing))
    work = work or Path(tempfile.mkdtemp(prefix="bsb-ner-"))
    train_path = work / "corpus" / "train.spacy"
    dev_path = work / "corpus" / "dev.spacy"
    n_train = write_docbin([norne / name for name in TRAIN_FILES], train_path)
    n_dev = write_docbin([norne / name for name in DEV_FILES], dev_path)
    print(f"NorNE: {n_train} training and {n_dev} dev sentences", flush=True)
    overrides: dict[str, object] = {"paths.train": str(train_path), "paths.dev": str(dev_path)}
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
    if lexicon_features:
        vectors = work / "lexicon-vectors"
        print(f"lexicon features: {write_lexicon_vectors(vectors)} words", flush=True)
        overrides["paths.vectors"] = str(vectors)
        overrides["components.tok2vec.model.embed.include_static_vectors"] = True
    output = work / "output"
    train(CONFIG_PATH, output, overrides=overrides, use_gpu=-1)
    best = output / "model-best"
    install_model(best, out)
    return out


def install_model(source: Path, out: Path) -> None:
    """Copy a spaCy pipeline directory into ``out``, replacing an earlier pipeline there."""
    out.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        target = out / item.name
        if target.is_dir():
            shutil.rmtree(target)
        if item.is_dir():
            shutil.copytree(item, target)
        else:
            shutil.copy2(item, target)
