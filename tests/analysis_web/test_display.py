"""The 2 x 2 display: placing themes, quotes and texts in the four fields, moving, removing, bad input."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.analysis import condensation
from bsbstudio.analysis.actions import code_segment, locate_quote
from bsbstudio.analysis.models import DisplayItem
from bsbstudio.evaluations.models import Evaluation

QUOTE = "det tok lang tid før de kom"


def url(evaluation):
    return reverse("analysis:display", args=[evaluation.slug])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def quote(evaluation, deidentified, user):
    start, end = locate_quote(deidentified.text, QUOTE)
    segment = code_segment(
        user("peer_interviewer"),
        deidentified,
        evaluation.codes.get(name="Tilgang"),
        start,
        end,
        "critical",
        "direct",
    )
    condensation.add_units(user("process_leader"), evaluation, [segment.pk])
    return segment


def test_place_a_theme_a_quote_and_a_text_in_the_four_fields(evaluation, as_user, quote):
    peer = as_user("peer_interviewer")
    theme = evaluation.codes.get(name="Å bli møtt")
    peer.post(url(evaluation), {"op": "place", "field": "individual_planning", "code": theme.pk})
    peer.post(
        url(evaluation),
        {"op": "place", "field": "organisation_implementation", "segment": quote.pk},
    )
    peer.post(
        url(evaluation), {"op": "place", "field": "organisation_planning", "text": "Ventelister"}
    )
    peer.post(url(evaluation), {"op": "title", "title": "Brukerperspektivet"})
    assert sorted(DisplayItem.objects.values_list("field", flat=True)) == [
        "individual_planning",
        "organisation_implementation",
        "organisation_planning",
    ]
    assert AuditEvent.objects.filter(action="analysis.display.place").count() == 3
    page = peer.get(url(evaluation)).content.decode()
    # Each thing stands in its own field of the grid.
    field = page.split('id="field-individual_planning"')[1].split('role="cell"')[0]
    assert "Å bli møtt" in field
    field = page.split('id="field-organisation_implementation"')[1].split("</div>")[0]
    assert QUOTE in field
    assert "Ventelister" in page.split('id="field-organisation_planning"')[1].split("</div>")[0]
    assert "<h1>Brukerperspektivet</h1>" in page
    # It prints: forms are hidden by the print style sheet the page links.
    assert "analysis/condensation.css" in page


def test_move_and_remove(evaluation, as_user, quote):
    peer = as_user("peer_interviewer")
    peer.post(url(evaluation), {"op": "place", "field": "individual_planning", "text": "Plan"})
    item = DisplayItem.objects.get()
    peer.post(
        url(evaluation), {"op": "move", "item": item.pk, "field": "individual_implementation"}
    )
    item.refresh_from_db()
    assert item.field == "individual_implementation"
    peer.post(url(evaluation), {"op": "remove", "item": item.pk})
    assert not DisplayItem.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"op": "place", "field": "middle", "text": "x"}, "four fields"),
        ({"op": "place", "field": "individual_planning"}, "one of them"),
        ({"op": "place", "field": "individual_planning", "text": "   "}, "one of them"),
        (
            {"op": "place", "field": "individual_planning", "code": "CODE", "text": "x"},
            "one of them",
        ),
        ({"op": "place", "field": "individual_planning", "code": "abc"}, "themes"),
        ({"op": "place", "field": "individual_planning", "segment": "FOREIGN"}, "coded quotes"),
        ({"op": "place", "field": "individual_planning", "text": "x" * 2001}, "at most 2000"),
        ({"op": "move", "item": "999", "field": "individual_planning"}, "not in this display"),
        ({"op": "remove", "item": "abc"}, "not in this display"),
    ],
)
def test_bad_input_is_a_message_and_changes_nothing(evaluation, as_user, quote, data, message):
    other = Evaluation.objects.create(name="Annen", slug="annen")
    foreign = quote.__class__.objects.create(
        text=quote.text,
        code=other.codes.create(name="X"),
        start=0,
        end=3,
        quote=quote.text.text[:3],
    )
    data = {
        k: v.replace("CODE", str(quote.code_id)).replace("FOREIGN", str(foreign.pk))
        for k, v in data.items()
    }
    response = as_user("peer_interviewer").post(url(evaluation), data)
    assert response.status_code == 302
    assert not DisplayItem.objects.exists()
    assert any(message in m for m in messages_of(response))


@pytest.mark.parametrize(
    "who, status", [("commissioner", 403), ("outsider", 404), ("transcriber", 403)]
)
def test_only_those_who_code_may_place(evaluation, as_user, who, status):
    response = as_user(who).post(
        url(evaluation), {"op": "place", "field": "individual_planning", "text": "x"}
    )
    assert response.status_code == status
    assert not DisplayItem.objects.exists()


def test_bokmal_page(evaluation, as_user):
    page = as_user("process_leader", "nb").get(url(evaluation)).content.decode()
    assert "Individnivå" in page and "Gjennomføring" in page
