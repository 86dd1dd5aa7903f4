"""App configuration for reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports app."""

    name = "bsbstudio.reports"
    label = "reports"
    verbose_name = _("Reports")
