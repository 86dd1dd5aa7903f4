"""The choice of what a new evaluation starts from: blank, or one of the guide step's starters."""

from django import forms
from django.utils.translation import gettext_lazy as _


class StarterForm(forms.Form):
    """What a new evaluation starts from (``guide/starters/``); empty means blank."""

    starter = forms.ChoiceField(
        label=_("Start from"), required=False, widget=forms.RadioSelect, initial=""
    )

    def __init__(self, *args, **kwargs):
        # The starters belong to the guide step, a later step: imported here, late, so the plan
        # step's modules do not depend on it (as rounds.py does when it copies a guide).
        from bsbstudio.guide.starters import loader

        super().__init__(*args, **kwargs)
        self.starters = loader.starters()
        self.fields["starter"].choices = [("", _("Blank"))] + [
            (key, starter.name) for key, starter in self.starters.items()
        ]

    def options(self) -> list[dict]:
        """The choices with their descriptions, for the page; the chosen one checked."""
        chosen = self["starter"].value() or ""
        blank = {
            "key": "",
            "name": _("Blank"),
            "description": _("An empty guide: you write the themes and questions yourself."),
        }
        options = [blank] + [
            {"key": key, "name": starter.name, "description": starter.description}
            for key, starter in self.starters.items()
        ]
        for option in options:
            option["checked"] = option["key"] == chosen
        return options
