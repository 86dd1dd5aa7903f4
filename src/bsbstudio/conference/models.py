"""The dialogue conference (dialogkonferanse, step 7) where findings are validated.

A conference presents a process report's main points, groups work on chosen themes and bring
points to plenum, and the conference's reception of each theme is coded back (ThemeValidation).
Participants are counted per role; no participant names are ever stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bsbstudio.analysis.models import Code
from bsbstudio.evaluations.models import Evaluation, Site
from bsbstudio.guide.models import InformantGroup, Theme
from bsbstudio.reports.models import Report


class DialogueConference(models.Model):
    """A dialogue conference: users, staff and managers discuss the main points (dialogkonferanse)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="conferences")
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conferences",
        verbose_name=_("site"),
        help_text=_("Leave empty for a conference across all sites."),
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), null=True, blank=True)
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    end_time = models.TimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("process leader and co-leaders"),
    )
    process_report = models.ForeignKey(
        Report,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conferences",
        verbose_name=_("process report presented"),
    )
    invited_groups = models.ManyToManyField(
        InformantGroup, blank=True, related_name="+", verbose_name=_("invited groups")
    )
    plenum_notes = models.TextField(_("plenum notes"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # Strings the leak guard flagged in the minutes that a reviewer judged harmless.
    reviewed_identifiers = models.JSONField(default=list, blank=True, editable=False)
    # Only conference.actions sets these: approve_minutes, and any later change to outputs/notes.
    minutes_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["evaluation", "date", "id"]
        verbose_name = _("dialogue conference")
        verbose_name_plural = _("dialogue conferences")

    def __str__(self) -> str:
        return self.title

    @property
    def minutes_approved(self) -> bool:
        """Whether the process leader has approved the minutes (and nothing changed since)."""
        return self.minutes_approved_at is not None

    @property
    def number(self) -> int:
        """The conference's number in its evaluation, 1-based, by date then id (as the CLI takes it)."""
        ids = list(ordered_conferences(self.evaluation).values_list("pk", flat=True))
        return ids.index(self.pk) + 1


def ordered_conferences(evaluation):
    """The evaluation's conferences in numbering order: by date (undated last), then id."""
    return DialogueConference.objects.filter(evaluation=evaluation).order_by(
        models.F("date").asc(nulls_last=True), "id"
    )


class ParticipantRole(models.TextChoices):
    """Who took part, counted by role only."""

    USERS = "users", _("Service users")
    RELATIVES = "relatives", _("Relatives")
    STAFF = "staff", _("Staff members")
    MANAGERS = "managers", _("Managers")
    OTHERS = "others", _("Others")


class ParticipantCount(models.Model):
    """How many took part in a conference in one role (never who)."""

    conference = models.ForeignKey(
        DialogueConference, on_delete=models.CASCADE, related_name="participant_counts"
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)
    count = models.PositiveIntegerField(_("number"))

    class Meta:
        ordering = ["conference", "role"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "role"], name="unique_conference_role"),
            models.CheckConstraint(
                condition=models.Q(count__gte=0), name="participant_count_gte_0"
            ),
        ]
        verbose_name = _("participant count")
        verbose_name_plural = _("participant counts")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.count}"


