"""The hypothesis settings the fuzz tests run under: ``bsb-ci`` unless ``HYPOTHESIS_PROFILE`` says."""

from __future__ import annotations

import os

from hypothesis import settings

from . import conftest  # noqa: F401  (registers the profiles when imported before pytest does)

NAME = os.environ.get("HYPOTHESIS_PROFILE", "bsb-ci")
if NAME not in ("bsb-ci", "fuzz"):
    NAME = "bsb-ci"
FUZZ = settings.get_profile(NAME)
#: The form test sends requests, each far slower than a parse: a tenth of the examples.
FORMS = settings(FUZZ, max_examples=max(FUZZ.max_examples // 10, 25))
