"""The guide as a printable model, with its labels translated, and as a file to download.

The layout itself is plain Python in ``guide/engine``; this module only reads the draft or a
frozen version, words the title line in the person's language and wraps the bytes in a response.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import versions
from .engine import PrintableGuide, from_snapshot, render_docx, render_pdf
from .engine.table_export import render_csv, render_xlsx

FORMATS = {
    "docx": (
        render_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": (render_pdf, "application/pdf"),
    "xlsx": (render_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (render_csv, "text/csv; charset=utf-8"),
}
"""Download formats: the renderer and the content type of each (the tables also import)."""

_LANGUAGE_TAGS = {"nb": "nb-NO", "en": "en-GB"}


def _labels() -> dict[str, str]:
    return {
        "theme_heading": _("Theme"),
        "page_label": _("Page"),
        "continued_label": _("continued"),
        "language": _LANGUAGE_TAGS.get(get_language() or "nb", "nb-NO"),
    }


def version_subtitle(version) -> str:
    """The line under the title for a frozen version: its number and the day it was frozen."""
    return _("Theme guide, version %(number)d, frozen %(date)s") % {
        "number": version.number,
        "date": date_format(timezone.localdate(version.frozen_at)),
    }


def draft_guide(evaluation) -> PrintableGuide:
    """The working draft; named as the latest version when it has not changed since."""
    status = versions.draft_status(evaluation)
    if status.latest is not None and not status.differs:
        subtitle = version_subtitle(status.latest)
    else:
        subtitle = _("Theme guide, draft of version %(number)d, printed %(date)s") % {
            "number": status.next_number,
            "date": date_format(timezone.localdate()),
        }
    return from_snapshot(
        versions.snapshot(evaluation), title=evaluation.name, subtitle=subtitle, **_labels()
    )


def version_guide(version) -> PrintableGuide:
    """A frozen version, exactly as its snapshot holds it."""
    return from_snapshot(
        version.snapshot,
        title=version.evaluation.name,
        subtitle=version_subtitle(version),
        **_labels(),
    )


def file_name(evaluation, suffix: str, fmt: str) -> str:
    """The download's name in the person's language: "temaguide-<short name>-utkast.docx"."""
    return (slugify(f"{_('theme guide')} {evaluation.slug} {suffix}") or "guide") + f".{fmt}"


def file_response(guide: PrintableGuide, fmt: str, evaluation, suffix: str) -> HttpResponse:
    """The guide rendered as ``fmt`` (a key of FORMATS), as a download."""
    render, content_type = FORMATS[fmt]
    name = file_name(evaluation, suffix, fmt)
    response = HttpResponse(render(guide), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
