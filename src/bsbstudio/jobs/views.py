"""The job status page, the fragment it polls, cancel and the result download.

Only members of the job's evaluation may see a job (others get "not found"), and only those
allowed the action its kind was registered with (others get "forbidden").
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from bsbstudio.accounts.policy import Action, evaluation_view, require

from . import api
from .models import Job


def status_context(job: Job) -> dict:
    """What ``jobs/status.html`` shows for ``job``."""
    return {"job": job}


def _job_for(request, evaluation, pk: int) -> Job:
    job = get_object_or_404(Job, pk=pk, evaluation=evaluation)
    spec = api.spec_of(job.kind, job.module)
    require(request.user, evaluation, spec.action if spec else Action.MANAGE_TEAM)
    if spec is not None and spec.private and not request.user.is_superuser:
        if job.started_by_id != request.user.pk:
            raise Http404
    if job.state == Job.State.RUNNING:
        # A worker that died leaves its job "running": notice it when someone looks.
        if api.recover_stale(job_id=job.pk):
            job.refresh_from_db()
    return job


@evaluation_view(Action.VIEW_DASHBOARD)
def detail(request, evaluation, pk):
    """The job's own page: what it is doing, how far it has come, its result."""
    job = _job_for(request, evaluation, pk)
    return render(request, "jobs/detail.html", {"evaluation": evaluation, **status_context(job)})


@evaluation_view(Action.VIEW_DASHBOARD)
def status(request, evaluation, pk):
    """The status fragment a page polls while the job runs."""
    job = _job_for(request, evaluation, pk)
    return render(request, "jobs/status.html", {"evaluation": evaluation, **status_context(job)})


@evaluation_view(Action.VIEW_DASHBOARD)
def cancel(request, evaluation, pk):
    """Ask the job to stop (POST); answer with the fragment, or go back to the job's page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    job = api.request_cancel(_job_for(request, evaluation, pk))
    if request.headers.get("HX-Request"):
        return render(
            request, "jobs/status.html", {"evaluation": evaluation, **status_context(job)}
        )
    return redirect(job.get_absolute_url())


@evaluation_view(Action.VIEW_DASHBOARD)
def download(request, evaluation, pk):
    """The job's result file, once it is done."""
    job = _job_for(request, evaluation, pk)
    if job.state != Job.State.DONE or not job.result_file:
        raise Http404
    try:
        handle = job.result_file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=job.result_filename or "resultat")
