"""Form of a follow-up measure."""

from django import forms

from .models import Measure


class MeasureForm(forms.ModelForm):
    """A measure (tiltak) to follow up."""

    class Meta:
        model = Measure
        fields = ["text", "site", "responsible", "due", "status"]
        widgets = {
            "due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.evaluation = evaluation
        self.fields["site"].queryset = evaluation.sites.all()
