"""Admin registrations for deid."""

from django.contrib import admin

from .models import ProtectedTerm, Detection, Pseudonym


@admin.register(ProtectedTerm)
class ProtectedTermAdmin(admin.ModelAdmin):
    """Admin for ProtectedTerm."""

    list_display = ('text', 'kind', 'evaluation')


@admin.register(Detection)
class DetectionAdmin(admin.ModelAdmin):
    """Admin for Detection."""

    list_display = ('label', 'text', 'decision', 'transcript')


@admin.register(Pseudonym)
class PseudonymAdmin(admin.ModelAdmin):
    """Admin for Pseudonym."""

    list_display = ('label', 'replacement', 'evaluation')
