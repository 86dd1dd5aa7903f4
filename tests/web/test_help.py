"""Help: the circle drawn and explained, a short text on each step's page, empty lists lead on."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document

from bsbstudio.evaluations.models import Evaluation
from bsbstudio.guide.starters import loader
from bsbstudio.web import help as help_texts


def test_every_step_has_texts_in_both_languages():
    for language in ("nb", "en"):
        steps = help_texts.steps(language)
        assert [s["key"] for s in steps][:2] == ["plan", "guide"]
        for step in steps:
            assert all(step[field].strip() for field in ("title", "page", "needs", "produces"))
    assert len(help_texts.steps("nb")) == len(help_texts.steps("en"))
    assert help_texts.step("nope") is None


def test_the_help_page_draws_the_circle_with_a_label_and_a_link_per_step(evaluation, as_user):
    page = as_user("peer_interviewer", "nb").get(reverse("help"))
    assert page.status_code == 200
    html = page.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert '<title id="circle-title">BSB-sirkelen</title>' in svg
    assert '<desc id="circle-desc">' in svg and 'aria-labelledby="circle-title circle-desc"' in svg
    with translation.override("nb"):
        drawn = help_texts.circle()
    assert len(drawn) == 9
    for step in drawn:
        assert f'href="#step-{step["key"]}"' in svg
        lines = [line["text"] for line in step["lines"]]
        assert " ".join(lines) == f"{step['number']}. {step['title']}"
        assert all(f">{line}</tspan>" in svg for line in lines)
        # ... and the link leads to the step's explanation, with what it needs and gives.
        assert f'id="step-{step["key"]}"' in html
        assert step["needs"] in html and step["produces"] in html
    assert 'id="step-deid"' in html  # de-identification is explained within step 4
    assert html.count("<h1") == 1
    assert "Hva steget trenger" in html and "Hva steget gir" in html
    assert not re.search(r"\son[a-z]+=", html)


def test_the_help_page_is_linked_from_every_page_and_speaks_english(evaluation, as_user):
    client = as_user("transcriber")
    dashboard = client.get(reverse("evaluations:dashboard", args=[evaluation.slug]))
    assert f'href="{reverse("help")}"' in dashboard.content.decode()
    html = client.get(reverse("help")).content.decode()
    assert "Help: the BSB circle" in html and "What the step needs" in html
    assert help_texts.steps("en")[0]["page"] in html


def test_the_help_page_offers_each_starters_texts_as_word(evaluation, as_user):
    client = as_user("peer_interviewer", "nb")
    html = client.get(reverse("help")).content.decode()
    for key, starter in loader.starters().items():
        link = reverse("help_starter_docx", args=[key])
        assert f'href="{link}"' in html and starter.name in html
    response = client.get(reverse("help_starter_docx", args=["aktivitetshus"]))
    assert response.status_code == 200
    assert 'filename="tekster-aktivitetshus.docx"' in response["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Samtykkeerklæring" in text and "aktivitetshuset" in text
    assert client.get(reverse("help_starter_docx", args=["nope"])).status_code == 404


def test_the_help_page_needs_a_login(client):
    response = client.get(reverse("help"))
    assert response.status_code == 302


STEP_PAGES = [
    ("plan", "evaluations:plan"),
    ("guide", "guide:grid"),
    ("fieldwork", "fieldwork:interviews"),
    ("transcripts", "transcripts:list"),
    ("analysis", "analysis:matrix"),
    ("reports", "reports:list"),
    ("conference", "conference:list"),
    ("followup", "followup:list"),
]


def _shows_help(html: str, key: str) -> bool:
    with translation.override("nb"):
        step = help_texts.step(key)
    return step["page"] in html and f"{reverse('help')}#step-{key}" in html and "Les mer" in html


@pytest.mark.parametrize(("key", "name"), STEP_PAGES)
def test_each_step_page_shows_its_help_text(evaluation, as_user, key, name):
    with_language = as_user("process_leader", "nb")
    html = with_language.get(reverse(name, args=[evaluation.slug])).content.decode()
    assert _shows_help(html, key)
    assert html.count('class="step-help"') == 1


def test_the_deid_review_page_shows_its_help_text(evaluation, as_user, transcript_text):
    client = as_user("process_leader", "nb")
    interview = evaluation.interviews.get(code="FG1")
    client.post(
        reverse("transcripts:upload", args=[evaluation.slug, interview.pk]),
        {"text": transcript_text},
    )
    transcript = interview.transcripts.get()
    html = client.get(reverse("deid:review", args=[evaluation.slug, transcript.pk]))
    assert _shows_help(html.content.decode(), "deid")


@pytest.fixture
def empty_evaluation(evaluation, django_user_model):
    """An evaluation with nothing in it, led by the process leader of ``evaluation``."""
    from bsbstudio.accounts.models import Membership, Role

    empty = Evaluation.objects.create(name="Tom evaluering", slug="tom")
    leader = django_user_model.objects.get(username="process_leader")
    Membership.objects.create(evaluation=empty, user=leader, role=Role.PROCESS_LEADER)
    return empty


@pytest.mark.parametrize(
    ("name", "empty", "onward"),
    [
        ("conference:list", "No conference planned yet.", "#plan-conference"),
        ("followup:list", "No measures yet.", "conference:list"),
        ("fieldwork:interviews", "No interviews yet.", "#add"),
        ("fieldwork:informants", "No informants yet.", "#add"),
        ("transcripts:list", "No interviews yet.", "fieldwork:interviews"),
        ("analysis:matrix", "No themes yet", "guide:grid"),
        ("analysis:matrix", "No de-identified transcripts yet.", "transcripts:list"),
        ("reports:list", "Add sites to the plan first.", "evaluations:plan"),
        ("reports:cross_site", "No themes yet", "guide:grid"),
    ],
)
def test_empty_lists_say_what_to_do_next_and_link_to_it(
    empty_evaluation, as_user, name, empty, onward
):
    html = as_user("process_leader").get(reverse(name, args=[empty_evaluation.slug]))
    html = html.content.decode()
    # The link sits in the empty list's own message, not only in the navigation.
    message = html[html.index(empty) :]
    message = message[
        : min(message.index(end) for end in ("</td>", "</li>", "</p>") if end in message)
    ]
    target = onward if onward.startswith("#") else reverse(onward, args=[empty_evaluation.slug])
    assert f'href="{target}"' in message
    if onward.startswith("#"):  # the anchor exists on the page
        assert f'id="{onward[1:]}"' in html