class AgendaItem(models.Model):
    """One session of the conference's agenda (program)."""

    conference = models.ForeignKey(
        DialogueConference, on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    end_time = models.TimeField(_("ends at"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["conference", "order", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class ConferenceGroup(models.Model):
    """A work group at the conference: its mix of roles, the themes and questions it discusses."""

    conference = models.ForeignKey(
        DialogueConference, on_delete=models.CASCADE, related_name="groups"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    roles = models.JSONField(_("participant roles"), default=list, blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="conference_groups", verbose_name=_("themes")
    )
    questions = models.TextField(_("questions"), blank=True, help_text=_("One question per line."))

    class Meta:
        ordering = ["conference", "order", "id"]
        verbose_name = _("conference group")
        verbose_name_plural = _("conference groups")

    def __str__(self) -> str:
        return self.name

    def question_list(self) -> list[str]:
        """The group's questions, one per non-empty line."""
        return [line.strip() for line in self.questions.splitlines() if line.strip()]

    def role_labels(self) -> list[str]:
        """The names of the participant roles in the group, in the language in use."""
        labels = dict(ParticipantRole.choices)
        return [str(labels[r]) for r in self.roles if r in labels]


class GroupOutput(models.Model):
    """What a group produced: a discussion point, a proposed measure, or a point for plenum."""

    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("What the group said")
        MEASURE = "measure", _("Proposed measure")
        PLENUM = "plenum", _("Point for plenum")

    group = models.ForeignKey(ConferenceGroup, on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["group", "kind", "order", "id"]
        verbose_name = _("group output")
        verbose_name_plural = _("group outputs")

    def __str__(self) -> str:
        return self.text[:60]


class ThemeValidation(models.Model):
    """How the conference received a theme: one group output (or plenum note) linked to one theme.

    ``code`` is the analysis code the matrix counts by (a guide theme's code, or the emergent theme
    a "new theme" validation created); ``theme`` is set when it is a guide theme.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        NUANCED = "nuanced", _("Nuanced")
        CONTESTED = "contested", _("Contested")
        NEW = "new", _("New theme")

    conference = models.ForeignKey(
        DialogueConference, on_delete=models.CASCADE, related_name="validations"
    )
    output = models.ForeignKey(
        GroupOutput,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="validations",
        verbose_name=_("group output"),
    )
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="validations"
    )
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="validations")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)

    class Meta:
        ordering = ["conference", "code__order", "id"]
        verbose_name = _("theme validation")
        verbose_name_plural = _("theme validations")

    def __str__(self) -> str:
        return f"{self.code}: {self.get_status_display()}"


# --- The evaluation form on a phone (evaluering av dagen) ----------------------------------------


class FeedbackLink(models.Model):
    """A public link to the conference's evaluation form, open for a limited time.

    Anyone with the link (or its QR code) can answer without logging in, until ``valid_until`` or
    until the process leader closes it. The token is the only secret; it is random and URL-safe.
    """

    conference = models.ForeignKey(
        DialogueConference, on_delete=models.CASCADE, related_name="feedback_links"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    valid_until = models.DateTimeField(_("open until"))
    closed = models.BooleanField(_("closed"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["conference", "-created_at", "-id"]
        verbose_name = _("evaluation form link")
        verbose_name_plural = _("evaluation form links")

    def __str__(self) -> str:
        return f"{self.conference}: {self.token[:6]}…"

    def is_open(self, now) -> bool:
        """Whether answers are taken at ``now``: not closed and not past its end."""
        return not self.closed and now < self.valid_until


class SaidWhatWanted(models.TextChoices):
    """Whether a participant got to say what they wanted."""

    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class FeedbackRole(models.TextChoices):
    """The role a participant answers in (one person, so singular; values as ParticipantRole)."""

    USER = "users", pgettext_lazy("one participant", "Service user")
    RELATIVE = "relatives", pgettext_lazy("one participant", "Relative")
    STAFF = "staff", pgettext_lazy("one participant", "Staff")
    MANAGER = "managers", pgettext_lazy("one participant", "Manager")
    OTHER = "others", pgettext_lazy("one participant", "Other")


class FeedbackAnswer(models.Model):
    """One anonymous answer to the evaluation form.

    Deliberately without the time of day, the link, the client's address or its browser: an
    answer must not be traceable to who sent it (tests check the fields).
    """

    TEXT_MAX = 1000

    conference = models.ForeignKey(
        DialogueConference, on_delete=models.CASCADE, related_name="feedback_answers"
    )
    answered_on = models.DateField(_("answered on"))
    usefulness = models.PositiveSmallIntegerField(_("how useful was the day"))
    said_what_wanted = models.CharField(
        _("got to say what they wanted"), max_length=10, choices=SaidWhatWanted.choices
    )
    missing = models.TextField(_("what was missing"), max_length=TEXT_MAX, blank=True)
    other = models.TextField(_("anything else"), max_length=TEXT_MAX, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=FeedbackRole.choices)

    class Meta:
        ordering = ["conference", "answered_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(usefulness__gte=1, usefulness__lte=5),
                name="feedback_usefulness_1_to_5",
            ),
        ]
        verbose_name = _("evaluation form answer")
        verbose_name_plural = _("evaluation form answers")

    def __str__(self) -> str:
        return f"{self.conference}: {self.answered_on}"


class KeptSlides(models.Model):
    """Slides drawn for a download, kept for the next download of the same content.

    Planning and drawing a deck takes 0.6 s for the demo's report, and around a conference the
    same slides are downloaded again and again, by several people through several server
    processes. ``key`` is a digest of all the file depends on (the deck's content, the format,
    the drawing code), so any change gives a new file; the rows go with their report. The leak
    guard still reads ``scanned_texts`` at every download, against the current reviews.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64, unique=True)
    content = models.BinaryField()
    scanned_texts = models.JSONField(default=list)
    slides = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "-created_at", "-id"]
        verbose_name = _("kept slide file")
        verbose_name_plural = _("kept slide files")

    def __str__(self) -> str:
        return f"{self.report}: {self.key[:8]}"
