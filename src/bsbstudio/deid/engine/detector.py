"""The detector: run every registered recogniser over a text and merge the results."""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from .document import Document
from .lexicon import DATA_PACKAGE, lexicon
from .lists import EvaluationLists
from .merge import merge
from .model import model_available, model_path
from .propagate import propagate
from .recognisers.registry import build_recognisers
from .span import Span

DEFAULT_MIN_SCORE = 0.5
CONFIDENT = 0.75


class Detector:
    """Find identifiers in Norwegian text.

    ``lists`` are the evaluation's own people, places and organisations. With ``use_ner`` the
    shipped NER model runs too (loaded once per process); if the model is missing the rules run
    alone. Spans scoring under ``min_score`` are dropped. ``only`` or ``skip`` (recogniser
    names, see ``bsb deid recognisers``) run a subset, to measure each part on its own. Spans
    made only of the lists' kept words are never returned.
    """

    def __init__(
        self,
        lists: EvaluationLists | None = None,
        *,
        use_ner: bool = True,
        model_dir: str | None = None,
        min_score: float = DEFAULT_MIN_SCORE,
        only: Iterable[str] | None = None,
        skip: Iterable[str] | None = None,
    ) -> None:
        """Build the recognisers once; reuse the detector for many texts."""
        self.lists = lists if lists is not None else EvaluationLists()
        self.use_ner = use_ner and (model_dir is not None or model_available())
        self.min_score = min_score
        self.model_dir = model_dir
        self.lexicon = lexicon()
        self.recognisers = build_recognisers(
            use_ner=self.use_ner, model_dir=model_dir, only=only, skip=skip
        )

    def candidates(self, text: str) -> list[Span]:
        """Every span of every recogniser, before merging (for explanations and debugging)."""
        return self._run(Document(text, self.lists, self.lexicon))

    def _run(self, doc: Document) -> list[Span]:
        """Rules first; the model only where they left capitalised words undecided."""
        spans: list[Span] = []
        for recogniser in self.recognisers:
            if recogniser.needs_rules:
                doc.confident = [(s.start, s.end) for s in spans if s.score >= CONFIDENT]
            spans.extend(self._unkept(doc, recogniser.analyse(doc)))
        spans.extend(self._unkept(doc, propagate(doc, spans)))
        return spans

    def _unkept(self, doc: Document, spans: Iterable[Span]) -> list[Span]:
        """Drop spans of kept words before merging, so they neither propagate nor swallow others."""
        if not self.lists.keep:
            return list(spans)
        return [s for s in spans if not self.lists.is_kept(doc.text[s.start : s.end], s.label)]

    def fingerprint(self) -> str:
        """A version of what this detector finds: the same fingerprint finds the same spans.

        It covers the engine's code and data, the model, the libraries it runs on, the options
        and the evaluation's lists, so findings kept under it (the leak guard's cache) go stale
        with any of them.
        """
        digest = hashlib.sha256()
        folders = [str(Path(__file__).parent), str(resources.files(DATA_PACKAGE))]
        if self.use_ner:
            folders.append(str(self.model_dir or model_path()))
        parts = [
            files_digest(tuple(folders)),
            repr([_version(package) for package in ("spacy", "python-stdnum")]),
            repr(self.min_score),
            repr([r.name for r in self.recognisers]),
            repr((self.lists.people, self.lists.places, self.lists.organizations)),
            repr(self.lists.keep),
        ]
        for part in parts:
            digest.update(part.encode("utf-8") + b"\x00")
        return digest.hexdigest()

    def detect_many(
        self, texts: Iterable[str], *, processes: int = 1, chunksize: int = 8
    ) -> Iterator[list[Span]]:
        """The spans of each text, in order; ``processes`` > 1 spreads the texts over CPU cores.

        Worker processes are forked from this one after the model is loaded, so they share it
        instead of loading it again. Where fork is unavailable the texts run in this process.
        """
        if processes <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            yield from map(self.detect, texts)
            return
        if self.use_ner:
            self.detect("Kari bor i Oslo.")  # load the model before forking
        global _WORKER_DETECTOR
        _WORKER_DETECTOR = self
        context = multiprocessing.get_context("fork")
        with context.Pool(processes) as pool:
            yield from pool.imap(_detect_in_worker, texts, chunksize=chunksize)

    def detect(self, text: str) -> list[Span]:
        """Spans sorted by start, never overlapping, with valid code-point offsets."""
        if not isinstance(text, str):
            raise TypeError("text must be str")
        if not text.strip():
            return []
        doc = Document(text, self.lists, self.lexicon)
        spans = self._run(doc)
        return merge(spans, text, exclude=doc.speaker_codes, min_score=self.min_score)


@cache
def files_digest(folders: tuple[str, ...]) -> str:
    """SHA-256 over the names and contents of every file in ``folders`` (compiled files aside)."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(folder)).encode("utf-8") + b"\x00")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


_WORKER_DETECTOR: Detector | None = None  # the detector a forked worker inherits


def _detect_in_worker(text: str) -> list[Span]:
    assert _WORKER_DETECTOR is not None, "detect_many sets the detector before forking"
    return _WORKER_DETECTOR.detect(text)
