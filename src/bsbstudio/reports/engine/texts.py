"""Load the fixed texts of a report (headings, method text, labels) from YAML data files.

The texts live in ``texts/<kind>_<language>.yaml`` beside this module, so a writer can change
the wording without touching code, and a new language is a new file.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

SUPPORTED_LANGUAGES: tuple[str, ...] = ("nb", "en")

# Language tags that mean a supported language ("no" and "nb-NO" are bokmål here).
_ALIASES = {"no": "nb", "nob": "nb", "eng": "en"}


def normalise_language(language: str) -> str:
    """Map a language tag (``nb``, ``nb-NO``, ``en_GB``, ``no``) to a supported language code."""
    primary = (language or "").replace("_", "-").split("-")[0].lower()
    primary = _ALIASES.get(primary, primary)
    if primary not in SUPPORTED_LANGUAGES:
        raise ValueError(
            f"report language {language!r} is not supported; use one of {SUPPORTED_LANGUAGES}"
        )
    return primary


@cache
def load_texts(kind: str, language: str) -> dict[str, Any]:
    """Return the texts of one kind of report (``process_report``) in one language.

    The result is cached and shared: treat it as read-only.
    """
    name = f"{kind}_{normalise_language(language)}.yaml"
    source = resources.files("bsbstudio.reports.engine").joinpath("texts", name)
    with source.open(encoding="utf-8") as handle:
        texts = yaml.safe_load(handle)
    if not isinstance(texts, dict):
        raise ValueError(f"report texts {name} must be a mapping")
    return texts
