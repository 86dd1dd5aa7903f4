"""Versions on the grid and their own pages, and the guide as Word and PDF downloads."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse
from docx.enum.section import WD_ORIENT

from bsbstudio.guide import actions, versions


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.slug, *args])


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.fixture
def frozen(evaluation, leader_user):
    """Version 1, frozen for interview FG1 (held 1 March 2026)."""
    return versions.version_for_interview(leader_user, evaluation.interviews.get(code="FG1"))


def test_grid_says_when_nothing_is_frozen_yet(evaluation, leader):
    page = leader.get(url("guide:grid", evaluation)).content.decode()
    assert "No version is frozen yet" in page


def test_grid_names_the_frozen_version_and_its_interview(evaluation, leader, frozen):
    page = leader.get(url("guide:grid", evaluation)).content.decode()
    assert "Version 1 was frozen when interview FG1 was held on March 1, 2026." in page
    assert "The guide has not changed since." in page


def test_grid_says_edits_will_become_the_next_version(evaluation, leader, leader_user, frozen):
    actions.add_theme(leader_user, evaluation, "Bolig")
    page = leader.get(url("guide:grid", evaluation)).content.decode()
    assert "your edits will become version 2 when the next interview is held" in page


def test_draft_status_helper(evaluation, leader_user, frozen):
    status = versions.draft_status(evaluation)
    assert (status.latest, status.frozen_with.code, status.differs) == (frozen, "FG1", False)
    assert status.next_number == 2


def test_versions_page_lists_versions_with_their_interviews(evaluation, leader, frozen):
    page = leader.get(url("guide:versions", evaluation)).content.decode()
    assert url("guide:version", evaluation, 1) in page
    assert ">FG1</a>" in page
    assert "Same as version 1" in page
    assert url("guide:version_download", evaluation, 1, "pdf") in page


def test_frozen_version_shows_its_snapshot_not_the_draft(
    evaluation, leader, leader_user, themes, frozen
):
    actions.rename_theme(leader_user, themes["Tilgang"], "Tilgjengelighet")
    page = leader.get(url("guide:version", evaluation, 1)).content.decode()
    assert "Tilgang" in page and "Tilgjengelighet" not in page
    assert "Spørsmål om Tilgang" in page
    assert ">FG1</a>" in page
    assert "<textarea" not in page


def test_version_that_does_not_exist_gets_a_message(evaluation, leader):
    response = leader.get(url("guide:version", evaluation, 7), follow=True)
    assert response.status_code == 200
    assert "This guide has no version 7." in messages_of(response)


# --- Downloads ----------------------------------------------------------------------------------


def test_draft_downloads_as_landscape_word(evaluation, leader):
    response = leader.get(url("guide:download", evaluation, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'attachment; filename="theme-guide-test-draft.docx"' == response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["Theme", "Brukere", "Ansatte"]
    assert table.rows[2].cells[0].text == "Å bli møtt"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Testevaluering" in text and "draft of version 1" in text


def test_draft_downloads_as_pdf(evaluation, leader):
    response = leader.get(url("guide:download", evaluation, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_frozen_version_downloads_from_its_snapshot(
    evaluation, leader, leader_user, themes, frozen
):
    actions.rename_theme(leader_user, themes["Tilgang"], "Tilgjengelighet")
    response = leader.get(url("guide:version_download", evaluation, 1, "docx"))
    assert response["Content-Disposition"].endswith('test-v1.docx"')
    document = docx.Document(io.BytesIO(response.content))
    assert document.tables[0].rows[1].cells[0].text == "Tilgang"
    assert "version 1" in document.sections[0].header.paragraphs[0].text


def test_unchanged_draft_prints_as_the_latest_version(evaluation, leader, frozen):
    response = leader.get(url("guide:download", evaluation, "docx"))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "Theme guide, version 1, frozen" in text


@pytest.mark.parametrize("name", ["guide:download", "guide:version_download"])
def test_unknown_format_gets_a_message(evaluation, leader, frozen, name):
    args = ("odt",) if name == "guide:download" else (1, "odt")
    response = leader.get(url(name, evaluation, *args), follow=True)
    assert response.status_code == 200
    assert "Word (docx), PDF, Excel (xlsx) or CSV" in messages_of(response)


def test_download_of_a_version_that_does_not_exist_gets_a_message(evaluation, leader):
    response = leader.get(url("guide:version_download", evaluation, 3, "pdf"), follow=True)
    assert "This guide has no version 3." in messages_of(response)


@pytest.mark.parametrize(
    ("role", "status"),
    [("peer_interviewer", 200), ("transcriber", 200), ("commissioner", 403), ("outsider", 404)],
)
def test_downloads_and_version_pages_by_role(evaluation, client_as, frozen, role, status):
    client = client_as(role)
    for target in (
        url("guide:download", evaluation, "pdf"),
        url("guide:version", evaluation, 1),
        url("guide:version_download", evaluation, 1, "docx"),
    ):
        assert client.get(target).status_code == status


@pytest.mark.django_db(transaction=True)
def test_two_interviews_freezing_the_guide_at_once_get_one_version_each(
    evaluation, leader_user, monkeypatch
):
    """Two uploads at once for interviews without a version must not both number theirs 1."""
    import threading

    from django.db import connection

    from bsbstudio.fieldwork.models import Interview

    if connection.vendor == "sqlite":
        pytest.skip("SQLite's IMMEDIATE transactions admit one writer at a time")
    first = evaluation.interviews.get(code="FG1")
    second = Interview.objects.create(
        evaluation=evaluation, site=first.site, code="FG2", date=first.date
    )
    both_inside = threading.Barrier(2)
    take_snapshot = versions.snapshot

    def snapshot_when_both_are_inside(ev):
        # Without the lock both threads reach this point and read the same highest number; with
        # it the second waits for the first to commit, and the barrier gives up after 2 s.
        try:
            both_inside.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass
        return take_snapshot(ev)

    monkeypatch.setattr(versions, "snapshot", snapshot_when_both_are_inside)
    errors = []

    def freeze(interview):
        try:
            versions.version_for_interview(leader_user, Interview.objects.get(pk=interview.pk))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=freeze, args=(i,)) for i in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(evaluation.guide_versions.values_list("number", flat=True)) == [1]
    assert set(Interview.objects.values_list("guide_version__number", flat=True)) == {1}
