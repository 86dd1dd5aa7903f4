"""Forms of transcripts: bring one in (a file or pasted text), and say who its speakers are."""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .engine import READERS, TranscriptImportError, parse_text, read_file
from .engine.reader import display_name, extension
from .import_errors import import_error_message
from .speakers import INTERVIEWER, UNKNOWN

logger = logging.getLogger(__name__)

ACCEPT = ",".join(f".{extension}" for extension in READERS)


def _limits() -> dict:
    """The engine's memory bounds, from the settings."""
    return {
        "max_part_bytes": settings.MAX_XML_PART_BYTES,
        "max_words": settings.MAX_TRANSCRIPT_WORDS,
    }


class TranscriptUploadForm(forms.Form):
    """Upload a transcript file or paste its text; the parsed transcript is in ``parsed``.

    A file larger than ``settings.BACKGROUND_IMPORT_BYTES`` is not read here: ``parsed`` is
    ``None`` and ``upload`` holds the file, for ``actions.queue_import`` to read in the
    background. Its size and format are still checked at once.
    """

    file = forms.FileField(
        label=_("Transcript file"),
        required=False,
        allow_empty_file=True,
        help_text=_(
            "Plain text (.txt), Word (.docx), OpenDocument (.odt), RTF, subtitles (.vtt, .srt) or Whisper JSON."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ACCEPT, "aria-describedby": "id_file_helptext"}
        ),
    )
    text = forms.CharField(
        label=_("…or paste the text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean(self):
        """Read and parse exactly one of the two inputs; any problem is a message, not a crash."""
        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("text") or "")
        if upload and text.strip():
            raise forms.ValidationError(_("Upload a file or paste text, not both."))
        if upload:
            cleaned["parsed"] = self._read_upload(upload)
            cleaned["filename"] = upload.name
            cleaned["upload"] = upload
        elif text.strip():
            cleaned["parsed"] = self._read_text(text)
            cleaned["filename"] = ""
        elif "file" not in self.errors:
            raise forms.ValidationError(_("Choose a file or paste the transcript text."))
        return cleaned

    def _read_upload(self, upload):
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file %(name)s is %(size)s; the largest accepted is %(limit)s."),
                params={
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.MAX_UPLOAD_BYTES),
                },
            )
        if upload.size > settings.BACKGROUND_IMPORT_BYTES:
            if extension(upload.name) not in READERS:
                raise forms.ValidationError(
                    import_error_message(
                        TranscriptImportError(
                            "unsupported_format", filename=display_name(upload.name)
                        )
                    )
                )
            return None  # read in the background
        return _parse(
            lambda: read_file(
                upload.read(), upload.name, max_bytes=settings.MAX_UPLOAD_BYTES, **_limits()
            ),
            upload.name,
        )

    def _read_text(self, text):
        size = len(text.encode("utf-8"))
        if size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                import_error_message(
                    TranscriptImportError(
                        "too_large", size_mb=size / 1e6, limit_mb=settings.MAX_UPLOAD_BYTES / 1e6
                    )
                )
            )
        return _parse(
            lambda: parse_text(text, filename="", max_words=settings.MAX_TRANSCRIPT_WORDS), ""
        )


def _parse(read, name: str):
    """Run the engine; its refusals, and any failure it did not foresee, become a message.

    The engine is meant to raise only ``TranscriptImportError`` for bad input. A file that still
    makes it fail otherwise gets the same kind of message (naming the file) instead of an error
    page, and the failure is logged for the developers (invariant 6).
    """
    try:
        return read()
    except TranscriptImportError as error:
        raise forms.ValidationError(import_error_message(error)) from None
    except Exception:  # any file, however hostile, gets a message and not an error page
        logger.exception("transcript import failed unexpectedly for %r", name)
        if name:
            message = _("The file %(name)s could not be read. It may be damaged.")
        else:
            message = _("The text could not be read.")
        raise forms.ValidationError(message, params={"name": name}) from None


class SpeakerMappingForm(forms.Form):
    """One choice per speaker label: a participant of the interview, the interviewer, or unknown.

    Fields are named ``speaker_<index>`` after the label's place in the transcript, so labels
    with spaces or odd characters make no odd field names. ``decisions()`` returns what the
    action ``map_speakers`` takes.
    """

    def __init__(self, *args, labels, participations, **kwargs):
        """Build a field per label; ``participations`` are the interview's (and only those)."""
        super().__init__(*args, **kwargs)
        self.labels = labels
        self.participations = {str(p.pk): p for p in participations}
        choices = [
            ("", _("Not decided yet")),
            (INTERVIEWER, _("Interviewer / moderator")),
            (UNKNOWN, _("Unknown")),
        ]
        people = [
            (f"p{pk}", f"{p.informant.code} · {p.speaker_code} · {p.informant.group.name}")
            for pk, p in self.participations.items()
        ]
        if people:
            choices.append((_("Participants"), people))
        for info in labels:
            initial = info.role
            if info.participation is not None:
                initial = f"p{info.participation.pk}"
            self.fields[f"speaker_{info.index}"] = forms.ChoiceField(
                label=info.label, choices=choices, required=False, initial=initial
            )

    def rows(self):
        """``(label, bound field)`` pairs in the transcript's order, for the table."""
        return [(info, self[f"speaker_{info.index}"]) for info in self.labels]

    def decisions(self) -> dict:
        """``{label: Participation | "interviewer" | "unknown" | ""}`` from the cleaned data.

        A label whose field was not sent at all is left out, so it keeps its decision.
        """
        out = {}
        for info in self.labels:
            name = f"speaker_{info.index}"
            if name not in self.data:
                continue
            value = self.cleaned_data.get(name, "")
            if value.startswith("p"):
                out[info.label] = self.participations[value[1:]]
            else:
                out[info.label] = value
        return out
