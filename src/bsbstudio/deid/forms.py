"""Forms of de-identification review: the names to hide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ProtectedTerm


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
