"""App configuration for fieldwork."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    """Fieldwork app."""

    name = "bsbstudio.fieldwork"
    label = "fieldwork"
    verbose_name = _("Fieldwork")
