"""App configuration for guide."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuideConfig(AppConfig):
    """Theme guide app."""

    name = "bsbstudio.guide"
    label = "guide"
    verbose_name = _("Theme guide")
