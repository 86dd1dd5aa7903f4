"""App configuration for exchange."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Exchange app."""

    name = "bsbstudio.exchange"
    label = "exchange"
    verbose_name = _("Exchange")
