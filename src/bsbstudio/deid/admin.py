"""Admin for deid: detections and pseudonym mappings without their raw content, audited.

The names to hide (ProtectedTerm) are not registered: a name is the row's whole content and its
title on every admin page.
"""

from django.contrib import admin

from bsbstudio.accounts.admin import RawMaterialAdmin

from .models import Detection, PseudonymMapping


@admin.register(Detection)
class DetectionAdmin(RawMaterialAdmin):
    """Admin for Detection: the flagged text and its explanation (which quotes context) hidden."""

    list_display = ("label", "start", "end", "decision", "transcript")
    exclude = ("text", "explanation")
    evaluation_path = "transcript.interview.evaluation"


@admin.register(PseudonymMapping)
class PseudonymMappingAdmin(RawMaterialAdmin):
    """Admin for PseudonymMapping: the mapping itself (original -> replacement) hidden."""

    list_display = ("evaluation", "updated_at")
    exclude = ("mapping",)
