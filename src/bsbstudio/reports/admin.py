"""Admin for reports: read-only; reports are edited and approved only through the app."""

from django.contrib import admin

from bsbstudio.accounts.admin import ReadOnlyAdmin

from .models import FinalChapter, QuoteBox, Recommendation, Report, ReportApproval, ThemeSection


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Admin for Report."""

    list_display = ("title", "kind", "state", "site", "evaluation")


@admin.register(ThemeSection)
class ThemeSectionAdmin(ReadOnlyAdmin):
    """Admin for ThemeSection."""

    list_display = ("report", "theme")


@admin.register(ReportApproval)
class ReportApprovalAdmin(ReadOnlyAdmin):
    """Admin for ReportApproval: who approved which version; the frozen file is not shown."""

    list_display = ("report", "version", "approved_by_name", "approved_at", "sha256")
    exclude = ("content", "pdf_content", "scanned_texts")


@admin.register(FinalChapter)
class FinalChapterAdmin(ReadOnlyAdmin):
    """Admin for FinalChapter."""

    list_display = ("report", "theme")


@admin.register(QuoteBox)
class QuoteBoxAdmin(ReadOnlyAdmin):
    """Admin for QuoteBox."""

    list_display = ("chapter", "segment", "order")


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    """Admin for Recommendation."""

    list_display = ("chapter", "order")
