"""Starters: each is a complete guide; creating an evaluation from one fills it, and is audited."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from bsbstudio.accounts.members import set_org_admin
from bsbstudio.accounts.models import AuditEvent
from bsbstudio.evaluations.models import Evaluation
from bsbstudio.guide.starters import documents, loader

STARTERS = list(loader.starters())
EXPECTED = {"ambulant_team", "kommunale_tjenester", "aktivitetshus", "oppfolging_bolig"}


def test_the_four_starters_are_there_and_valid():
    assert set(STARTERS) == EXPECTED
    for starter in loader.starters().values():
        assert starter.name.strip() and starter.description.strip()
        themes = starter.all_themes()
        assert len(themes) >= 5 and all(theme.name.strip() for theme in themes)
        # Every leaf theme asks at least one group; every group is asked something.
        assert all(theme.questions for theme in themes if not theme.subthemes)
        asked = {code for theme in themes for code in theme.questions}
        assert asked == {code for code, _name in starter.groups}
        assert all(q.text.endswith("?") for t in themes for q in t.questions.values())
        assert starter.goals and starter.report_outline
        for kind in loader.TEXT_KINDS:
            assert len(starter.text(kind, "Prøve")) > 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["themes"][0].update(name="  "), "empty"),
        (lambda raw: raw["groups"].append({"code": "X", "name": "Ingen spør"}), "never asked"),
        (lambda raw: raw["themes"][0]["questions"].update(Z="Hva?"), "unknown group"),
        (lambda raw: raw["themes"].append(dict(raw["themes"][0])), "same name"),
        (lambda raw: raw["goals"].append({"text": "Mål", "themes": ["Finnes ikke"]}), "unknown"),
        (lambda raw: raw.update(groups=[]), "no informant groups"),
    ],
)
def test_an_incomplete_starter_is_refused(change, message):
    import yaml

    raw = yaml.safe_load((loader.HERE / "aktivitetshus.yaml").read_text(encoding="utf-8"))
    common = yaml.safe_load((loader.HERE / "_common.yaml").read_text(encoding="utf-8"))
    loader.parse(raw, "aktivitetshus", common)  # as shipped: fine
    change(raw)
    with pytest.raises(loader.StarterError, match=message):
        loader.parse(raw, "aktivitetshus", common)


def _admin_client(evaluation, client_as, django_user_model):
    set_org_admin(None, django_user_model.objects.get(username="peer_interviewer"), True)
    return client_as("peer_interviewer")


@pytest.mark.parametrize("key", STARTERS)
def test_creating_from_a_starter_fills_a_complete_guide(
    key, evaluation, client_as, django_user_model
):
    client = _admin_client(evaluation, client_as, django_user_model)
    response = client.post(
        reverse("evaluations:create"),
        {"name": "Ny evaluering", "slug": "ny", "replacement_mode": "placeholder", "starter": key},
    )
    assert response.status_code == 302
    created = Evaluation.objects.get(slug="ny")
    starter = loader.get(key)
    themes = list(created.themes.order_by("order"))
    assert [t.name for t in themes] == [t.name for t in starter.all_themes()]
    assert any(t.parent_id for t in themes) == any(t.subthemes for t in starter.themes)
    groups = list(created.informant_groups.order_by("order").values_list("code", "name"))
    assert groups == list(starter.groups)
    from bsbstudio.guide.models import GuideQuestion

    questions = GuideQuestion.objects.filter(theme__evaluation=created)
    assert questions.count() == starter.question_count()
    first = starter.themes[0]
    code, question = next(iter(first.questions.items()))
    cell = questions.get(theme__name=first.name, group__code=code)
    assert cell.text == question.text and cell.subquestions == "\n".join(question.follow_up)
    assert list(created.goals.order_by("order").values_list("text", flat=True)) == [
        goal.text for goal in starter.goals
    ]
    linked = starter.goals[0].themes[0]
    assert created.goals.order_by("order").first().themes.filter(name=linked).exists()
    declaration = created.declarations.get()
    assert "«Ny evaluering»" in declaration.text and starter.service in declaration.text
    # Guide themes became analysis codes.
    assert created.codes.filter(kind="guide").count() == len(themes)
    event = AuditEvent.objects.get(action="evaluation.starter", evaluation_id=created.pk)
    assert event.detail["starter"] == key
    assert event.detail["questions"] == starter.question_count()


def test_blank_stays_blank(evaluation, client_as, django_user_model):
    client = _admin_client(evaluation, client_as, django_user_model)
    for slug, extra in (("ny", {}), ("ny-tom", {"starter": ""})):
        data = {"name": f"Ny {slug}", "slug": slug, "replacement_mode": "placeholder", **extra}
        assert client.post(reverse("evaluations:create"), data).status_code == 302
        created = Evaluation.objects.get(slug=slug)
        assert not created.themes.exists() and not created.informant_groups.exists()
        assert not created.goals.exists() and not created.declarations.exists()
    assert not AuditEvent.objects.filter(action="evaluation.starter").exists()


def test_an_unknown_starter_is_a_message_and_creates_nothing(
    evaluation, client_as, django_user_model
):
    client = _admin_client(evaluation, client_as, django_user_model)
    data = {"name": "Ny", "slug": "ny", "replacement_mode": "placeholder", "starter": "nope"}
    response = client.post(reverse("evaluations:create"), data)
    assert response.status_code == 200
    assert not Evaluation.objects.filter(slug="ny").exists()
    assert 'role="alert"' in response.content.decode()


def test_the_demo_create_page_lists_the_starters(db, verified_client):
    from bsbstudio.demo.loader import demo_user

    client = verified_client(demo_user("demo", "demo-passord-123"))
    client.cookies["django_language"] = "nb"
    page = client.get(reverse("evaluations:create")).content.decode()
    assert "<legend>Start med</legend>" in page
    for starter in loader.starters().values():
        assert starter.name in page and starter.description.split()[0] in page
        assert f'value="{starter.key}"' in page
    assert page.count('type="radio"') == len(STARTERS) + 1  # blank first
    assert "Tom" in page


def test_the_texts_document_holds_every_text():
    starter = loader.get("oppfolging_bolig")
    document = Document(io.BytesIO(documents.starter_docx(starter)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    for title in documents.TITLES.values():
        assert title in text
    assert "oppfølgingen i bolig" in text and "{service}" not in text
    assert all(heading in text for heading, _note in starter.report_outline)
    assert starter.themes[0].questions["B"].text in text


def test_bsb_starter_commands(tmp_path, capsys):
    from bsbstudio.cli.main import main

    assert main(["starter", "list"]) == 0
    listed = capsys.readouterr().out
    assert all(key in listed for key in EXPECTED)
    assert main(["starter", "show", "aktivitetshus"]) == 0
    assert "Innflytelse" in capsys.readouterr().out
    out = tmp_path / "tekster.docx"
    assert main(["starter", "docx", "ambulant_team", "--out", str(out)]) == 0
    assert "Taushetserklæring" in "\n".join(p.text for p in Document(out).paragraphs)
    assert main(["starter", "show", "nope"]) == 4
    assert main(["starter", "docx", "aktivitetshus", "--out", str(tmp_path / "x.pdf")]) == 2
