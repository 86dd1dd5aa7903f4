"""Admin for evaluations: read-only; plans change only through the app (audited)."""

from django.contrib import admin

from bsbstudio.accounts.admin import ReadOnlyAdmin

from .models import Evaluation, Goal, ProblemStatement, Round, Site


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    """Admin for Evaluation."""

    list_display = ("name", "slug", "commissioner", "period_start", "period_end")


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    """Admin for Round."""

    list_display = ("evaluation", "number", "name")


@admin.register(Site)
class SiteAdmin(ReadOnlyAdmin):
    """Admin for Site."""

    list_display = ("name", "evaluation", "order")


@admin.register(Goal)
class GoalAdmin(ReadOnlyAdmin):
    """Admin for Goal."""

    list_display = ("text", "source_document", "page", "evaluation")


@admin.register(ProblemStatement)
class ProblemStatementAdmin(ReadOnlyAdmin):
    """Admin for ProblemStatement."""

    list_display = ("text", "evaluation")
