"""Form of the dialogue conference."""

from django import forms

from .models import DialogueConference


class ConferenceForm(forms.ModelForm):
    """Plan or record a dialogue conference."""

    class Meta:
        model = DialogueConference
        fields = ["title", "site", "date", "place", "participant_count", "summary"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.evaluation = evaluation
        self.fields["site"].queryset = evaluation.sites.all()
