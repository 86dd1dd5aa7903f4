"""Admin registrations for evaluations."""

from django.contrib import admin

from .models import Evaluation, Goal, ProblemStatement, Round, Site


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """Admin for Evaluation."""

    list_display = ("name", "slug", "commissioner", "period_start", "period_end")


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    """Admin for Round."""

    list_display = ("evaluation", "number", "name")


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    """Admin for Site."""

    list_display = ("name", "evaluation", "order")


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    """Admin for Goal."""

    list_display = ("text", "source_document", "page", "evaluation")


@admin.register(ProblemStatement)
class ProblemStatementAdmin(admin.ModelAdmin):
    """Admin for ProblemStatement."""

    list_display = ("text", "evaluation")
