"""Analysis (step 5): codes, quotes coded to them, and memos.

Coded segments point into a de-identified text only (invariant 2), by code-point offsets
(invariant 1).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bsbstudio.evaluations.models import Evaluation
from bsbstudio.guide.models import Theme
from bsbstudio.transcripts.models import DeidentifiedText, SpeakerTurn


class Code(models.Model):
    """An analysis code: a theme of the guide, or an emergent theme found in the material."""

    class Kind(models.TextChoices):
        GUIDE = "guide", _("Guide theme")
        EMERGENT = "emergent", _("Emergent theme")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="codes")
    theme = models.OneToOneField(
        Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="code"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.EMERGENT)
    order = models.PositiveIntegerField(default=0)
    # An emergent theme may sit under another code; a guide theme's place follows the guide's tree.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # "#rrggbb" chosen by the user; empty means the code's colour from the palette by its place.
    colour = models.CharField(_("colour"), max_length=7, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["evaluation", "kind", "order", "id"]
        verbose_name = _("code")
        verbose_name_plural = _("codes")

    def __str__(self) -> str:
        return self.name


class CodedSegment(models.Model):
    """A quote: a span of a de-identified text coded to a theme, with polarity and directness."""

    class Polarity(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        CRITICAL = "critical", _("Critical")
        NEUTRAL = "neutral", _("Neutral")

    class Directness(models.TextChoices):
        DIRECT = "direct", _("Direct (own experience)")
        INDIRECT = "indirect", _("Indirect (about others)")

    text = models.ForeignKey(
        DeidentifiedText, on_delete=models.PROTECT, related_name="coded_segments"
    )
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="segments")
    # The turn the quote starts in (set by actions.code_segment): its speaker's informant group
    # places the quote in the matrix, which counts by joining here instead of reading the text.
    turn = models.ForeignKey(
        SpeakerTurn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where the quote stands in the matrix, copied from ``turn`` (its speaker's group) and
    # ``text`` (its interview and site) so the matrix counts one indexed table, without joins.
    # ``analysis.placement`` keeps them in step when a turn, informant or interview changes.
    group = models.ForeignKey(
        "guide.InformantGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    site = models.ForeignKey(
        "evaluations.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    interview = models.ForeignKey(
        "fieldwork.Interview",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField(editable=False)
    polarity = models.CharField(
        _("polarity"), max_length=10, choices=Polarity.choices, default=Polarity.NEUTRAL
    )
    directness = models.CharField(
        _("directness"), max_length=10, choices=Directness.choices, default=Directness.DIRECT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["text", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="segment_nonempty"
            ),
        ]
        # Serve the matrix's COUNT ... GROUP BY from the index alone, for each column choice.
        indexes = [
            models.Index(
                fields=["code", "group", "polarity", "directness", "site", "interview"],
                name="segment_matrix_group",
            ),
            models.Index(
                fields=["code", "site", "polarity", "directness", "group", "interview"],
                name="segment_matrix_site",
            ),
            models.Index(
                fields=["code", "interview", "polarity", "directness", "group", "site"],
                name="segment_matrix_interview",
            ),
        ]
        verbose_name = _("coded segment")
        verbose_name_plural = _("coded segments")

    def __str__(self) -> str:
        return self.quote[:80]

    @property
    def display_quote(self) -> str:
        """The quote as shown; ``speakers.with_speakers`` adds the speakers of a quote across turns."""
        return self.__dict__.get("_display_quote", self.quote)

    @display_quote.setter
    def display_quote(self, value: str) -> None:
        self.__dict__["_display_quote"] = value


class CodingStep(models.Model):
    """One coding action of a member on a text (create, edit, delete), kept so it can be undone.

    ``before`` and ``after`` are the quote's coding (code, span, polarity, directness); empty
    when the quote did not exist. ``segment_id`` is a plain number: a deleted quote that is
    restored comes back under a new id, and its steps follow it.
    """

    class Kind(models.TextChoices):
        CREATE = "create", _("Coded")
        EDIT = "edit", _("Changed")
        DELETE = "delete", _("Removed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.ForeignKey(DeidentifiedText, on_delete=models.CASCADE, related_name="+")
    segment_id = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    undone = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coding step")
        verbose_name_plural = _("coding steps")
        ordering = ["user", "text", "id"]
        indexes = [models.Index(fields=["user", "text", "undone", "id"], name="coding_step_stack")]


class Memo(models.Model):
    """A note of the analysts, on the evaluation, a code, a transcript or a segment."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="memos")
    code = models.ForeignKey(
        Code, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    deidentified_text = models.ForeignKey(
        DeidentifiedText, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    segment = models.ForeignKey(
        CodedSegment, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    text = models.TextField(_("memo"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("memo")
        verbose_name_plural = _("memos")

    def __str__(self) -> str:
        return self.text[:80]


class NothingSaid(models.Model):
    """The team's finding that an informant group said nothing on a theme it was asked about.

    An empty matrix cell is ambiguous until someone has looked: nothing coded yet, or nothing
    said. This row records that the team went through the interviews and found nothing (a
    finding in itself: "no staff member mentioned the users' participation").
    """

    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="nothing_said")
    group = models.ForeignKey("guide.InformantGroup", on_delete=models.CASCADE, related_name="+")
    note = models.TextField(_("what was looked through"), blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "group"], name="one_nothing_said_per_cell")
        ]
        verbose_name = _("theme nobody spoke of")
        verbose_name_plural = _("themes nobody spoke of")

    def __str__(self) -> str:
        return f"{self.code} × {self.group}"


class DoubleCoding(models.Model):
    """Blind double coding: two members code one de-identified text without seeing each other's.

    While it is open and not yet compared, each coder sees only their own quotes on the text. The
    process leader opens the comparison (its figures are kept as measured then, before any
    resolving), resolves the disagreements and closes it.
    """

    text = models.ForeignKey(
        DeidentifiedText, on_delete=models.PROTECT, related_name="double_codings"
    )
    coder_a = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    coder_b = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    compared_at = models.DateTimeField(null=True, blank=True)
    figures = models.JSONField(default=dict, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["text"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_double_coding_per_text",
            ),
            models.CheckConstraint(
                condition=~models.Q(coder_a=models.F("coder_b")), name="double_coding_two_coders"
            ),
        ]
        verbose_name = _("double coding")
        verbose_name_plural = _("double codings")

    def __str__(self) -> str:
        return f"{self.text} ({self.coder_a} / {self.coder_b})"


class AgreementResolution(models.Model):
    """How the process leader settled one disagreement of a double coding (a passage of a theme)."""

    class Choice(models.TextChoices):
        KEEP_A = "keep_a", _("Keep the first coder's")
        KEEP_B = "keep_b", _("Keep the second coder's")
        KEEP_BOTH = "keep_both", _("Keep both")
        DROP_BOTH = "drop_both", _("Drop both")

    double_coding = models.ForeignKey(
        DoubleCoding, on_delete=models.CASCADE, related_name="resolutions"
    )
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    choice = models.CharField(max_length=10, choices=Choice.choices)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["double_coding", "start", "id"]
        verbose_name = _("agreement resolution")
        verbose_name_plural = _("agreement resolutions")


class SearchEntry(models.Model):
    """One unit of the analysis search: a turn of a de-identified text, a coded quote or a memo.

    Written only by ``analysis.search``, which keeps it in step lazily. It holds the unit's stems
    and lower-case words, never raw text. Migration 0004 adds the full-text index: on SQLite an
    FTS5 table kept by triggers (re-create them in any migration that alters this table, which
    SQLite rebuilds); on PostgreSQL stored ``to_tsvector('simple', ...)`` columns with GIN indexes.
    """

    class Kind(models.IntegerChoices):
        TURN = 1, _("Transcript")
        QUOTE = 2, _("Coded quote")
        MEMO = 3, _("Memo")

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    text = models.ForeignKey(
        DeidentifiedText, null=True, on_delete=models.CASCADE, related_name="+"
    )
    turn = models.ForeignKey(
        "transcripts.SpeakerTurn", null=True, on_delete=models.CASCADE, related_name="+"
    )
    segment = models.ForeignKey(CodedSegment, null=True, on_delete=models.CASCADE, related_name="+")
    memo = models.ForeignKey(Memo, null=True, on_delete=models.CASCADE, related_name="+")
    # Where the unit lies: in the de-identified text (turns, quotes) or in the memo.
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    stems = models.TextField()
    words = models.TextField()

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        ordering = ["evaluation", "kind", "text", "start", "id"]
        indexes = [
            models.Index(
                fields=["evaluation", "kind", "text", "start", "id"], name="search_entry_order"
            ),
            # The highest quote indexed, found without reading the entries.
            models.Index(fields=["evaluation", "kind", "segment"], name="search_entry_segment"),
        ]


class Condensation(models.Model):
    """Systematic text condensation (Malterud) of an evaluation's coded quotes.

    Step 1 is the overall impression and preliminary themes; step 2 the meaning units (coded
    quotes chosen into it); step 3 code groups and sub-groups with a condensate per sub-group;
    step 4 a synthesis per group and an illustrative quote per sub-group.
    """

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="condensation"
    )
    impression = models.TextField(_("overall impression"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("condensation")
        verbose_name_plural = _("condensations")


class PreliminaryTheme(models.Model):
    """A theme noted after the first reading (step 1)."""

    condensation = models.ForeignKey(Condensation, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("preliminary theme")
        verbose_name_plural = _("preliminary themes")
        ordering = ["condensation", "order", "id"]


class CodeGroup(models.Model):
    """A code group of the condensation (step 3), with its synthesis (step 4)."""

    condensation = models.ForeignKey(Condensation, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(default=0)
    synthesis = models.TextField(_("synthesis"), blank=True)

    class Meta:
        verbose_name = _("code group")
        verbose_name_plural = _("code groups")
        ordering = ["condensation", "order", "id"]


class CodeSubgroup(models.Model):
    """A sub-group of a code group: its condensate (step 3) and illustrative quote (step 4)."""

    group = models.ForeignKey(CodeGroup, on_delete=models.CASCADE, related_name="subgroups")
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(default=0)
    condensate = models.TextField(_("condensate"), blank=True)
    illustrative = models.ForeignKey(
        "MeaningUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("code sub-group")
        verbose_name_plural = _("code sub-groups")
        ordering = ["group", "order", "id"]


class MeaningUnit(models.Model):
    """A coded quote chosen into the condensation (step 2), sorted into a sub-group (step 3)."""

    condensation = models.ForeignKey(Condensation, on_delete=models.CASCADE, related_name="units")
    segment = models.ForeignKey(CodedSegment, on_delete=models.CASCADE, related_name="+")
    subgroup = models.ForeignKey(
        CodeSubgroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="units"
    )

    class Meta:
        verbose_name = _("meaning unit")
        verbose_name_plural = _("meaning units")
        ordering = ["condensation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["condensation", "segment"], name="one_meaning_unit_per_quote"
            ),
        ]


class SuggestionModel(models.Model):
    """The theme classifier of one evaluation, trained on its coded quotes (``autocode``).

    ``fingerprint`` says which coded quotes it was trained on; ``requested`` which ones the
    background retraining last asked for, so a page view does not ask twice.
    """

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="suggestion_model"
    )
    classifier = models.BinaryField(null=True, editable=False)
    fingerprint = models.CharField(max_length=100, blank=True)
    requested = models.CharField(max_length=100, blank=True)
    trained_at = models.DateTimeField(null=True, blank=True)
    quotes = models.PositiveIntegerField(default=0)
    # Themes left out for too few quotes: {code id: number of quotes}.
    too_few = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("theme suggester")
        verbose_name_plural = _("theme suggesters")


class Suggestion(models.Model):
    """A theme proposed for an uncoded speaker turn; a person accepts (codes it) or rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Proposed")
        REJECTED = "rejected", _("Rejected")

    turn = models.ForeignKey(SpeakerTurn, on_delete=models.CASCADE, related_name="+")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="+")
    confidence = models.FloatField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("theme suggestion")
        verbose_name_plural = _("theme suggestions")
        ordering = ["turn", "-confidence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["turn", "code"], name="one_suggestion_per_turn_theme")
        ]


class Display(models.Model):
    """The 2 x 2 display of an evaluation: individual or organisation level x planning or implementation."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="display")
    title = models.CharField(_("title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("display")
        verbose_name_plural = _("displays")


class DisplayItem(models.Model):
    """A theme, a coded quote or a short text placed in one of the display's four fields."""

    class Field(models.TextChoices):
        INDIVIDUAL_PLANNING = "individual_planning", _("Individual level, planning")
        INDIVIDUAL_IMPLEMENTATION = (
            "individual_implementation",
            _("Individual level, implementation"),
        )
        ORGANISATION_PLANNING = "organisation_planning", _("Organisation level, planning")
        ORGANISATION_IMPLEMENTATION = (
            "organisation_implementation",
            _("Organisation level, implementation"),
        )

    display = models.ForeignKey(Display, on_delete=models.CASCADE, related_name="items")
    field = models.CharField(_("field"), max_length=30, choices=Field.choices)
    code = models.ForeignKey(
        Code, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    segment = models.ForeignKey(
        CodedSegment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("item in the display")
        verbose_name_plural = _("items in the display")
        ordering = ["display", "field", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__isnull=False)
                | models.Q(segment__isnull=False)
                | ~models.Q(text=""),
                name="display_item_not_empty",
            ),
        ]
