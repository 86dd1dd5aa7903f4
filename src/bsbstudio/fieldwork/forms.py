"""Forms of fieldwork: informants, interviews, participants, consent and sampling criteria."""

from __future__ import annotations

import datetime

from django import forms
from django.core.validators import MinValueValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .engine.codes import code_prefix, looks_like_real_name, next_code
from .models import Informant, Interview, Participation, SamplingCriterion

# Stored values are data that sampling criteria refer to, so they stay fixed (the demo data and
# earlier evaluations use these Norwegian words); only the labels are translated.
GENDER_CHOICES = [
    ("", _("Not recorded")),
    ("kvinne", _("Woman")),
    ("mann", _("Man")),
    ("annet", _("Other")),
]
AGE_BAND_CHOICES = [
    ("", _("Not recorded")),
    ("<25", _("under 25")),
    ("25–39", "25–39"),
    ("40–54", "40–54"),
    ("55–66", "55–66"),
    ("67+", _("67 and over")),
]
_CHOICES = {"gender": GENDER_CHOICES, "age_band": AGE_BAND_CHOICES}


def choice_label(attribute: str, value: str) -> str:
    """The label people see for a stored value of ``attribute`` (the value itself if unknown)."""
    for stored, label in _CHOICES.get(attribute, ()):
        if stored and stored.casefold() == value.strip().casefold():
            return str(label)
    return value


def _stored_value(attribute: str, typed: str) -> str:
    """The stored value for what someone typed: a stored value or a label, in any case."""
    typed = typed.strip()
    for stored, label in _CHOICES.get(attribute, ()):
        if stored and typed.casefold() in (stored.casefold(), str(label).casefold()):
            return stored
    return typed


def _choices_with(choices, current: str):
    """``choices`` plus ``current`` if it is an older free-text value not among them."""
    if current and current not in {value for value, _label in choices}:
        return [*choices, (current, current)]
    return choices


def site_number(evaluation, site) -> int | None:
    """The 1-based position of ``site`` in the evaluation's site order (None without site)."""
    if site is None:
        return None
    ids = list(evaluation.sites.values_list("pk", flat=True))
    return ids.index(site.pk) + 1 if site.pk in ids else None


def suggested_code(evaluation, group, site) -> str:
    """The next free pseudonym code for ``group`` and ``site``, e.g. B1-03 (B-03 without site)."""
    prefix = code_prefix(group.code, site_number(evaluation, site))
    existing = evaluation.informants.filter(code__istartswith=f"{prefix}-").values_list(
        "code", flat=True
    )
    return next_code(prefix, existing)


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
        if code and clash.exists():
            raise forms.ValidationError(
                _("The code %(code)s is already in use in this evaluation."), params={"code": code}
            )
        return code


class InformantForm(EvaluationScopedForm):
    """An informant under a pseudonym code; never a real name.

    When adding, an empty code is filled in with the next free code for the group and site
    (``generated_code`` is then True). A code that looks like a name is refused.
    """

    gender = forms.ChoiceField(label=_("Gender"), required=False)
    age_band = forms.ChoiceField(label=_("Age band"), required=False)

    class Meta:
        model = Informant
        # Group and site first: the suggested code follows from them.
        fields = [
            "group",
            "site",
            "code",
            "gender",
            "age_band",
            "length_of_service",
            "recruited_through",
            "recruited_via",
        ]
        help_texts = {
            "code": _(
                "Leave empty to get the next free code for the group and site, such as B1-03. "
                "Never write a real name here."
            ),
            "recruited_through": _("The service or person that asked them to take part."),
            "recruited_via": _(
                "For a relative or staff member: the informant they were recruited through."
            ),
        }
        widgets = {"recruited_through": forms.TextInput(attrs={"list": "fieldwork-services"})}

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, evaluation=evaluation, **kwargs)
        self.generated_code = False
        adding = self.instance.pk is None
        self.fields["code"].required = not adding
        if not adding:
            self.fields["code"].help_text = _(
                "The code stays the same if group or site change: it may already be in "
                "transcripts. Never write a real name here."
            )
        self.fields["gender"].choices = _choices_with(GENDER_CHOICES, self.instance.gender)
        self.fields["age_band"].choices = _choices_with(AGE_BAND_CHOICES, self.instance.age_band)
        others = evaluation.informants.select_related("group")
        if not adding:
            others = others.exclude(pk=self.instance.pk)
        self.fields["recruited_via"].queryset = others
        self.fields["recruited_via"].empty_label = _("Nobody (recruited directly)")

    def clean_code(self):
        """Unique in the evaluation, and not something that looks like a person's name."""
        code = super().clean_code()
        if code and looks_like_real_name(code):
            raise forms.ValidationError(
                _(
                    "“%(code)s” looks like a person's name. Use a pseudonym code such as B1-01: "
                    "real names must never be stored here."
                ),
                params={"code": code},
            )
        return code

    def clean_recruited_via(self):
        """The case network has no loops: nobody is recruited, in the end, through themselves."""
        via = self.cleaned_data.get("recruited_via")
        node, steps = via, 0
        while node is not None and self.instance.pk and steps < 1000:
            if node.pk == self.instance.pk:
                raise forms.ValidationError(
                    _(
                        "%(code)s was recruited through this informant, so it cannot be the other way."
                    ),
                    params={"code": via.code},
                )
            node, steps = node.recruited_via, steps + 1
        return via

    def clean(self):
        """Fill in an empty code from group and site."""
        cleaned = super().clean()
        group = cleaned.get("group")
        if not cleaned.get("code") and "code" not in self.errors and group is not None:
            cleaned["code"] = suggested_code(self.evaluation, group, cleaned.get("site"))
            self.generated_code = True
        return cleaned

    def regenerate_code(self) -> str:
        """Take the next free code again (after someone else took the suggested one meanwhile)."""
        code = suggested_code(self.evaluation, self.instance.group, self.instance.site)
        self.instance.code = code
        return code


