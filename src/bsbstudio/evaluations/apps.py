"""App configuration for evaluations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """Evaluations app."""

    name = "bsbstudio.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")
