"""Fieldwork (step 3): informants under pseudonym codes, consent, interviews, participations.

No table here holds a real name: informants are known by their pseudonym code only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bsbstudio.accounts.models import Membership
from bsbstudio.evaluations.models import Evaluation, Site
from bsbstudio.guide.models import InformantGroup


class Informant(models.Model):
    """A person interviewed, known only by a pseudonym code (e.g. B-01)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="informants")
    code = models.CharField(_("pseudonym code"), max_length=30)
    group = models.ForeignKey(
        InformantGroup, on_delete=models.PROTECT, related_name="informants", verbose_name=_("group")
    )
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="informants",
        verbose_name=_("site"),
    )
    gender = models.CharField(_("gender"), max_length=30, blank=True)
    age_band = models.CharField(_("age band"), max_length=30, blank=True)
    recruited_through = models.CharField(_("recruited through"), max_length=200, blank=True)
    attributes = models.JSONField(_("other attributes"), default=dict, blank=True)

    class Meta:
        ordering = ["evaluation", "code"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "code"], name="unique_informant_code")
        ]
        verbose_name = _("informant")
        verbose_name_plural = _("informants")

    def __str__(self) -> str:
        return self.code


class Interview(models.Model):
    """A focus group or individual interview, led by peer interviewers."""

    class Kind(models.TextChoices):
        FOCUS_GROUP = "focus_group", _("Focus group")
        INDIVIDUAL = "individual", _("Individual interview")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="interviews")
    code = models.CharField(_("code"), max_length=30)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interviews",
        verbose_name=_("site"),
    )
    date = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    moderators = models.ManyToManyField(
        Membership, blank=True, related_name="moderated_interviews", verbose_name=_("moderators")
    )

    class Meta:
        ordering = ["evaluation", "date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "code"], name="unique_interview_code")
        ]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")

    def __str__(self) -> str:
        return self.code


class Participation(models.Model):
    """An informant taking part in an interview, with the speaker code used in the transcript."""

    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="participations"
    )
    informant = models.ForeignKey(
        Informant,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("informant"),
    )
    speaker_code = models.CharField(_("speaker code"), max_length=30)

    class Meta:
        ordering = ["interview", "speaker_code"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "speaker_code"], name="unique_speaker"),
            models.UniqueConstraint(fields=["interview", "informant"], name="unique_participant"),
        ]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return f"{self.interview.code}: {self.speaker_code} = {self.informant.code}"


class Consent(models.Model):
    """The consent checklist of the method for one informant (and interview)."""

    informant = models.ForeignKey(Informant, on_delete=models.CASCADE, related_name="consents")
    interview = models.ForeignKey(
        Interview, null=True, blank=True, on_delete=models.CASCADE, related_name="consents"
    )
    brochure_given = models.BooleanField(_("information brochure given"), default=False)
    oral_consent = models.BooleanField(_("oral consent at the start"), default=False)
    recording_consent = models.BooleanField(_("consent to recording"), default=False)
    informed_of_rights = models.BooleanField(
        _("told of the right to skip questions and withdraw"), default=False
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.informant.code}"
