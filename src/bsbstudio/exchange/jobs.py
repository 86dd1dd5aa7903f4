"""The project export (``.qdpx``) of a large evaluation as background work (``bsbstudio.jobs``).

An evaluation with more coded quotes than ``settings.JOBS_QDPX_QUOTES`` (default 2,000; 0: always)
is exported in a job: the Exchange page's download link starts it, the job page shows its
progress, and the file is downloaded from there. Smaller evaluations are exported in the request
as before, and the command line (``bsb export qdpx``) always works at once. The leak guard, the
schema check and the audit run inside ``qdpx_export.build_project`` either way, for the person
who asked; a leak finding ends the job with a message sending them to the Exchange page, where
the check is made as for any export.
"""

from __future__ import annotations

from django.conf import settings

from bsbstudio.accounts.policy import Action
from bsbstudio.analysis.models import CodedSegment
from bsbstudio.errors import gettext_noop
from bsbstudio.jobs.api import JobFailed, job, start
from bsbstudio.reports.actions import LeakRisk

from . import qdpx_export
from .codebook_export import ExportRefused

KIND = "exchange.qdpx_export"
DEFAULT_THRESHOLD = 2000
LEAK = gettext_noop(
    "The export holds words that may name someone. Download it from the exchange page to "
    "check them first."
)


def is_large(evaluation) -> bool:
    """Whether the project export of ``evaluation`` runs as a job (more quotes than the threshold)."""
    threshold = getattr(settings, "JOBS_QDPX_QUOTES", DEFAULT_THRESHOLD)
    if threshold <= 0:  # 0: always in the background
        return True
    quotes = CodedSegment.objects.filter(code__evaluation=evaluation)
    return quotes[: threshold + 1].count() > threshold


@job(
    KIND,
    action=Action.VIEW_REPORTS,
    idempotent=True,  # an export changes nothing but the audit log; a retry exports again
    private=True,  # what goes in depends on who asked (a commissioner gets approved texts only)
    unit="items",
    stages={"writing": gettext_noop("Writing the file")},
)
def export_project(ctx, *, site_id: int | None = None, filename: str) -> None:
    """Export the job's evaluation (or one site) for the person who asked, kept for download."""
    evaluation = ctx.job.evaluation
    site = evaluation.sites.filter(pk=site_id).first() if site_id else None
    ctx.progress(0, 1, stage="writing")
    try:
        content = qdpx_export.build_project(ctx.job.started_by, evaluation, site)
    except LeakRisk as error:
        raise JobFailed(LEAK) from error
    except ExportRefused as refusal:
        raise JobFailed(refusal.template, **refusal.params) from refusal
    ctx.progress(1, 1, stage="writing")
    ctx.save_result(filename, content)


def start_export(user, evaluation, site, filename: str):
    """Start (or find) the job that exports ``evaluation`` (or ``site``) for ``user``."""
    return start(
        KIND,
        evaluation=evaluation,
        user=user,
        key=f"qdpx-{evaluation.pk}-{site.pk if site else 'all'}-user-{user.pk}",
        args={"site_id": site.pk if site else None, "filename": filename},
    )


IMPORT_KIND = "exchange.qdpx_import"
DEFAULT_IMPORT_CHARS = 200_000
GONE = gettext_noop("The file is no longer waiting to be imported. Send it again.")


def import_is_large(found) -> bool:
    """Whether importing the previewed project runs as a job (more text than the threshold).

    ``settings.JOBS_QDPX_IMPORT_CHARS`` (default 200,000 characters of text; 0: always): most of
    an import is the identifier detection over the texts, notes and code names.
    """
    threshold = getattr(settings, "JOBS_QDPX_IMPORT_CHARS", DEFAULT_IMPORT_CHARS)
    if threshold <= 0:
        return True
    return sum(len(source.text or "") for source in found.text_sources) > threshold


@job(
    IMPORT_KIND,
    action=Action.IMPORT_PROJECT,
    # The import is one transaction: a worker that died left nothing, so a retry starts clean.
    idempotent=True,
    unit="items",
    stages={"importing": gettext_noop("Importing the project")},
)
def import_project_job(
    ctx,
    *,
    path: str,
    filename: str,
    new: bool,
    new_name: str = "",
    new_slug: str = "",
    site_id: int | None = None,
    choices: dict | None = None,
) -> None:
    """Import the waiting file as the preview page chose, for the person who asked; audited."""
    from pathlib import Path

    from bsbstudio.errors import UserFacingError

    from .qdpx_import import import_project

    waiting = Path(path)
    if not waiting.is_file():
        raise JobFailed(GONE)
    evaluation = ctx.job.evaluation
    site = evaluation.sites.filter(pk=site_id).first() if site_id else None
    ctx.progress(0, 1, stage="importing")
    try:
        import_project(
            ctx.job.started_by,
            waiting,
            None if new else evaluation,
            choices or {},
            filename=filename,
            new_name=new_name,
            new_slug=new_slug,
            site=site,
        )
    except UserFacingError as error:
        raise JobFailed(error.template, **error.params) from error
    waiting.unlink(missing_ok=True)
    ctx.progress(1, 1, stage="importing")


def start_import(user, evaluation, token: str, path, **args):
    """Start (or find) the job that imports the waiting file ``token`` into ``evaluation``."""
    return start(
        IMPORT_KIND,
        evaluation=evaluation,
        user=user,
        key=f"qdpx-import-{token}",
        args={"path": str(path), **args},
    )


def recent_jobs(user, evaluation, hours: int = 24) -> list:
    """The exports and imports ``user`` started in ``evaluation`` lately, newest first (at most 5)."""
    import datetime

    from django.utils import timezone

    from bsbstudio.jobs.models import Job

    since = timezone.now() - datetime.timedelta(hours=hours)
    return list(
        Job.objects.filter(
            evaluation=evaluation,
            started_by=user,
            kind__in=(KIND, IMPORT_KIND),
            created_at__gte=since,
        )
        .select_related("evaluation")
        .order_by("-created_at")[:5]
    )
