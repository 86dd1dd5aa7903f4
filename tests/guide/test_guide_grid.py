"""The grid page: follow-up questions, the theme buttons of each row, labels, and readers' view."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from bsbstudio.guide.models import GuideQuestion


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.slug, *args])


def grid_data(evaluation, **extra):
    themes, groups = list(evaluation.themes.all()), list(evaluation.informant_groups.all())
    return {f"q_{t.pk}_{g.pk}": f"Hva med {t.name}?" for t in themes for g in groups} | extra


class _Controls(HTMLParser):
    """Collect the form controls a person fills in, the labels' targets and the buttons."""

    def __init__(self):
        super().__init__()
        self.controls, self.labelled, self.buttons, self._button = [], set(), [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("textarea", "select") or (
            tag == "input" and attrs.get("type", "text") not in ("hidden", "submit")
        ):
            self.controls.append(attrs.get("id"))
        if tag == "label":
            self.labelled.add(attrs.get("for"))
        if tag == "button":
            self._button = []

    def handle_data(self, data):
        if self._button is not None:
            self._button.append(data)

    def handle_endtag(self, tag):
        if tag == "button" and self._button is not None:
            self.buttons.append("".join(self._button).strip())
            self._button = None


def test_follow_up_questions_are_saved_one_per_line(evaluation, leader, themes):
    theme = themes["Tilgang"]
    group = evaluation.informant_groups.get(code="B")
    data = grid_data(evaluation, **{f"sq_{theme.pk}_{group.pk}": "- Hvor lenge?\r\n\r\n• Hvem?"})
    assert leader.post(url("guide:grid", evaluation), data).status_code == 302
    cell = GuideQuestion.objects.get(theme=theme, group=group)
    assert cell.subquestions == "Hvor lenge?\nHvem?"
    assert GuideQuestion.objects.exclude(pk=cell.pk).filter(subquestions="").count() == 3


def test_grid_shows_follow_up_questions_in_their_own_field(evaluation, leader, themes):
    GuideQuestion.objects.filter(theme=themes["Tilgang"]).update(subquestions="Hvor lenge?")
    page = leader.get(url("guide:grid", evaluation)).content.decode()
    assert 'name="sq_' in page and "Hvor lenge?</textarea>" in page


def test_readers_see_the_questions_with_follow_ups_as_a_list(evaluation, client_as, themes):
    GuideQuestion.objects.filter(theme=themes["Tilgang"]).update(subquestions="Hvor\nHvem")
    page = client_as("peer_interviewer").get(url("guide:grid", evaluation)).content.decode()
    assert "<textarea" not in page
    assert '<ul class="guide-subquestions"><li>Hvor</li><li>Hvem</li></ul>' in page
    assert "Move “Tilgang” up" not in page


def test_every_control_of_the_grid_has_a_label_and_every_button_text(evaluation, leader):
    parser = _Controls()
    parser.feed(leader.get(url("guide:grid", evaluation)).content.decode())
    assert parser.controls, "the page has controls"
    assert [c for c in parser.controls if c not in parser.labelled] == []
    assert all(parser.buttons)
    assert "↑Move “Tilgang” up" in parser.buttons


def test_row_buttons_belong_to_their_own_forms(evaluation, leader, themes):
    page = leader.get(url("guide:grid", evaluation)).content.decode()
    theme = themes["Tilgang"]
    move = url("guide:theme_move", evaluation, theme.pk)
    assert f'<form id="guide-move-{theme.pk}" method="post" action="{move}" hidden>' in page
    assert f'form="guide-move-{theme.pk}" name="direction" value="down"' in page
    assert f'form="guide-rename-{theme.pk}"' in page
    assert 'id="guide-new-name"' in page  # the add-a-theme form


def test_grid_links_to_the_downloads_bank_and_versions(evaluation, leader):
    page = leader.get(url("guide:grid", evaluation)).content.decode()
    for link in (
        url("guide:download", evaluation, "docx"),
        url("guide:download", evaluation, "pdf"),
        url("guide:bank", evaluation),
        url("guide:versions", evaluation),
    ):
        assert f'href="{link}"' in page


def test_grid_without_themes_offers_to_add_one(evaluation, leader):
    evaluation.themes.all().delete()
    page = leader.get(url("guide:grid", evaluation)).content.decode()
    assert "The guide has no themes yet." in page and 'id="guide-new-name"' in page


@pytest.mark.parametrize(
    ("page", "statuses"),
    [
        ("guide:bank", (200, 200, 403, 404)),
        ("guide:versions", (200, 200, 403, 404)),
    ],
)
def test_guide_pages_by_role(evaluation, client_as, page, statuses):
    roles = ("process_leader", "transcriber", "commissioner", "outsider")
    for role, status in zip(roles, statuses, strict=True):
        assert client_as(role).get(url(page, evaluation)).status_code == status
