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
from bsbstudio.transcripts.models import DeidentifiedText


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
        verbose_name = _("coded segment")
        verbose_name_plural = _("coded segments")

    def __str__(self) -> str:
        return self.quote[:80]


class Memo(models.Model):
    """A note of the analysts, on the evaluation, a code or a segment."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="memos")
    code = models.ForeignKey(
        Code, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
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
