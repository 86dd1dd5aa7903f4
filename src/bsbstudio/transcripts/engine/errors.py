"""The one error an import raises, with a stable code and a translatable message per code.

Each code has two English templates marked with ``gettext_noop``: one for a file (it names the
file with ``%(filename)s``) and one for pasted text (``filename`` is ``""``). The Django layer
translates ``template`` and fills in ``params`` (see ``bsbstudio.errors``).
"""

from __future__ import annotations

from bsbstudio.errors import UserFacingError, gettext_noop

SUPPORTED = ".txt, .docx, .odt, .rtf, .vtt, .srt, .json"

#: code -> (template for a named file, template for pasted text)
TEMPLATES: dict[str, tuple[str, str]] = {
    "empty": (
        gettext_noop("The file %(filename)s is empty."),
        gettext_noop("The text is empty."),
    ),
    "no_speaker_codes": (
        gettext_noop(
            "No speaker codes were found in %(filename)s. Start each turn on a new line with "
            "a code such as “I:”, “M:”, “H1:” or “Deltaker 2:”."
        ),
        gettext_noop(
            "No speaker codes were found in the text. Start each turn on a new line with "
            "a code such as “I:”, “M:”, “H1:” or “Deltaker 2:”."
        ),
    ),
    "not_text": (
        gettext_noop(
            "The file %(filename)s is not a text file (it looks like %(detail)s). "
            "Choose the transcript itself, saved as %(supported)s."
        ),
        gettext_noop("The text contains binary data, not a transcript."),
    ),
    "encoding": (
        gettext_noop(
            "The file %(filename)s is not in a text encoding BSB Studio can read "
            "(UTF-8, UTF-16 or Windows-1252). Save it as UTF-8 and try again."
        ),
        gettext_noop("The text is not in an encoding BSB Studio can read."),
    ),
    "too_large": (
        gettext_noop(
            "The file %(filename)s is too large (%(size_mb).1f MB; the limit is %(limit_mb).1f MB)."
        ),
        gettext_noop("The text is too large (%(size_mb).1f MB; the limit is %(limit_mb).1f MB)."),
    ),
    "too_many_words": (
        gettext_noop(
            "The file %(filename)s has more than %(limit)s words, more than one transcript may "
            "have. Split it into parts and bring them in one at a time."
        ),
        gettext_noop(
            "The text has more than %(limit)s words, more than one transcript may have. Split "
            "it into parts and bring them in one at a time."
        ),
    ),
    "part_too_large": (
        gettext_noop(
            "The file %(filename)s was refused: unpacked, its text takes %(size_mb).1f MB, and "
            "the limit is %(limit_mb).1f MB. Save the transcript again as a plain document, "
            "without pictures or hidden content, or split it into parts."
        ),
        gettext_noop(
            "The text was refused: unpacked, it takes %(size_mb).1f MB, and the limit is "
            "%(limit_mb).1f MB."
        ),
    ),
    "unsupported_format": (
        gettext_noop(
            "BSB Studio cannot import files like %(filename)s. Supported formats: %(supported)s."
        ),
        gettext_noop("This format cannot be imported. Supported formats: %(supported)s."),
    ),
    "corrupt": (
        gettext_noop("The file %(filename)s is damaged or is not a valid %(format)s file."),
        gettext_noop("The text is damaged or is not valid %(format)s."),
    ),
    "unsafe": (
        gettext_noop(
            "The file %(filename)s was refused because it could harm the server (%(detail)s)."
        ),
        gettext_noop("The text was refused because it could harm the server (%(detail)s)."),
    ),
    "bad_json": (
        gettext_noop(
            "The file %(filename)s is not a transcript in the JSON format that Whisper-style "
            "tools write (%(detail)s)."
        ),
        gettext_noop(
            "The text is not a transcript in the JSON format that Whisper-style tools write "
            "(%(detail)s)."
        ),
    ),
    "bad_subtitles": (
        gettext_noop("The file %(filename)s is not a valid %(format)s subtitle file (%(detail)s)."),
        gettext_noop("The text is not a valid %(format)s subtitle file (%(detail)s)."),
    ),
}


class TranscriptImportError(UserFacingError):
    """A transcript that cannot be imported; nothing was created.

    Raise it as ``TranscriptImportError("empty", filename=name)``: the template is looked up
    from ``code`` (pass ``template=`` to override). ``params`` always holds ``filename`` (``""``
    for pasted text) and ``supported``; the remaining parameters depend on the code
    (``detail``, ``format``, ``size_mb``, ``limit_mb``).
    """

    def __init__(self, code: str, template: str | None = None, **params: object) -> None:
        params.setdefault("filename", "")
        params.setdefault("supported", SUPPORTED)
        params.setdefault("detail", "")
        if template is None:
            for_file, for_text = TEMPLATES[code]
            template = for_file if params["filename"] else for_text
        super().__init__(code, template, **params)
