"""The question bank: copy themes from the person's other evaluations, and never from others."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.analysis.models import Code
from bsbstudio.guide.models import GuideQuestion


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.slug, *args])


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def copy(client, evaluation, *theme_ids):
    return client.post(url("guide:bank", evaluation), {"themes": list(theme_ids)}, follow=True)


def test_bank_lists_only_evaluations_the_user_is_a_member_of(
    evaluation, leader, leader_user, other_evaluation, join
):
    page = leader.get(url("guide:bank", evaluation)).content.decode()
    assert "Tidligere evaluering" not in page and "Bolig" not in page
    assert "not a member of another evaluation" in page
    join(leader_user, other_evaluation)
    page = leader.get(url("guide:bank", evaluation)).content.decode()
    assert "Tidligere evaluering" in page and "Hvordan bor du?" in page
    assert "<li>Trygt?</li>" in page
    assert "Pårørende" in page  # named as a group with no match here


def test_bank_hides_evaluations_where_the_user_only_sees_reports(
    evaluation, leader, leader_user, other_evaluation, join
):
    join(leader_user, other_evaluation, role="commissioner")
    page = leader.get(url("guide:bank", evaluation)).content.decode()
    assert "Tidligere evaluering" not in page


def test_copy_brings_questions_for_matching_groups_and_names_the_others(
    evaluation, leader, leader_user, other_evaluation, join
):
    join(leader_user, other_evaluation)
    housing = other_evaluation.themes.get(name="Bolig")
    response = copy(leader, evaluation, housing.pk)
    text = messages_of(response)
    assert "Copied 1 theme: Bolig." in text
    assert "Pårørende (P)" in text
    copied = evaluation.themes.get(name="Bolig")
    question = GuideQuestion.objects.get(theme=copied)
    assert (question.group.code, question.text) == ("B", "Hvordan bor du?")
    assert question.subquestions == "Trygt?\nLenge?"
    assert Code.objects.filter(theme=copied, kind="guide").exists()
    assert AuditEvent.objects.filter(action="guide.import", evaluation=evaluation).exists()
    assert other_evaluation.themes.filter(name="Bolig").exists()  # the source is untouched


def test_copy_keeps_a_sub_theme_under_its_copied_parent(
    evaluation, leader, leader_user, other_evaluation, join
):
    join(leader_user, other_evaluation)
    ids = other_evaluation.themes.filter(name__in=["Bolig", "Nabolag"]).values_list("pk", flat=True)
    copy(leader, evaluation, *ids)
    assert evaluation.themes.get(name="Nabolag").parent == evaluation.themes.get(name="Bolig")


def test_copy_skips_a_theme_this_guide_already_has(
    evaluation, leader, leader_user, other_evaluation, join
):
    join(leader_user, other_evaluation)
    response = copy(leader, evaluation, other_evaluation.themes.get(name="Tilgang").pk)
    assert "already has a theme with the same name: Tilgang" in messages_of(response)
    assert evaluation.themes.filter(name="Tilgang").count() == 1


def test_copy_from_an_evaluation_the_user_is_not_a_member_of_is_refused(
    evaluation, leader, other_evaluation
):
    response = copy(leader, evaluation, other_evaluation.themes.get(name="Bolig").pk)
    assert "not found in the evaluations you can see" in messages_of(response)
    assert not evaluation.themes.filter(name="Bolig").exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([], "Tick at least one theme"),
        (["999999"], "not found"),
        (["abc"], "not found"),
        (["own"], "not found"),
    ],
)
def test_bad_ticks_are_refused_and_nothing_is_copied(evaluation, leader, themes, values, message):
    values = [str(themes["Tilgang"].pk) if v == "own" else v for v in values]
    before = evaluation.themes.count()
    response = copy(leader, evaluation, *values)
    assert message in messages_of(response)
    assert evaluation.themes.count() == before


def test_one_foreign_tick_refuses_the_whole_copy(
    evaluation, leader, leader_user, other_evaluation, join, db
):
    from bsbstudio.evaluations.models import Evaluation
    from bsbstudio.guide.models import Theme

    join(leader_user, other_evaluation)
    secret = Evaluation.objects.create(name="Hemmelig", slug="hemmelig")
    hidden = Theme.objects.create(evaluation=secret, name="Skjult")
    copy(leader, evaluation, other_evaluation.themes.get(name="Bolig").pk, hidden.pk)
    assert not evaluation.themes.filter(name__in=["Bolig", "Skjult"]).exists()


def test_readers_see_the_bank_without_ticks_and_cannot_copy(
    evaluation, client_as, other_evaluation, join, django_user_model
):
    reader = django_user_model.objects.get(username="peer_interviewer")
    join(reader, other_evaluation, role="peer_interviewer")
    client = client_as("peer_interviewer")
    page = client.get(url("guide:bank", evaluation)).content.decode()
    assert "Bolig" in page and 'name="themes"' not in page
    bolig = other_evaluation.themes.get(name="Bolig").pk
    response = client.post(url("guide:bank", evaluation), {"themes": [bolig]})
    assert response.status_code == 403
    assert not evaluation.themes.filter(name="Bolig").exists()
