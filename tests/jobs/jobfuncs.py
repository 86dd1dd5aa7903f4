"""Job functions the tests register (imported as the top-level module ``jobfuncs``).

A worker subprocess imports this module by name too (``PYTHONPATH`` holds this folder), so the
functions must not depend on pytest.
"""

from __future__ import annotations

import time

from bsbstudio.accounts.policy import Action
from bsbstudio.errors import gettext_noop
from bsbstudio.jobs.api import Cancelled, JobFailed, job


@job(
    "test.count",
    action=Action.VIEW_REPORTS,
    idempotent=True,
    unit="pages",
    stages={"counting": gettext_noop("Putting the report together")},
)
def count(ctx, *, steps: int = 3, pause: float = 0.0, cancel_at: int = -1) -> None:
    """Count to ``steps`` with progress, sleeping ``pause`` each step; save the count."""
    for done in range(steps):
        if done == cancel_at:
            from bsbstudio.jobs.models import Job

            Job.objects.filter(pk=ctx.job.pk).update(cancel_requested=True)
        ctx.progress(done, steps, stage="counting")
        if ctx.cancelled():
            raise Cancelled
        time.sleep(pause)
    ctx.progress(steps, steps)
    ctx.save_result("telling.txt", f"talte til {steps}".encode())


@job("test.fragile", action=Action.VIEW_REPORTS, idempotent=False, unit="pages")
def fragile(ctx, *, steps: int = 3, pause: float = 0.0) -> None:
    """Like ``count``, but may not run twice (not idempotent)."""
    for done in range(steps):
        ctx.progress(done, steps)
        time.sleep(pause)


@job("test.fail", action=Action.VIEW_REPORTS)
def fail(ctx, *, filename: str) -> None:
    """End with a message for the person."""
    raise JobFailed(gettext_noop("The file %(filename)s could not be read."), filename=filename)


@job("test.crash", action=Action.VIEW_REPORTS)
def crash(ctx) -> None:
    """End with an unexpected error."""
    raise RuntimeError("boom")


@job("test.raw", action=Action.VIEW_RAW)
def raw(ctx) -> None:
    """A job only members who see raw material may follow."""
    ctx.save_result("raw.txt", b"raw")
