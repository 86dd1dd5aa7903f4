"""App configuration for conference."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferenceConfig(AppConfig):
    """Dialogue conference app."""

    name = "bsbstudio.conference"
    label = "conference"
    verbose_name = _("Dialogue conference")
