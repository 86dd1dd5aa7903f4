"""The import pages: upload, preview, import, cancel; who may; bad files give a message."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.analysis.models import Code
from bsbstudio.exchange.models import PendingCoding
from bsbstudio.transcripts.models import Transcript

QC = Path("/work/shared/data/refi-qda/samples/qc-1.3.2_demo.qdpx")
ATLAS = Path("/work/shared/data/refi-qda/samples/atlasti-8.4_refi-standard-project.qdpx")


def sample(path: Path) -> bytes:
    if not path.is_file():
        pytest.skip(f"REFI-QDA sample not found: {path} (the shared data folder is missing)")
    return path.read_bytes()


def _send(client, evaluation, data: bytes, name: str, kind: str = "qdpx"):
    return client.post(
        reverse("exchange:import", args=[evaluation.slug]),
        {"kind": kind, "file": SimpleUploadedFile(name, data)},
    )


def _waiting_files():
    folder = Path(settings.UPLOAD_TEMP_DIR) / "qdpx"
    return sorted(folder.glob("*.qdpx")) if folder.is_dir() else []


@pytest.mark.parametrize(
    "role,status",
    [("process_leader", 200), ("peer_interviewer", 403), ("commissioner", 403), ("outsider", 404)],
)
def test_only_the_process_leader_opens_the_import_page(evaluation, client_as, role, status):
    response = client_as(role).get(reverse("exchange:import", args=[evaluation.slug]))
    assert response.status_code == status


def test_exchange_page_links_to_import_for_the_leader_only(evaluation, client_as):
    url = reverse("exchange:page", args=[evaluation.slug])
    target = reverse("exchange:import", args=[evaluation.slug])
    assert target in client_as("process_leader").get(url).content.decode()
    assert target not in client_as("peer_interviewer").get(url).content.decode()


def test_upload_preview_and_import(evaluation, client_as):
    client = client_as("process_leader")
    before = set(_waiting_files())
    response = _send(client, evaluation, sample(QC), "qc.qdpx")
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "board_2017.txt" in html and "admin-1.txt" in html
    assert ">262<" in html and ">205<" in html
    assert not Transcript.objects.filter(interview__evaluation=evaluation).exists()
    assert len(set(_waiting_files()) - before) == 1
    done = client.post(preview_url, {"target": "this", "site": ""})
    assert done.status_code == 302
    assert done["Location"] == reverse("transcripts:list", args=[evaluation.slug])
    assert Transcript.objects.filter(interview__evaluation=evaluation).count() == 2
    assert PendingCoding.objects.count() == 205
    assert set(_waiting_files()) == before  # the file is gone once imported
    assert AuditEvent.objects.filter(action="exchange.import_qdpx").count() == 1
    assert AuditEvent.objects.filter(action="exchange.import_upload").count() == 1


def test_preview_offers_matching_guide_themes(evaluation, client_as, tmp_path):
    qde = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>'
        '<Code guid="11111111-1111-1111-1111-111111111111" name="tilgang" isCodable="true"/>'
        "</Codes></CodeBook></Project>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", qde)
    client = client_as("process_leader")
    preview_url = _send(client, evaluation, buffer.getvalue(), "p.qdpx")["Location"]
    html = client.get(preview_url).content.decode()
    assert "Tilgang" in html and 'name="code-0"' in html
    client.post(preview_url, {"target": "this", "code-0": "new"})
    assert Code.objects.filter(evaluation=evaluation, name="tilgang", kind="emergent").exists()


def test_cancel_deletes_the_file(evaluation, client_as):
    client = client_as("process_leader")
    before = set(_waiting_files())
    preview_url = _send(client, evaluation, sample(ATLAS), "atlas.qdpx")["Location"]
    assert len(set(_waiting_files()) - before) == 1
    response = client.post(preview_url + "cancel/")
    assert response.status_code == 302
    assert set(_waiting_files()) == before
    assert client.get(preview_url).status_code == 302  # no longer waiting


def test_a_hostile_file_gives_a_message_and_keeps_nothing(evaluation, client_as):
    client = client_as("process_leader")
    before = set(_waiting_files())
    response = _send(client, evaluation, b"not a zip", "fiendtlig.qdpx")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "fiendtlig.qdpx" in page
    assert set(_waiting_files()) == before


def test_another_users_token_is_not_accepted(evaluation, client_as):
    preview_url = _send(client_as("process_leader"), evaluation, sample(ATLAS), "a.qdpx")[
        "Location"
    ]
    other = client_as("peer_interviewer")
    assert other.get(preview_url).status_code == 403


def test_codebook_upload_adds_themes(evaluation, client_as):
    qdc = (
        b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        b'<Code guid="11111111-1111-1111-1111-111111111111" name="Ventetid" isCodable="true"/>'
        b"</Codes></CodeBook>"
    )
    response = _send(client_as("process_leader"), evaluation, qdc, "bok.qdc", kind="qdc")
    assert response.status_code == 302
    assert Code.objects.filter(evaluation=evaluation, name="Ventetid").exists()


def test_a_large_project_is_imported_in_the_background(evaluation, client_as, settings, tmp_path):
    from bsbstudio.jobs.models import Job

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOBS_QDPX_IMPORT_CHARS = 0  # every project counts as large
    client = client_as("process_leader")
    before = set(_waiting_files())
    preview_url = _send(client, evaluation, sample(QC), "qc.qdpx")["Location"]
    done = client.post(preview_url, {"target": "this", "site": ""})
    job = Job.objects.get(kind="exchange.qdpx_import")
    assert done.status_code == 302 and done["Location"] == job.get_absolute_url()
    assert job.state == Job.State.DONE, job.message
    assert Transcript.objects.filter(interview__evaluation=evaluation).count() == 2
    assert PendingCoding.objects.count() == 205
    assert set(_waiting_files()) == before  # the job removed the file once imported
    assert AuditEvent.objects.filter(action="exchange.import_qdpx").count() == 1
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    assert "Arbeidet er ferdig." in client.get(done["Location"]).content.decode()
    # The token is spent: the preview is no longer offered.
    assert client.get(preview_url).status_code == 302
    # Someone who may not import does not see the job.
    assert client_as("peer_interviewer").get(job.get_absolute_url()).status_code in (403, 404)
