"""Forms of fieldwork: informants, interviews and who took part under which speaker code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Informant, Interview, Participation


class EvaluationScopedForm(forms.ModelForm):
    """A model form whose choices and uniqueness checks are limited to one evaluation."""

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        self.instance.evaluation = evaluation
        if "site" in self.fields:
            self.fields["site"].queryset = evaluation.sites.all()
        if "group" in self.fields:
            self.fields["group"].queryset = evaluation.informant_groups.all()

    def clean_code(self):
        """Codes are unique within the evaluation."""
        code = self.cleaned_data["code"].strip()
        clash = self._meta.model.objects.filter(evaluation=self.evaluation, code__iexact=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("The code %(code)s is already in use in this evaluation."), params={"code": code}
            )
        return code


class InformantForm(EvaluationScopedForm):
    """An informant under a pseudonym code; never a real name."""

    class Meta:
        model = Informant
        fields = ["code", "group", "site", "gender", "age_band", "recruited_through"]
        help_texts = {"code": _("A pseudonym code such as B-01. Never write a real name here.")}


class InterviewForm(EvaluationScopedForm):
    """A focus group or individual interview."""

    class Meta:
        model = Interview
        fields = ["code", "kind", "site", "date", "place", "moderator", "co_moderator"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, evaluation=evaluation, **kwargs)
        peers = evaluation.memberships.filter(role="peer_interviewer").select_related("user")
        self.fields["moderator"].queryset = peers
        self.fields["co_moderator"].queryset = peers

    def clean(self):
        """The moderator and co-moderator are two different people."""
        cleaned = super().clean()
        moderator, co_moderator = cleaned.get("moderator"), cleaned.get("co_moderator")
        if moderator and co_moderator and moderator.user_id == co_moderator.user_id:
            self.add_error("co_moderator", _("The co-moderator must be someone else."))
        return cleaned


class ParticipationForm(forms.ModelForm):
    """Add an informant to an interview with the speaker code used in its transcript."""

    class Meta:
        model = Participation
        fields = ["informant", "speaker_code"]
        help_texts = {"speaker_code": _("As written at the start of each turn, e.g. D1 or H2.")}

    def __init__(self, *args, interview, **kwargs):
        super().__init__(*args, **kwargs)
        self.interview = interview
        self.instance.interview = interview
        self.fields["informant"].queryset = interview.evaluation.informants.all()

    def clean(self):
        """A speaker code and an informant appear once per interview."""
        cleaned = super().clean()
        code = (cleaned.get("speaker_code") or "").strip().rstrip(":")
        cleaned["speaker_code"] = code
        if code and self.interview.participations.filter(speaker_code__iexact=code).exists():
            self.add_error(
                "speaker_code",
                _("The speaker code %(code)s is already used in this interview.") % {"code": code},
            )
        informant = cleaned.get("informant")
        if informant and self.interview.participations.filter(informant=informant).exists():
            self.add_error("informant", _("This informant already takes part in the interview."))
        return cleaned
