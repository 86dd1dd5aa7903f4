"""Short names: the part of an evaluation's web address, made from its name.

``web/short-name.js`` makes the same short name in the browser as the name is typed; keep the two
in step (æ→ae, ø→o, å→a, then Django's slugify, hyphens only, at most 80 characters).
"""

from __future__ import annotations

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_LENGTH = 80
_NORWEGIAN_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "_": " "})


def short_name(text: str) -> str:
    """Lower-case letters, digits and hyphens made from ``text``: "Bydel Grünerløkka" → "bydel-grunerlokka"."""
    made = slugify((text or "").lower().translate(_NORWEGIAN_LETTERS))
    return made[:MAX_LENGTH].strip("-")


def free_short_name(name: str, taken, fallback: str = "") -> str:
    """A short name made from ``name`` that ``taken(candidate)`` says is free: x, x-2, x-3 and on."""
    base = short_name(name) or short_name(fallback) or "evaluering"
    candidate, number = base, 1
    while taken(candidate):
        number += 1
        suffix = f"-{number}"
        candidate = base[: MAX_LENGTH - len(suffix)].strip("-") + suffix
    return candidate


class ShortNameField(forms.CharField):
    """A short name as typed, tidied the way ``short_name`` makes one ("Min Evaluering" → "min-evaluering")."""

    default_help_text = gettext_lazy(
        "The short name is used in the evaluation's web address. Only lower-case letters, "
        "digits and hyphens."
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_LENGTH)
        kwargs.setdefault("help_text", self.default_help_text)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        """Mark the box for web/short-name.js, which tidies it too; no spelling check on it."""
        return {**super().widget_attrs(widget), "data-short-name": "", "spellcheck": "false"}

    def to_python(self, value):
        """The short name tidied; one with no letter or digit left is refused."""
        text = super().to_python(value)
        if not text:
            return text
        tidy = short_name(text)
        if not tidy:
            raise forms.ValidationError(
                _("Write the short name with letters or digits."), code="invalid"
            )
        return tidy
