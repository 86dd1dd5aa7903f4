"""Import errors in the person's language, including the engine's short English details.

The engine (plain Python) fills ``%(detail)s`` with a short English phrase such as "malformed
XML" or "segment 3 has no text". The phrases are listed here, marked for translation, so the
whole message reads in one language; a phrase not listed is shown as the engine wrote it.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext

from bsbstudio.errors import gettext_noop
from bsbstudio.transcripts.engine import TranscriptImportError

DETAILS = (
    gettext_noop("a ZIP archive, such as a DOCX or ODT document"),
    gettext_noop("a PDF document"),
    gettext_noop("an old Microsoft Office document"),
    gettext_noop("an RTF document"),
    gettext_noop("an image"),
    gettext_noop("an audio file"),
    gettext_noop("an audio or video file"),
    gettext_noop("binary data"),
    gettext_noop("not a zip container"),
    gettext_noop("broken zip container"),
    gettext_noop("too many parts"),
    gettext_noop("compressed far beyond what a document needs"),
    gettext_noop("too much data inside"),
    gettext_noop("size does not match"),
    gettext_noop("XML declarations (DTD or entities)"),
    gettext_noop("malformed XML"),
    gettext_noop("not a text document"),
    gettext_noop("no RTF header"),
    gettext_noop("broken RTF"),
    gettext_noop("nested too deeply"),
    gettext_noop("the top level is not an object"),
    gettext_noop("neither “segments” nor “text”"),
    gettext_noop("“segments” is not a list"),
    gettext_noop("no cues with timings"),
    gettext_noop("no WEBVTT header"),
)

#: details with a number or name in them: pattern -> translatable template with its groups
PATTERNS = (
    (re.compile(r"line (?P<line>\d+), column (?P<column>\d+)"),
     gettext_noop("line %(line)s, column %(column)s")),
    (re.compile(r"segment (?P<n>\d+) has no text"), gettext_noop("segment %(n)s has no text")),
    (re.compile(r"segment (?P<n>\d+) has a speaker that is not a name"),
     gettext_noop("segment %(n)s has a speaker that is not a name")),
    (re.compile(r"bad timing line (?P<line>.*)"), gettext_noop("bad timing line %(line)s")),
    (re.compile(r"(?P<name>\S+) is missing"), gettext_noop("%(name)s is missing")),
    (re.compile(r"(?P<name>\S+) cannot be read"), gettext_noop("%(name)s cannot be read")),
)  # fmt: skip


def translate_detail(detail: str) -> str:
    """The engine's detail phrase in the active language (as written when not known)."""
    if detail in DETAILS:
        return gettext(detail)
    for pattern, template in PATTERNS:
        match = pattern.fullmatch(detail)
        if match:
            return gettext(template) % match.groupdict()
    return detail


def import_error_message(error: TranscriptImportError) -> str:
    """The whole message of an import error, translated, with the file's name filled in."""
    params = dict(error.params)
    if params.get("detail"):
        params["detail"] = translate_detail(str(params["detail"]))
    try:
        return gettext(error.template) % params
    except (KeyError, TypeError, ValueError):
        return gettext(error.template)
