"""The form that brings a transcript in: an uploaded file or pasted text, parsed into turns."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from bsbstudio.web.messages import user_message

from .engine import TranscriptImportError, parse_text, read_file


class TranscriptUploadForm(forms.Form):
    """Upload a transcript file or paste its text; the parsed transcript is in ``parsed``."""

    file = forms.FileField(
        label=_("Transcript file"),
        required=False,
        allow_empty_file=True,
        help_text=_(
            "Plain text (.txt), Word (.docx), OpenDocument (.odt), RTF, subtitles (.vtt, .srt) or Whisper JSON."
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
        try:
            if upload:
                if upload.size > settings.MAX_UPLOAD_BYTES:
                    raise forms.ValidationError(
                        _("The file %(name)s is %(size)s; the largest accepted is %(limit)s."),
                        params={
                            "name": upload.name,
                            "size": filesizeformat(upload.size),
                            "limit": filesizeformat(settings.MAX_UPLOAD_BYTES),
                        },
                    )
                cleaned["parsed"] = read_file(
                    upload.read(), upload.name, max_bytes=settings.MAX_UPLOAD_BYTES
                )
                cleaned["filename"] = upload.name
            elif text.strip():
                cleaned["parsed"] = parse_text(text, filename="")
                cleaned["filename"] = ""
            elif "file" not in self.errors:
                raise forms.ValidationError(_("Choose a file or paste the transcript text."))
        except TranscriptImportError as error:
            raise forms.ValidationError(user_message(error)) from None
        return cleaned
