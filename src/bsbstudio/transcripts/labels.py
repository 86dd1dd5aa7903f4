"""Speaker labels as text: which look like real names, which mean the interviewer, what replaces them.

Plain Python without Django, so the rules can be tested on their own. A transcriber sometimes
writes who speaks by name (``[Kari]``, ``Ole Hansen:``) instead of a code. The label stands
outside every turn's spoken text, so the identifier scan never sees it; the de-identified text
must therefore carry a code instead (see ``replace_label`` and
``bsbstudio.deid.actions.create_deidentified_text``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

# Labels written into de-identified texts in place of a name. They are part of the (Norwegian)
# transcript text, like the engine's "[NAVN 1]" placeholders, not interface text.
INTERVIEWER_LABEL = "Intervjuer"
UNKNOWN_LABEL = "Taler"

_TRAILING_NUMBER = re.compile(r"[\s_-]*\d+$")


def _word_list(name: str) -> frozenset[str]:
    text = files(__package__).joinpath(f"data/{name}").read_text(encoding="utf-8")
    return frozenset(
        line.strip().casefold()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def role_words() -> frozenset[str]:
    """Return the casefolded words that name a role, not a person (``data/role_words.txt``)."""
    return _word_list("role_words.txt")


@lru_cache(maxsize=1)
def interviewer_labels() -> frozenset[str]:
    """Return the casefolded labels that mean the interviewer (``data/interviewer_labels.txt``)."""
    return _word_list("interviewer_labels.txt")


def _base(word: str) -> str:
    """The word without a number at its end, casefolded ("Deltaker2" -> "deltaker")."""
    return _TRAILING_NUMBER.sub("", word).casefold()


def is_code_word(word: str) -> bool:
    """Whether ``word`` reads as a code: a number, or without lower-case letters (D1, B-01)."""
    return word.isdigit() or not any(char.islower() for char in word)


def looks_like_name(label: str) -> bool:
    """Whether a speaker label may be a person's real name ("Kari", "Ole Hansen", not "D1").

    A label is safe when every word is a code (``I``, ``H1``, ``SPEAKER_00``, ``B-01``), a number
    or a role word (``Deltaker 3``, ``Intervjuer``). Anything else is flagged: the rule errs
    towards replacing a label that was harmless rather than publishing a name.
    """
    words = label.split()
    if not words:
        return False
    return any(not is_code_word(word) and _base(word) not in role_words() for word in words)


def is_interviewer_label(label: str) -> bool:
    """Whether the label conventionally means the interviewer (``I``, ``M2``, ``Moderator``)."""
    return _base(" ".join(label.split())) in interviewer_labels()


def numbered(base: str, taken: set[str], *, first_plain: bool) -> str:
    """Return ``base`` or ``base N`` (the lowest free number) and add it to ``taken``.

    ``first_plain`` lets the first one be just ``base`` ("Intervjuer", then "Intervjuer 2");
    otherwise numbering starts at 1 ("Taler 1").
    """
    number = 1
    candidate = base if first_plain else f"{base} 1"
    while candidate in taken:
        number += 1
        candidate = f"{base} {number}"
    taken.add(candidate)
    return candidate


def replace_label(between: str, label: str, new: str) -> str:
    """Replace the speaker label at the start of the last line of ``between``.

    ``between`` is the canonical text between two turns' spoken text: the line break and the
    ``LABEL: `` (or ``LABEL (note): ``) prefix of the next turn (see ``engine.model``).
    """
    head, newline, line = between.rpartition("\n")
    stripped = line.lstrip()
    indent = line[: len(line) - len(stripped)]
    if stripped.startswith(label):
        line = indent + new + stripped[len(label) :]
    elif label in line:
        line = line.replace(label, new)
    return head + newline + line
