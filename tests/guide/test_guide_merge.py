"""Merging one theme into another keeps the whole analysis: questions, quotes, memos, reports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.analysis.models import Code, CodedSegment, Memo
from bsbstudio.guide.models import GuideQuestion, Theme


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.slug, *args])


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def merge(client, evaluation, source, target_id, confirm=True, follow=False):
    data = {"into": target_id} | ({"confirm": "yes"} if confirm else {})
    return client.post(url("guide:theme_merge", evaluation, source.pk), data, follow=follow)


def test_merge_asks_first_and_says_what_moves(evaluation, leader, themes, code_quote):
    code_quote(themes["Tilgang"], "Det tok lang tid")
    response = merge(leader, evaluation, themes["Tilgang"], themes["Å bli møtt"].pk, confirm=False)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Merge “Tilgang” into “Å bli møtt”?" in page
    assert "coded quotes (1)" in page
    assert evaluation.themes.count() == 2


def test_merge_moves_quotes_memos_questions_and_deletes_the_source(
    evaluation, leader, themes, code_quote
):
    source, target = themes["Tilgang"], themes["Å bli møtt"]
    segment = code_quote(source, "Det tok lang tid")
    Memo.objects.create(evaluation=evaluation, code=source.code, text="Mange venter.")
    GuideQuestion.objects.filter(theme=source).update(subquestions="- Hvor lenge?")
    response = merge(leader, evaluation, source, target.pk, follow=True)

    assert "was merged into" in messages_of(response)
    assert not Theme.objects.filter(pk=source.pk).exists()
    assert not Code.objects.filter(name="Tilgang").exists()
    segment.refresh_from_db()
    assert segment.code == Code.objects.get(theme=target)
    assert Memo.objects.get().code == segment.code
    # The target keeps its question; the source's question and follow-ups are appended.
    cell = GuideQuestion.objects.get(theme=target, group__code="B")
    assert cell.text == "Spørsmål om Å bli møtt"
    assert cell.subquestions.splitlines() == ["Spørsmål om Tilgang", "Hvor lenge?"]
    event = AuditEvent.objects.get(action="guide.theme.merge")
    assert event.detail["source_name"] == "Tilgang" and event.detail["segments"] == 1


def test_merge_moves_a_question_into_an_empty_cell(evaluation, leader, themes):
    source, target = themes["Tilgang"], themes["Å bli møtt"]
    GuideQuestion.objects.filter(theme=target, group__code="A").delete()
    merge(leader, evaluation, source, target.pk)
    cell = GuideQuestion.objects.get(theme=target, group__code="A")
    assert cell.text == "Spørsmål om Tilgang"


def test_merge_re_parents_sub_themes(evaluation, leader, themes):
    source, target = themes["Tilgang"], themes["Å bli møtt"]
    child = Theme.objects.create(evaluation=evaluation, name="Ventetid", parent=source, order=5)
    merge(leader, evaluation, source, target.pk)
    child.refresh_from_db()
    assert child.parent == target


def test_merge_into_own_sub_theme_lifts_it_up(evaluation, leader, themes):
    source = themes["Tilgang"]
    target = Theme.objects.create(evaluation=evaluation, name="Ventetid", parent=source, order=5)
    sibling = Theme.objects.create(evaluation=evaluation, name="Telefon", parent=source, order=6)
    merge(leader, evaluation, source, target.pk)
    target.refresh_from_db()
    sibling.refresh_from_db()
    assert target.parent is None
    assert sibling.parent == target


def test_merge_joins_report_sections(evaluation, leader, themes, code_quote):
    from bsbstudio.reports.models import Report, ThemeSection

    source, target = themes["Tilgang"], themes["Å bli møtt"]
    quote = code_quote(source, "lang tid")
    report = Report.objects.create(evaluation=evaluation, title="Prosessrapport")
    ThemeSection.objects.create(report=report, theme=target, main_points="Respekt.")
    section = ThemeSection.objects.create(report=report, theme=source, main_points="Venting.")
    section.quotes.add(quote)
    merge(leader, evaluation, source, target.pk)
    joined = ThemeSection.objects.get()
    assert joined.theme == target
    assert joined.main_points == "Respekt.\n\nVenting."
    assert list(joined.quotes.all()) == [quote]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("self", "cannot be merged into itself"),
        ("", "Choose the theme to merge into."),
        ("999999", "Choose the theme to merge into."),
        ("abc", "Choose the theme to merge into."),
        ("foreign", "not part of this guide"),
    ],
)
def test_bad_merge_changes_nothing(
    evaluation, leader, themes, other_evaluation, code_quote, target, message
):
    source = themes["Tilgang"]
    code_quote(source, "lang tid")
    target_id = {
        "self": source.pk,
        "foreign": other_evaluation.themes.get(name="Tilgang").pk,
    }.get(target, target)
    response = merge(leader, evaluation, source, target_id, follow=True)
    assert response.status_code == 200
    assert message in messages_of(response)
    assert evaluation.themes.count() == 2
    assert CodedSegment.objects.get().code.theme == source
    assert not AuditEvent.objects.filter(action="guide.theme.merge").exists()


def test_merge_of_a_theme_with_sub_themes_into_a_sub_theme_is_refused(evaluation, leader, themes):
    source, other = themes["Tilgang"], themes["Å bli møtt"]
    Theme.objects.create(evaluation=evaluation, name="Ventetid", parent=source)
    target = Theme.objects.create(evaluation=evaluation, name="Respekt", parent=other)
    response = merge(leader, evaluation, source, target.pk, follow=True)
    assert "has sub-themes" in messages_of(response)
    assert Theme.objects.filter(pk=source.pk).exists()


def test_merge_codes_refuses_codes_of_two_evaluations(evaluation, themes, other_evaluation):
    from bsbstudio.analysis.actions import merge_codes

    with pytest.raises(ValueError):
        merge_codes(themes["Tilgang"].code, other_evaluation.themes.get(name="Bolig").code)
