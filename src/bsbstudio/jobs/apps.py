"""App configuration for background jobs."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Background jobs app (a platform app every step of the circle may use)."""

    name = "bsbstudio.jobs"
    label = "jobs"
    verbose_name = _("Background work")