class InterviewForm(EvaluationScopedForm):
    """A focus group or individual interview."""

    class Meta:
        model = Interview
        fields = ["code", "kind", "status", "site", "date", "place", "moderator", "co_moderator"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "status": _("When it is marked as held, the interview keeps the guide version it used.")
        }

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, evaluation=evaluation, **kwargs)
        peers = evaluation.memberships.filter(role="peer_interviewer").select_related("user")
        self.fields["moderator"].queryset = peers
        self.fields["co_moderator"].queryset = peers
        if not peers.exists():
            # An empty list with no word of why stops people: say who can be chosen, and where.
            hint = format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "Only team members with the peer-interviewer role can lead an interview, "
                    "and nobody has that role yet."
                ),
                reverse("evaluations:team", args=[evaluation.slug]),
                _("Give someone the role under Team and roles."),
            )
            self.fields["moderator"].help_text = hint
            for name in ("moderator", "co_moderator"):
                self.fields[name].empty_label = _("Nobody has the peer-interviewer role yet")
        # A new interview is planned unless said otherwise (older clients post no status).
        self.fields["status"].required = False

    def clean_status(self):
        """No status given means the one the interview has (planned for a new one)."""
        return self.cleaned_data.get("status") or self.instance.status or Interview.Status.PLANNED

    def clean(self):
        """Two different moderators; an interview cannot be held on a date still to come."""
        cleaned = super().clean()
        moderator, co_moderator = cleaned.get("moderator"), cleaned.get("co_moderator")
        if moderator and co_moderator and moderator.user_id == co_moderator.user_id:
            self.add_error("co_moderator", _("The co-moderator must be someone else."))
        date = cleaned.get("date")
        if cleaned.get("status") == Interview.Status.HELD and date and date > timezone.localdate():
            self.add_error(
                "status", _("An interview dated in the future cannot be marked as held yet.")
            )
        return cleaned


