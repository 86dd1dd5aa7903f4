"""The shipped spaCy NER model, loaded once per process from the installed package."""

from __future__ import annotations

import threading
from functools import cache
from importlib import resources
from pathlib import Path

MODEL_PACKAGE = "bsbstudio.deid"
_lock = threading.Lock()


def model_path() -> Path:
    """Where the shipped model lives inside the installed package."""
    return Path(str(resources.files(MODEL_PACKAGE).joinpath("model")))


def model_available(path: Path | None = None) -> bool:
    """Whether a trained pipeline is present (``meta.json`` beside its components)."""
    return ((path or model_path()) / "meta.json").is_file()


@cache
def load_model(path: str | None = None):
    """Load the pipeline (tok2vec + ner) without touching the network; cached per process."""
    import spacy

    with _lock:
        location = Path(path) if path else model_path()
        if not model_available(location):
            raise FileNotFoundError(f"no trained NER model in {location}")
        return spacy.load(location, exclude=["parser", "tagger", "lemmatizer"])
