"""App configuration for analysis."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    """Analysis app."""

    name = "bsbstudio.analysis"
    label = "analysis"
    verbose_name = _("Analysis")

    def ready(self):
        """Connect the signals of search (re-index) and placement (a quote's place in the matrix)."""
        from . import placement, search  # noqa: F401
