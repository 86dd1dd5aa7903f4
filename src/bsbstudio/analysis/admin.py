"""Admin for analysis: read-only; codes and quotes change only through coding (offsets checked)."""

from django.contrib import admin

from bsbstudio.accounts.admin import ReadOnlyAdmin

from .models import Code, CodedSegment, Memo


@admin.register(Code)
class CodeAdmin(ReadOnlyAdmin):
    """Admin for Code."""

    list_display = ("name", "kind", "evaluation")


@admin.register(CodedSegment)
class CodedSegmentAdmin(ReadOnlyAdmin):
    """Admin for CodedSegment."""

    list_display = ("code", "polarity", "directness", "text")


@admin.register(Memo)
class MemoAdmin(ReadOnlyAdmin):
    """Admin for Memo."""

    list_display = ("evaluation", "created_at")
