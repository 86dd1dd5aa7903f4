"""App configuration for followup."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    """Follow-up app."""

    name = "bsbstudio.followup"
    label = "followup"
    verbose_name = _("Follow-up")
