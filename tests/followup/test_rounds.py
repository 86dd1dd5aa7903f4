"""The next round: what is copied (plan, sites, guide, leaders), what is not (data), the comparison."""

from __future__ import annotations

import datetime

import pytest

from bsbstudio.accounts.confidentiality import sign
from bsbstudio.accounts.models import AuditEvent
from bsbstudio.analysis.actions import code_segment, locate_quote
from bsbstudio.evaluations import rounds
from bsbstudio.evaluations.models import Evaluation
from bsbstudio.fieldwork.models import Informant, Interview, Participation

from .conftest import url

NEXT = {"name": "Testevaluering runde 2", "slug": "test-runde-2"}


def start(client, evaluation, data=NEXT):
    return client.post(url("evaluations:next_round", evaluation), data)


def test_confirmation_page_then_the_copy(evaluation, as_user, measures):
    client = as_user("process_leader")
    page = client.get(url("evaluations:next_round", evaluation)).content.decode()
    assert "Not copied: informants, interviews" in page
    assert not Evaluation.objects.filter(previous_round=evaluation).exists()  # asking makes nothing
    response = start(client, evaluation)
    new = Evaluation.objects.get(slug="test-runde-2")
    assert response.status_code == 302 and response["Location"] == url("evaluations:rounds", new)
    assert new.previous_round == evaluation
    assert (new.commissioner, new.mandate) == (evaluation.commissioner, evaluation.mandate)
    assert list(new.rounds.values_list("number", flat=True)) == [2]
    assert list(new.sites.values_list("name", flat=True)) == ["Nord", "Sør"]
    assert list(new.goals.values_list("text", "page")) == [("Raskt første besøk", 3)]
    assert list(new.problem_statements.values_list("text", flat=True)) == [
        "Hvordan oppleves tilgangen?"
    ]
    assert list(new.themes.values_list("name", flat=True)) == ["Tilgang", "Å bli møtt"]
    assert list(new.informant_groups.values_list("code", flat=True)) == ["B", "A"]
    questions = sorted(new.themes.values_list("questions__group__code", "questions__text"))
    assert len(questions) == 4 and questions[0] == ("A", "Spørsmål om Tilgang")
    assert all(q.group.evaluation == new for t in new.themes.all() for q in t.questions.all())
    assert sorted(new.codes.values_list("name", flat=True)) == ["Tilgang", "Å bli møtt"]
    version = new.guide_versions.get()
    assert version.number == 1 and [t["name"] for t in version.snapshot["themes"]] == [
        "Tilgang",
        "Å bli møtt",
    ]
    assert list(new.memberships.values_list("user__username", "role")) == [
        ("process_leader", "process_leader")
    ]
    # Not the data
    assert not new.informants.exists() and not new.interviews.exists()
    assert not new.measures.exists() and not new.reports.exists()
    assert evaluation.informants.count() == 2 and evaluation.measures.count() == 4
    assert AuditEvent.objects.filter(action="round.start", evaluation=new).exists()


def test_guide_version_follows_the_last_rounds_numbers(evaluation, user):
    from bsbstudio.guide.versions import version_for_interview

    version_for_interview(user("process_leader"), evaluation.interviews.get())
    new = rounds.start_next_round(user("process_leader"), evaluation, "Runde 2", "runde-2")
    assert new.guide_versions.get().number == 2


def test_only_one_next_round_and_a_taken_slug_is_a_message(evaluation, as_user):
    client = as_user("process_leader")
    taken = start(client, evaluation, {"name": "X", "slug": "test"})
    assert "already used by another evaluation" in taken.content.decode()
    assert Evaluation.objects.count() == 1
    start(client, evaluation)
    again = client.post(url("evaluations:next_round", evaluation), NEXT | {"slug": "ny"})
    assert "already has a next round" in again.content.decode()
    assert Evaluation.objects.count() == 2
    with pytest.raises(rounds.RoundRefused):
        rounds.start_next_round(
            evaluation.memberships.get(role="process_leader").user, evaluation, "Y", "y"
        )


