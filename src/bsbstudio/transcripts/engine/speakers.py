"""Recognise a speaker code (talerkode) at the start of a line.

The rule, in the order it is applied:

1. The code stands at the start of the line (leading spaces and tabs allowed), either in square
   brackets (``[Kari] ...``, ``[H1]: ...``) or followed by a colon (``I: ...``, ``Deltaker 3:``).
   After the colon comes a space, a tab or the end of the line; a short code (one to three
   capitals and up to three digits, ``I``, ``H1``, ``IP3``) may also be followed directly by a
   letter (``I:Hei``). So times (``10:30``) and addresses (``https://``) are never codes.
2. The code may end in a parenthesised note of at most 25 characters: ``D (via tolk):`` gives
   speaker ``D`` with note ``via tolk``.
3. The code itself is short: at most 25 characters and three words, and every word starts with
   a capital letter or is a number (``Deltaker 2``, ``Kari Nordmann``, ``SPEAKER_00``). A
   sentence such as ``Det var slik: ...`` is therefore not a code, because ``var`` is lower case.
4. The code, and its first word, are not in ``data/not_speakers.txt``: header labels
   (``Merk:``, ``Dato:``, ``Til stede:``), words that open ordinary sentences (``Altså:``,
   ``Ja:``) and bracketed markup (``[Latter]``, ``[Uklart]``). A header line such as
   ``Merk: lydfilen er slettet`` thus stays text; add words to the file, not to the code.

A capitalised word with a colon that is not in the list (``Mamma: du må spise``) is read as a
speaker: the only way to tell a name from a quoted label is context a parser does not have, so
the rule errs on the side of a visible turn that the transcriber can correct.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from typing import NamedTuple

MAX_CODE_CHARS = 25
MAX_CODE_WORDS = 3
MAX_NOTE_CHARS = 25

_CANDIDATE = re.compile(
    r"[ \t]*(?:"
    r"\[(?P<bracket>[^\[\]\n]{1,60})\][ \t]*:?(?P<bsep>[ \t]*)"
    r"|(?P<plain>[^\W\d_][\w .'’()\-]{0,60}?)[ \t]*:(?P<psep>[ \t]+|$|(?=[^\W\d_]))"
    r")"
)
_NOTE = re.compile(rf"(?P<code>.*?)\s*\((?P<note>[^()]{{1,{MAX_NOTE_CHARS}}})\)")
_WORD = re.compile(r"[^\W_][\w.'’\-]*")
_SHORT_CODE = re.compile(r"[A-ZÆØÅ]{1,3}\d{0,3}")


class CodeMatch(NamedTuple):
    """A speaker code found at the start of a line."""

    speaker: str
    note: str
    rest: int  # index in the line where the spoken text starts


@lru_cache(maxsize=1)
def not_speakers() -> frozenset[str]:
    """Return the casefolded words that are never speaker codes (``data/not_speakers.txt``)."""
    text = files(__package__).joinpath("data/not_speakers.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().casefold()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def split_code(label: str) -> tuple[str, str] | None:
    """Return ``(speaker, note)`` when ``label`` is a valid speaker code, else ``None``."""
    label = " ".join(label.split())
    note = ""
    if label.endswith(")"):
        match = _NOTE.fullmatch(label)
        if not match:
            return None
        label, note = match["code"], match["note"].strip()
    if not label or len(label) > MAX_CODE_CHARS:
        return None
    words = label.split(" ")
    if len(words) > MAX_CODE_WORDS or not words[0][0].isupper():
        return None
    for word in words:
        if not _WORD.fullmatch(word) or not (word[0].isupper() or word.isdigit()):
            return None
    stop = not_speakers()
    if label.casefold() in stop or words[0].casefold() in stop:
        return None
    return label, note


def match_code(line: str) -> CodeMatch | None:
    """Return the speaker code at the start of ``line``, or ``None`` when it has none."""
    match = _CANDIDATE.match(line)
    if match is None:
        return None
    if match["bracket"] is not None:
        found = split_code(match["bracket"])
    else:
        found = split_code(match["plain"])
        if found and not match["psep"] and match.end() < len(line):
            # "I:Hei" is allowed for short codes only.
            if found[1] or not _SHORT_CODE.fullmatch(found[0]):
                return None
    if found is None:
        return None
    return CodeMatch(found[0], found[1], match.end())