class InterviewFilterForm(forms.Form):
    """Narrow the interviews list by site and status."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=None, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = evaluation.sites.all()
        self.fields["site"].empty_label = _("All sites")
        self.fields["status"].choices = [("", _("All")), *Interview.Status.choices]

    def filter(self, queryset):
        """``queryset`` narrowed by the valid choices (unchanged when the form is invalid)."""
        if not self.is_valid():
            return queryset
        if self.cleaned_data["site"]:
            queryset = queryset.filter(site=self.cleaned_data["site"])
        if self.cleaned_data["status"]:
            queryset = queryset.filter(status=self.cleaned_data["status"])
        return queryset


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


RECORDING_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("", _("Not asked yet"))]
_RECORDING_VALUES = {"yes": True, "no": False, "": None}
# A withdrawal time typed a little ahead of the server clock is allowed (clocks and minutes).
_CLOCK_SLACK = datetime.timedelta(minutes=2)


class ConsentForm(forms.Form):
    """The consent checklist of one participant for one interview."""

    brochure_given = forms.BooleanField(label=_("Information brochure given"), required=False)
    oral_consent = forms.BooleanField(
        label=_("Oral consent at the start of the interview"), required=False
    )
    recording_consent = forms.ChoiceField(
        label=_("Consent to recording"),
        choices=RECORDING_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    informed_of_rights = forms.BooleanField(
        label=_("Told of the right to skip questions and to withdraw until the interview ends"),
        required=False,
    )
    withdrew = forms.BooleanField(label=_("Withdrew"), required=False)
    withdrawn_at = forms.DateTimeField(
        label=_("Time of withdrawal"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Only used when “Withdrew” is ticked. Leave it empty to use the time of saving."
        ),
    )

    def __init__(self, *args, consent=None, **kwargs):
        if consent is not None:
            recording = {True: "yes", False: "no", None: ""}[consent.recording_consent]
            kwargs.setdefault(
                "initial",
                {
                    "brochure_given": consent.brochure_given,
                    "oral_consent": consent.oral_consent,
                    "recording_consent": recording,
                    "informed_of_rights": consent.informed_of_rights,
                    "withdrew": consent.withdrawn_at is not None,
                    "withdrawn_at": consent.withdrawn_at,
                },
            )
        # No time is offered until someone withdrew: a filled-in "now" reads as a withdrawal.
        super().__init__(*args, **kwargs)

    def clean(self):
        """A withdrawal has a time, now or earlier; without "withdrew" the time is dropped."""
        cleaned = super().clean()
        if not cleaned.get("withdrew"):
            cleaned["withdrawn_at"] = None
        elif "withdrawn_at" not in self.errors:
            at = cleaned.get("withdrawn_at") or timezone.now()
            if at > timezone.now() + _CLOCK_SLACK:
                self.add_error("withdrawn_at", _("The time of withdrawal cannot be in the future."))
            cleaned["withdrawn_at"] = at
        return cleaned

    def values(self) -> dict:
        """The cleaned answers as the Consent model's fields."""
        data = self.cleaned_data
        return {
            "brochure_given": data["brochure_given"],
            "oral_consent": data["oral_consent"],
            "recording_consent": _RECORDING_VALUES[data["recording_consent"]],
            "informed_of_rights": data["informed_of_rights"],
            "withdrawn_at": data["withdrawn_at"],
        }


class SamplingCriterionForm(forms.ModelForm):
    """A sampling target; group criteria hold the group code, site criteria the site name."""

    class Meta:
        model = SamplingCriterion
        fields = ["attribute", "value", "target", "per_site"]
        widgets = {"value": forms.TextInput(attrs={"list": "fieldwork-criterion-values"})}
        help_texts = {
            "value": _(
                "For a group, its code (such as B); for a site, its name; for gender or age "
                "band, one of the choices in the informant form."
            ),
            "target": _("How many informants with this value the sample should have."),
            "per_site": _(
                "Tick for a target every site must reach on its own, such as at least two "
                "relatives at each site."
            ),
        }

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        self.instance.evaluation = evaluation
        self.fields["target"].validators.append(MinValueValidator(1))
        self.fields["target"].widget.attrs["min"] = 1

    def clean(self):
        """Group codes and site names must exist; the same criterion is not added twice."""
        cleaned = super().clean()
        attribute, value = cleaned.get("attribute"), (cleaned.get("value") or "").strip()
        if not attribute or not value:
            return cleaned
        if attribute == SamplingCriterion.Attribute.GROUP:
            groups = list(self.evaluation.informant_groups.all())
            match = next(
                (g for g in groups if value.casefold() in (g.code.casefold(), g.name.casefold())),
                None,
            )
            if match is None:
                known = ", ".join(f"{g.code} ({g.name})" for g in groups) or "–"
                self.add_error(
                    "value",
                    _("There is no informant group %(value)s. The groups are: %(known)s.")
                    % {"value": value, "known": known},
                )
                return cleaned
            value = match.code
        elif attribute == SamplingCriterion.Attribute.SITE:
            sites = list(self.evaluation.sites.all())
            match = next((s for s in sites if s.name.casefold() == value.casefold()), None)
            if match is None:
                known = ", ".join(s.name for s in sites) or "–"
                self.add_error(
                    "value",
                    _("There is no site called %(value)s. The sites are: %(known)s.")
                    % {"value": value, "known": known},
                )
                return cleaned
            value = match.name
        else:
            value = _stored_value(attribute, value)
        cleaned["value"] = value
        self.instance.value = value
        if self.evaluation.sampling_criteria.filter(
            attribute=attribute, value__iexact=value, per_site=bool(cleaned.get("per_site"))
        ).exists():
            self.add_error("value", _("This criterion is already in the list."))
        return cleaned
