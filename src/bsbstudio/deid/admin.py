"""Admin registrations for deid."""

from django.contrib import admin

from .models import Detection, ProtectedTerm, PseudonymMapping


@admin.register(ProtectedTerm)
class ProtectedTermAdmin(admin.ModelAdmin):
    """Admin for ProtectedTerm."""

    list_display = ("text", "kind", "evaluation")


@admin.register(Detection)
class DetectionAdmin(admin.ModelAdmin):
    """Admin for Detection."""

    list_display = ("label", "text", "decision", "transcript")


@admin.register(PseudonymMapping)
class PseudonymMappingAdmin(admin.ModelAdmin):
    """Admin for PseudonymMapping."""

    list_display = ("evaluation", "updated_at")
