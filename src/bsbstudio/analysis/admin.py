"""Admin registrations for analysis."""

from django.contrib import admin

from .models import Code, CodedSegment, Memo


@admin.register(Code)
class CodeAdmin(admin.ModelAdmin):
    """Admin for Code."""

    list_display = ("name", "kind", "evaluation")


@admin.register(CodedSegment)
class CodedSegmentAdmin(admin.ModelAdmin):
    """Admin for CodedSegment."""

    list_display = ("code", "polarity", "directness", "text")


@admin.register(Memo)
class MemoAdmin(admin.ModelAdmin):
    """Admin for Memo."""

    list_display = ("evaluation", "created_at")
