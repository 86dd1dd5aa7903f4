"""App configuration for transcripts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranscriptsConfig(AppConfig):
    """Transcripts app."""

    name = "bsbstudio.transcripts"
    label = "transcripts"
    verbose_name = _("Transcripts")
