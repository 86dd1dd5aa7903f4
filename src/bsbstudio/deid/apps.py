"""App configuration for deid."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeidConfig(AppConfig):
    """De-identification app."""

    name = "bsbstudio.deid"
    label = "deid"
    verbose_name = _("De-identification")
