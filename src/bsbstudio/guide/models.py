"""The theme guide (temaguide): themes x informant groups, a question in each cell."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bsbstudio.evaluations.models import Evaluation, Goal, ProblemStatement


class Theme(models.Model):
    """A theme of the guide (tema); themes form an ordered tree and become analysis codes."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="themes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    # The plan's goals and problem statements this theme speaks to (issue 9): the final report
    # sets each theme's goals against what users told. Changed only by guide.actions.link_theme_goals.
    goals = models.ManyToManyField(Goal, blank=True, related_name="themes", verbose_name=_("goals"))
    problem_statements = models.ManyToManyField(
        ProblemStatement, blank=True, related_name="themes", verbose_name=_("problem statements")
    )

    class Meta:
        ordering = ["evaluation", "order", "id"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class InformantGroup(models.Model):
    """A group of informants asked the same questions: users, relatives, staff (informantgruppe)."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="informant_groups"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["evaluation", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "code"], name="unique_group_code")
        ]
        verbose_name = _("informant group")
        verbose_name_plural = _("informant groups")

    def __str__(self) -> str:
        return self.name


class GuideQuestion(models.Model):
    """The question for one theme asked to one informant group (a cell of the guide)."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="questions")
    group = models.ForeignKey(InformantGroup, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    subquestions = models.TextField(
        _("sub-questions"), blank=True, help_text=_("Follow-up questions, one per line.")
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["theme", "group"], name="unique_guide_cell")]
        verbose_name = _("guide question")
        verbose_name_plural = _("guide questions")

    def __str__(self) -> str:
        return self.text[:80]


class GuideVersion(models.Model):
    """A frozen copy of the whole guide, made when the first interview uses it.

    ``snapshot`` holds themes, groups and questions as they stood; the live tables above are the
    working draft. Later edits make the next version when the next interview is held.
    """

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="guide_versions"
    )
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(editable=False)
    frozen_at = models.DateTimeField(auto_now_add=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["evaluation", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "number"], name="unique_guide_version")
        ]
        verbose_name = _("guide version")
        verbose_name_plural = _("guide versions")

    def __str__(self) -> str:
        return f"{self.evaluation} v{self.number}"