@pytest.mark.parametrize(
    ("role", "status"), [("peer_interviewer", 403), ("commissioner", 403), ("outsider", 404)]
)
def test_only_the_process_leader_starts_a_round(evaluation, as_user, role, status):
    assert start(as_user(role), evaluation).status_code == status
    assert Evaluation.objects.count() == 1


TRANSCRIPT = (
    "I: Hvordan var det?\n"
    "D1: Ventetiden var altfor lang. Jeg ble møtt med respekt.\n"
    "D2: Vi rekker ikke alle. Tilbudet er godt når det først kommer.\n"
)


def _coded_text(client, evaluation, interview):
    client.post(url("transcripts:upload", evaluation, interview.pk), {"text": TRANSCRIPT})
    transcript = interview.transcripts.get()
    client.post(
        url("deid:review", evaluation, transcript.pk), {"confirm_rest": "1", "create_text": "1"}
    )
    return transcript.deidentified_texts.get()


def _code(leader, evaluation, text, quote, theme, polarity):
    start_, end = locate_quote(text.text, quote)
    code_segment(leader, text, evaluation.codes.get(name=theme), start_, end, polarity, "direct")


def test_comparison_counts_quotes_per_theme_and_site_and_lists_last_measures(
    evaluation, as_user, user, measures
):
    leader = user("process_leader")
    client = as_user("process_leader")
    old_text = _coded_text(client, evaluation, evaluation.interviews.get())
    _code(leader, evaluation, old_text, "Ventetiden var altfor lang", "Tilgang", "critical")
    _code(leader, evaluation, old_text, "Vi rekker ikke alle", "Tilgang", "critical")
    _code(leader, evaluation, old_text, "Jeg ble møtt med respekt", "Å bli møtt", "positive")

    new = rounds.start_next_round(leader, evaluation, "Runde 2", "runde-2")
    sign(leader, new, "Test leder")
    south = new.sites.get(name="Sør")
    users = new.informant_groups.get(code="B")
    informant = Informant.objects.create(evaluation=new, code="B-01", group=users, site=south)
    interview = Interview.objects.create(
        evaluation=new, code="FG1", kind="individual", site=south, date=datetime.date(2027, 3, 1)
    )
    Participation.objects.create(interview=interview, informant=informant, speaker_code="D1")
    Participation.objects.create(
        interview=interview,
        informant=Informant.objects.create(evaluation=new, code="B-02", group=users, site=south),
        speaker_code="D2",
    )
    new_text = _coded_text(client, new, interview)
    _code(leader, new, new_text, "Tilbudet er godt når det først kommer", "Tilgang", "positive")

    response = client.get(url("evaluations:rounds", new))
    rows = [
        (
            r.theme,
            r.site,
            r.last.total,
            r.last.critical,
            r.last.positive,
            r.this.total,
            r.this.positive,
        )
        for r in response.context["rows"]
    ]
    assert rows == [
        ("Tilgang", "Nord", 2, 2, 0, 0, 0),
        ("Tilgang", "Sør", 0, 0, 0, 1, 1),
        ("Å bli møtt", "Nord", 1, 0, 1, 0, 0),
    ]
    listed = [
        (m.text, m.get_status_display(), overdue) for m, overdue in response.context["measures"]
    ]
    assert ("Kortere ventetid", "Proposed", True) in listed
    assert ("Kriseplan for alle", "Done", False) in listed
    html = response.content.decode()
    assert "Measures from the last round" in html and "Faste kontaktpersoner" in html


def test_first_round_page_says_so(evaluation, as_user):
    html = as_user("process_leader").get(url("evaluations:rounds", evaluation)).content.decode()
    assert "This is the first round" in html
    assert url("evaluations:next_round", evaluation) in html


def test_round_pages_are_for_the_team(evaluation, as_user):
    assert as_user("commissioner").get(url("evaluations:rounds", evaluation)).status_code == 403
    assert as_user("peer_interviewer").get(url("evaluations:rounds", evaluation)).status_code == 200
    assert (
        as_user("peer_interviewer").get(url("evaluations:next_round", evaluation)).status_code
        == 403
    )
