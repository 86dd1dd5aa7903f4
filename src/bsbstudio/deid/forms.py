"""Forms of de-identification review: the names to hide, and the decision on each hit.

Ids sent by the browser are never parsed by hand here: a form only accepts the ids of objects it
was given, so a made-up, non-numeric or oversized id is a clear message and never a server error.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Detection, ProtectedTerm


class ProtectedTermForm(forms.Form):
    """A name the evaluation must hide wherever it appears."""

    text = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProtectedTerm.Kind.choices)

    def clean_text(self):
        """Names of fewer than two letters would hide too much."""
        text = self.cleaned_data["text"].strip()
        if len(text) < 2:
            raise forms.ValidationError(_("Write at least two letters."))
        return text


class RemoveTermForm(forms.Form):
    """Which name to take off the list: one of this evaluation's own (the button's ``remove``)."""

    remove = forms.ModelChoiceField(
        queryset=ProtectedTerm.objects.none(),
        error_messages={
            "invalid_choice": _("That name is not on the list. It may already have been removed.")
        },
    )

    def __init__(self, *args, evaluation, **kwargs):
        """Offer only the evaluation's terms, so another evaluation's id is not found."""
        super().__init__(*args, **kwargs)
        self.fields["remove"].queryset = ProtectedTerm.objects.filter(evaluation=evaluation)


class DecisionsForm(forms.Form):
    """Hide or Keep for each hit of one transcript, in fields named ``decision_<hit id>``.

    The fields are made from the transcript's own hits. A posted ``decision_…`` that matches none
    of them (another transcript's hit, one deleted by a new scan, or not a number at all) makes
    the whole form invalid, so a stale or forged page saves nothing rather than half of it.
    """

    PREFIX = "decision_"

    def __init__(self, *args, detections, **kwargs):
        """Build one optional choice per hit."""
        super().__init__(*args, **kwargs)
        choices = [
            (Detection.Decision.CONFIRMED, _("Hide")),
            (Detection.Decision.REJECTED, _("Keep")),
        ]
        self.hits = {f"{self.PREFIX}{d.pk}": d for d in detections}
        for name in self.hits:
            self.fields[name] = forms.ChoiceField(choices=choices, required=False)

    def clean(self):
        """Refuse choices for hits that are not in this transcript."""
        cleaned = super().clean()
        if any(key.startswith(self.PREFIX) and key not in self.hits for key in self.data):
            raise forms.ValidationError(
                _(
                    "Nothing was saved: some choices were for hits that are not in this transcript "
                    "(any more). Open the page again and choose once more."
                )
            )
        return cleaned

    def decisions(self) -> dict[int, str]:
        """``{hit id: decision}`` for the hits a choice was sent for."""
        return {
            self.hits[name].pk: value
            for name, value in self.cleaned_data.items()
            if name in self.hits and value
        }
