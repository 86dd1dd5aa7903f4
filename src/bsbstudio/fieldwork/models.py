"""Fieldwork (step 3): informants under pseudonym codes, consent, interviews, participations.

No table here holds a real name: informants are known by their pseudonym code only.
"""

from __future__ import annotations

from django.conf import settings
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
    length_of_service = models.CharField(
        _("length of service"),
        max_length=60,
        blank=True,
        help_text=_("How long the person has used (or worked in) the service, e.g. 1–3 years."),
    )
    recruited_through = models.CharField(_("recruited through"), max_length=200, blank=True)
    # Case-network sampling: a relative or staff member recruited through a user.
    recruited_via = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network",
        verbose_name=_("recruited via informant"),
    )
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

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    date = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    moderator = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderated_interviews",
        verbose_name=_("moderator"),
    )
    co_moderator = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="co_moderated_interviews",
        verbose_name=_("co-moderator"),
    )
    # The frozen guide version this interview used; set when it is held (see guide.versions).
    guide_version = models.ForeignKey(
        "guide.GuideVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interviews",
        verbose_name=_("guide version"),
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
    # None until asked; False means the participant refused, and the interview takes no recording.
    recording_consent = models.BooleanField(_("consent to recording"), null=True, blank=True)
    informed_of_rights = models.BooleanField(
        _("told of the right to skip questions and withdraw"), default=False
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["informant", "interview"], name="unique_consent")
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.informant.code}"


class SamplingCriterion(models.Model):
    """A sampling target: "at least 4 women", "3 from site Nord", "2 relatives at every site"."""

    class Attribute(models.TextChoices):
        GROUP = "group", _("Informant group")
        SITE = "site", _("Site")
        GENDER = "gender", _("Gender")
        AGE_BAND = "age_band", _("Age band")
        LENGTH_OF_SERVICE = "length_of_service", _("Length of service")
        RECRUITED_THROUGH = "recruited_through", _("Recruited through")

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="sampling_criteria"
    )
    attribute = models.CharField(_("attribute"), max_length=30, choices=Attribute.choices)
    value = models.CharField(
        _("value"), max_length=200, help_text=_("For a group, its code; for a site, its name.")
    )
    target = models.PositiveIntegerField(_("target"))
    # "At least two relatives per site": the target holds at every site on its own.
    per_site = models.BooleanField(
        _("at every site"),
        default=False,
        help_text=_("Tick when every site should reach the target on its own."),
    )

    class Meta:
        ordering = ["evaluation", "attribute", "value", "per_site"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "attribute", "value", "per_site"],
                name="unique_sampling_criterion_scope",
            )
        ]
        verbose_name = _("sampling criterion")
        verbose_name_plural = _("sampling criteria")

    def __str__(self) -> str:
        return f"{self.get_attribute_display()} = {self.value}: {self.target}"


class Recording(models.Model):
    """An audio recording of an interview, stored outside the web root until its deletion date.

    The row outlives the file: after deletion it keeps who deleted it, when, and that the file was
    verified gone, so the retention promise made to participants can be shown.
    """

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="recordings")
    stored_name = models.CharField(max_length=255, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=60)
    size_bytes = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    delete_by = models.DateField(_("delete by"))
    # Read from the file when it is received (``engine.audio_duration``); None for older rows.
    duration_seconds = models.FloatField(null=True, blank=True, editable=False)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["interview", "uploaded_at"]
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")

    def __str__(self) -> str:
        return f"{self.interview.code}: {self.original_name}"


class SiteGroupPlan(models.Model):
    """The sampling plan for one group at one site (utvalgsplan per enhet og gruppe).

    A target ("three relatives at Nord") holds for this cell only and overrides a per-site group
    criterion. ``planned`` False says the group is not to be interviewed at the site (a site
    with no relatives in its sample plan): the cell is neither a gap nor counted against
    fieldwork.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="group_plans")
    group = models.ForeignKey(InformantGroup, on_delete=models.CASCADE, related_name="site_plans")
    target = models.PositiveIntegerField(_("target"), null=True, blank=True)
    planned = models.BooleanField(_("planned"), default=True)

    class Meta:
        ordering = ["site", "group"]
        constraints = [
            models.UniqueConstraint(fields=["site", "group"], name="unique_site_group_plan")
        ]
        verbose_name = _("sampling plan for a site and group")
        verbose_name_plural = _("sampling plans for sites and groups")

    def __str__(self) -> str:
        if not self.planned:
            return f"{self.site} × {self.group}: not planned"
        return f"{self.site} × {self.group}: {self.target}"
