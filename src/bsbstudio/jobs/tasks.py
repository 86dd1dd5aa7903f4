"""The one django-tasks task every job runs through: it looks up the job's function and runs it."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    """Run the job ``job_id`` (see ``bsbstudio.jobs.api.run``); return its final state."""
    from .api import run

    return run(job_id)
