"""The job pages: status fragment, cancel, download, and who may see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bsbstudio.evaluations.models import Evaluation
from bsbstudio.jobs import api
from bsbstudio.jobs.models import Job

pytestmark = pytest.mark.django_db


def url(name, job):
    return reverse(f"jobs:{name}", args=[job.evaluation.slug, job.pk])


def test_status_fragment_of_a_running_job_polls_and_offers_cancel(evaluation, waiting, as_user):
    job = api.start("test.count", evaluation=evaluation, args={"steps": 4})
    Job.objects.filter(pk=job.pk).update(state="running", done=1, total=4, stage="counting")
    page = as_user("peer_interviewer", "nb").get(url("status", job))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<progress" in html and 'value="25"' in html
    assert "1 av 4 sider" in html and "Setter sammen rapporten" in html
    assert 'hx-trigger="every 2s"' in html
    assert "csrfmiddlewaretoken" in html and "Avbryt" in html
    for word in ("job", "task", "worker"):
        assert word not in html.lower().replace("job-", "").replace("/jobs/", "")


def test_detail_page_has_one_heading(evaluation, waiting, as_user):
    job = api.start("test.count", evaluation=evaluation)
    html = as_user("commissioner", "nb").get(url("detail", job)).content.decode()
    assert html.count("<h1") == 1 and "Arbeid i bakgrunnen" in html


def test_cancel_is_a_post(evaluation, waiting, as_user):
    job = api.start("test.count", evaluation=evaluation)
    client = as_user("process_leader")
    assert client.get(url("cancel", job)).status_code == 405
    answer = client.post(url("cancel", job))
    assert answer.status_code == 302
    assert Job.objects.get(pk=job.pk).state == Job.State.CANCELLED
    fragment = client.post(url("cancel", job), HTTP_HX_REQUEST="true")
    assert "The work was cancelled" in fragment.content.decode()


def test_done_job_offers_its_download(evaluation, immediate, as_user):
    job = api.start("test.count", evaluation=evaluation, args={"steps": 2})
    client = as_user("commissioner", "nb")
    html = client.get(url("status", job)).content.decode()
    assert "hx-trigger" not in html and "Last ned telling.txt" in html
    download = client.get(url("download", job))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"talte til 2"
    assert "telling.txt" in download["Content-Disposition"]


def test_failed_job_shows_its_message(evaluation, immediate, as_user):
    job = api.start("test.fail", evaluation=evaluation, args={"filename": "a.docx"})
    html = as_user("process_leader", "nb").get(url("status", job)).content.decode()
    assert "Filen a.docx kunne ikke leses." in html
    assert as_user("process_leader").get(url("download", job)).status_code == 404


@pytest.mark.parametrize(
    ("username", "expected"),
    [("process_leader", 200), ("transcriber", 200), ("commissioner", 403), ("outsider", 404)],
)
def test_who_may_follow_a_job_on_raw_material(evaluation, immediate, as_user, username, expected):
    job = api.start("test.raw", evaluation=evaluation)
    client = as_user(username)
    for name in ("detail", "status", "download"):
        assert client.get(url(name, job)).status_code == expected
    assert client.post(url("cancel", job)).status_code in (expected, 302)


def test_a_member_of_another_evaluation_gets_not_found(evaluation, immediate, as_user, make_user):
    from bsbstudio.accounts.models import Membership

    other = Evaluation.objects.create(name="Annen", slug="annen", commissioner="By")
    stranger = make_user("stranger")
    Membership.objects.create(evaluation=other, user=stranger, role="process_leader")
    job = api.start("test.count", evaluation=evaluation)
    client = as_user("stranger")
    assert client.get(url("status", job)).status_code == 404
    wrong_address = reverse("jobs:status", args=["annen", job.pk])
    assert client.get(wrong_address).status_code == 404
    assert client.get(reverse("jobs:download", args=["annen", job.pk])).status_code == 404


def test_a_stale_job_is_noticed_when_its_page_is_polled(evaluation, waiting, as_user):
    import datetime

    from django.utils import timezone

    job = api.start("test.fragile", evaluation=evaluation)
    old = timezone.now() - datetime.timedelta(hours=1)
    Job.objects.filter(pk=job.pk).update(state="running", attempts=1, heartbeat_at=old)
    html = as_user("process_leader", "nb").get(url("status", job)).content.decode()
    assert "Arbeidet ble avbrutt fordi serveren stoppet." in html
