"""Work that moved onto jobs: above its size threshold it runs in the background with progress."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bsbstudio.jobs.models import Job

pytestmark = pytest.mark.django_db

TEXT = "I: Hvem hjalp deg?\nD1: Kari Nordmann hjalp meg, og Per Hansen også.\n"


def test_a_long_transcript_is_deidentified_as_a_job(evaluation, immediate, as_user):
    immediate.JOBS_DEID_CHARS = 0
    leader = as_user("process_leader", "nb")
    interview = evaluation.interviews.get()
    leader.post(reverse("transcripts:upload", args=[evaluation.slug, interview.pk]), {"text": TEXT})
    transcript = interview.transcripts.get()
    answer = leader.post(
        reverse("deid:review", args=[evaluation.slug, transcript.pk]),
        {"confirm_rest": "1", "create_text": "1"},
    )
    job = Job.objects.get(kind="deid.create_text")
    assert answer.status_code == 302 and answer["Location"] == job.get_absolute_url()
    assert job.state == Job.State.DONE and job.total == len(transcript.raw_text)
    text = transcript.deidentified_texts.get().text
    assert "Kari" not in text and "Per Hansen" not in text
    page = leader.get(answer["Location"]).content.decode()
    assert "Arbeidet er ferdig." in page
    # A transcript a commissioner may not review: the job page is closed to them.
    assert as_user("commissioner").get(job.get_absolute_url()).status_code == 403


def test_a_short_transcript_is_still_deidentified_in_the_request(evaluation, immediate, as_user):
    leader = as_user("process_leader")
    interview = evaluation.interviews.get()
    leader.post(reverse("transcripts:upload", args=[evaluation.slug, interview.pk]), {"text": TEXT})
    transcript = interview.transcripts.get()
    leader.post(
        reverse("deid:review", args=[evaluation.slug, transcript.pk]),
        {"confirm_rest": "1", "create_text": "1"},
    )
    assert not Job.objects.exists()
    assert transcript.deidentified_texts.count() == 1


@pytest.fixture
def draft_report(evaluation, django_user_model):
    from bsbstudio.reports import actions

    leader = django_user_model.objects.get(username="process_leader")
    return actions.create_process_report(leader, evaluation, evaluation.sites.get(name="Nord"))


@pytest.mark.parametrize(
    ("address", "kind", "filename"),
    [
        ("reports:download", "reports.render", "prosessrapport-nord.docx"),
        ("conference:report_slides", "conference.slides", "lysark-nord.pptx"),
    ],
)
def test_a_big_evaluations_report_renders_as_a_job(
    evaluation, immediate, as_user, draft_report, address, kind, filename
):
    immediate.JOBS_RENDER_QUOTES = 0
    leader = as_user("process_leader", "nb")
    args = [evaluation.slug, draft_report.pk] + (["pptx"] if "slides" in address else [])
    answer = leader.get(reverse(address, args=args))
    job = Job.objects.get(kind=kind)
    assert answer.status_code == 302 and answer["Location"] == job.get_absolute_url()
    assert job.state == Job.State.DONE, job.message
    assert job.result_filename == filename
    page = leader.get(job.get_absolute_url()).content.decode()
    assert f"Last ned {filename}" in page
    download = leader.get(reverse("jobs:download", args=[evaluation.slug, job.pk]))
    assert b"".join(download.streaming_content).startswith(b"PK")
    # The file was rendered for the process leader: nobody else sees this job.
    other = as_user("peer_interviewer")
    assert other.get(reverse("jobs:download", args=[evaluation.slug, job.pk])).status_code == 404


def test_a_small_evaluations_report_still_downloads_at_once(
    evaluation, immediate, as_user, draft_report
):
    answer = as_user("process_leader").get(
        reverse("reports:download", args=[evaluation.slug, draft_report.pk])
    )
    assert answer.status_code == 200 and answer.content.startswith(b"PK")
    assert not Job.objects.exists()


def test_retention_runs_as_a_job(immediate):
    from bsbstudio.fieldwork.recordings.schedule import queue_retention

    job = queue_retention()
    assert job.kind == "fieldwork.retention" and job.evaluation is None
    assert job.state == Job.State.DONE and job.unit == "recordings"
