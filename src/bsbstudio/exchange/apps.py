"""App configuration for exchange."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Exchange app."""

    name = "bsbstudio.exchange"
    label = "exchange"
    verbose_name = _("Exchange")

    def ready(self) -> None:
        """Carry imported codings onto each new de-identified text (deid must not know exchange)."""
        from django.db.models.signals import post_save

        from bsbstudio.transcripts.models import DeidentifiedText

        from .carry import on_deidentified_saved

        post_save.connect(
            on_deidentified_saved, sender=DeidentifiedText, dispatch_uid="exchange_carry_codings"
        )
