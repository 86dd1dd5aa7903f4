"""Systematic text condensation: the four step pages, permissions, bad input, progress, dashboard."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.analysis import condensation
from bsbstudio.analysis.actions import code_segment, locate_quote
from bsbstudio.analysis.engine.condensation import Group, Subgroup, Summary, progress
from bsbstudio.analysis.models import (
    CodedSegment,
    CodeGroup,
    CodeSubgroup,
    Condensation,
    MeaningUnit,
)
from bsbstudio.evaluations.models import Evaluation

QUOTE_A = "det tok lang tid før de kom"
QUOTE_B = "ble jeg møtt med respekt"


def url(evaluation, name="condensation"):
    return reverse(f"analysis:{name}", args=[evaluation.slug])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def quotes(evaluation, deidentified, user):
    """Two coded quotes of the fixture's transcript."""
    coded = []
    for quote, theme, polarity in (
        (QUOTE_A, "Tilgang", "critical"),
        (QUOTE_B, "Å bli møtt", "positive"),
    ):
        start, end = locate_quote(deidentified.text, quote)
        coded.append(
            code_segment(
                user("peer_interviewer"),
                deidentified,
                evaluation.codes.get(name=theme),
                start,
                end,
                polarity,
                "direct",
            )
        )
    return coded


@pytest.fixture
def peer(as_user):
    return as_user("peer_interviewer")


def test_step_1_saves_impression_and_themes_and_is_audited(evaluation, peer):
    response = peer.post(
        url(evaluation, "condensation_impression"),
        {"impression": "Mange venter lenge.", "themes": "Ventetid\n\n  Å bli sett \nVentetid"},
    )
    assert response.status_code == 302
    held = Condensation.objects.get(evaluation=evaluation)
    assert held.impression == "Mange venter lenge."
    assert list(held.themes.values_list("name", flat=True)) == ["Ventetid", "Å bli sett"]
    assert AuditEvent.objects.filter(action="analysis.condensation.impression").count() == 1
    page = peer.get(url(evaluation, "condensation_impression")).content.decode()
    assert "Mange venter lenge." in page and "Ventetid\nÅ bli sett" in page


def test_step_2_filters_by_theme_and_adds_units(evaluation, peer, quotes):
    access, respect = quotes
    page = peer.get(
        url(evaluation, "condensation_units") + f"?code={access.code_id}"
    ).content.decode()
    assert QUOTE_A in page and QUOTE_B not in page
    response = peer.post(
        url(evaluation, "condensation_units"), {"op": "add", "segment": [access.pk]}
    )
    assert response.status_code == 302
    assert list(MeaningUnit.objects.values_list("segment_id", flat=True)) == [access.pk]
    # Adding it again changes nothing; a chosen quote leaves the list to choose from.
    peer.post(url(evaluation, "condensation_units"), {"op": "add", "segment": [access.pk]})
    assert MeaningUnit.objects.count() == 1
    page = peer.get(url(evaluation, "condensation_units")).content.decode()
    assert "1 meaning unit chosen" in page


def test_step_2_refuses_a_quote_of_another_evaluation(evaluation, peer, quotes):
    other = Evaluation.objects.create(name="Annen", slug="annen")
    foreign = CodedSegment.objects.filter(pk=quotes[0].pk)
    foreign_code = other.codes.create(name="X")
    foreign.update(code=foreign_code)
    response = peer.post(
        url(evaluation, "condensation_units"),
        {"op": "add", "segment": [quotes[0].pk, quotes[1].pk]},
    )
    assert response.status_code == 302
    assert MeaningUnit.objects.count() == 0
    assert any("not a coded quote of this evaluation" in m for m in messages_of(response))


@pytest.mark.parametrize("segment", ["abc", "", "99999999999999999999"])
def test_step_2_bad_ids_are_a_message(evaluation, peer, quotes, segment):
    response = peer.post(url(evaluation, "condensation_units"), {"op": "add", "segment": [segment]})
    assert response.status_code == 302
    assert MeaningUnit.objects.count() == 0
    assert messages_of(response)


@pytest.fixture
def grouped(evaluation, quotes, user):
    """Both quotes as meaning units, one code group with one sub-group holding both."""
    actor = user("process_leader")
    condensation.add_units(actor, evaluation, [q.pk for q in quotes])
    group = condensation.add_group(actor, evaluation, "Hjelpen")
    sub = condensation.add_subgroup(actor, evaluation, group.pk, "Å vente")
    condensation.assign_units(actor, evaluation, {u.pk: sub.pk for u in MeaningUnit.objects.all()})
    return group, sub


def test_step_3_groups_subgroups_sorting_and_condensate(evaluation, peer, quotes):
    peer.post(
        url(evaluation, "condensation_units"), {"op": "add", "segment": [q.pk for q in quotes]}
    )
    peer.post(url(evaluation, "condensation_groups"), {"op": "add_group", "name": "Hjelpen"})
    group = CodeGroup.objects.get()
    peer.post(
        url(evaluation, "condensation_groups"),
        {"op": "add_subgroup", "group": group.pk, "name": "Å vente"},
    )
    sub = CodeSubgroup.objects.get()
    units = list(MeaningUnit.objects.order_by("pk"))
    peer.post(
        url(evaluation, "condensation_groups"),
        {"op": "sort", f"unit-{units[0].pk}": sub.pk, f"unit-{units[1].pk}": ""},
    )
    assert [u.subgroup_id for u in MeaningUnit.objects.order_by("pk")] == [sub.pk, None]
    peer.post(
        url(evaluation, "condensation_groups"),
        {"op": "condensate", "subgroup": sub.pk, "condensate": "Jeg ventet lenge."},
    )
    sub.refresh_from_db()
    assert sub.condensate == "Jeg ventet lenge."
    page = peer.get(url(evaluation, "condensation_groups")).content.decode()
    assert "Hjelpen" in page and "Jeg ventet lenge." in page
    assert "Meaning units not yet sorted into a sub-group: 1." in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"op": "add_group", "name": "   "}, "Write a name."),
        ({"op": "add_subgroup", "group": "", "name": "Under"}, "code groups"),
        ({"op": "add_subgroup", "group": "999", "name": "Under"}, "code groups"),
        ({"op": "add_subgroup", "group": "GROUP", "name": ""}, "Write a name."),
        ({"op": "add_group", "name": "x" * 201}, "at most 200 characters"),
        ({"op": "rename_group", "pk": "GROUP", "name": ""}, "Write a name."),
        ({"op": "sort", "unit-UNIT": "999"}, "sub-groups"),
        ({"op": "sort", "unit-999": "SUB"}, "meaning units"),
        ({"op": "condensate", "subgroup": "abc", "condensate": "Jeg"}, "sub-groups"),
    ],
)
def test_step_3_bad_input_is_a_message_and_changes_nothing(
    evaluation, peer, grouped, data, message
):
    group, sub = grouped
    unit = MeaningUnit.objects.order_by("pk").first()
    data = {
        k.replace("UNIT", str(unit.pk)): str(v)
        .replace("GROUP", str(group.pk))
        .replace("SUB", str(sub.pk))
        for k, v in data.items()
    }
    before = (
        list(CodeGroup.objects.values_list("pk", "name")),
        list(CodeSubgroup.objects.values_list("pk", "name", "condensate")),
        list(MeaningUnit.objects.values_list("pk", "subgroup_id")),
    )
    response = peer.post(url(evaluation, "condensation_groups"), data)
    assert response.status_code == 302
    assert any(message in m for m in messages_of(response))
    after = (
        list(CodeGroup.objects.values_list("pk", "name")),
        list(CodeSubgroup.objects.values_list("pk", "name", "condensate")),
        list(MeaningUnit.objects.values_list("pk", "subgroup_id")),
    )
    assert after == before


def test_step_4_synthesis_and_illustrative_quote_only_from_own_units(
    evaluation, peer, grouped, user
):
    group, sub = grouped
    unit = MeaningUnit.objects.order_by("pk").first()
    peer.post(
        url(evaluation, "condensation_synthesis"),
        {"op": "synthesis", "group": group.pk, "synthesis": "De fleste ventet."},
    )
    peer.post(
        url(evaluation, "condensation_synthesis"),
        {"op": "quote", "subgroup": sub.pk, "unit": unit.pk},
    )
    group.refresh_from_db()
    sub.refresh_from_db()
    assert group.synthesis == "De fleste ventet." and sub.illustrative_id == unit.pk
    # A unit sorted elsewhere cannot illustrate this sub-group.
    other = condensation.add_subgroup(user("process_leader"), evaluation, group.pk, "Annet")
    response = peer.post(
        url(evaluation, "condensation_synthesis"),
        {"op": "quote", "subgroup": other.pk, "unit": unit.pk},
    )
    assert any("sub-group's own meaning units" in m for m in messages_of(response))
    other.refresh_from_db()
    assert other.illustrative_id is None
    page = peer.get(url(evaluation, "condensation_synthesis")).content.decode()
    assert "De fleste ventet." in page and f"«{unit.segment.quote}»" in page


def test_moving_a_unit_out_clears_it_as_illustrative_quote(evaluation, grouped, user):
    group, sub = grouped
    unit = MeaningUnit.objects.order_by("pk").first()
    actor = user("process_leader")
    condensation.choose_quote(actor, evaluation, sub.pk, unit.pk)
    condensation.assign_units(actor, evaluation, {unit.pk: None})
    sub.refresh_from_db()
    assert sub.illustrative_id is None


def test_progress_is_done_only_with_every_condensate_synthesis_and_quote(evaluation, grouped, user):
    group, sub = grouped
    actor = user("process_leader")
    condensation.save_impression(actor, evaluation, "Inntrykk", ["Ventetid"])
    state = condensation.progress(evaluation)
    assert not state.done and state.step == 3
    assert [m.kind for m in state.missing] == ["condensate", "synthesis", "quote"]
    condensation.save_condensate(actor, evaluation, sub.pk, "Jeg ventet.")
    condensation.save_synthesis(actor, evaluation, group.pk, "Syntese.")
    assert not condensation.progress(evaluation).done
    condensation.choose_quote(actor, evaluation, sub.pk, MeaningUnit.objects.first().pk)
    assert condensation.progress(evaluation).done
    # A new, empty sub-group undoes "done".
    condensation.add_subgroup(actor, evaluation, group.pk, "Ny")
    state = condensation.progress(evaluation)
    assert not state.done and state.step == 3


def test_engine_progress_without_anything_starts_at_step_1():
    state = progress(Summary())
    assert state.step == 1 and not state.done
    assert progress(
        Summary(True, 1, 1, 0, (Group("G", True, (Subgroup("S", 1, True, True),)),))
    ).done
    assert not progress(Summary(True, 1, 1, 0, (Group("G", True, ()),))).done


def test_overview_and_dashboard_show_progress(evaluation, as_user, grouped):
    leader = as_user("process_leader")
    page = leader.get(url(evaluation)).content.decode()
    assert "Step 1 of 4 is next." in page and "Hjelpen" in page
    dashboard = leader.get(
        reverse("evaluations:dashboard", args=[evaluation.slug])
    ).content.decode()
    assert "Condensation: step 1 of 4" in dashboard


@pytest.mark.parametrize(
    "who, status", [("commissioner", 403), ("outsider", 404), ("transcriber", 403)]
)
def test_only_those_who_code_may_change(evaluation, as_user, who, status):
    response = as_user(who).post(
        url(evaluation, "condensation_impression"), {"impression": "x", "themes": ""}
    )
    assert response.status_code == status
    assert not Condensation.objects.exists()


def test_transcriber_reads_but_sees_no_forms(evaluation, as_user, grouped):
    page = as_user("transcriber").get(url(evaluation, "condensation_groups")).content.decode()
    assert "Hjelpen" in page and 'name="op"' not in page


def test_pages_in_bokmal(evaluation, as_user, grouped):
    page = (
        as_user("process_leader", "nb").get(url(evaluation, "condensation_groups")).content.decode()
    )
    assert "Kodegrupper" in page or "kodegrupper" in page
    assert "Condensate" not in page


def test_demo_condensation_in_progress_and_display_filled_once(db, verified_client):
    from bsbstudio.analysis.models import DisplayItem
    from bsbstudio.demo.condensation import SLUG, load_condensation
    from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file

    leader = demo_user("demo", "demo-password-1")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    evaluation = Evaluation.objects.get(slug=SLUG)
    counts = (
        MeaningUnit.objects.filter(condensation__evaluation=evaluation).count(),
        CodeGroup.objects.filter(condensation__evaluation=evaluation).count(),
        CodeSubgroup.objects.filter(group__condensation__evaluation=evaluation).count(),
        DisplayItem.objects.filter(display__evaluation=evaluation).count(),
    )
    assert counts == (13, 2, 5, 10)
    load_condensation(leader)
    assert counts == (
        MeaningUnit.objects.filter(condensation__evaluation=evaluation).count(),
        CodeGroup.objects.filter(condensation__evaluation=evaluation).count(),
        CodeSubgroup.objects.filter(group__condensation__evaluation=evaluation).count(),
        DisplayItem.objects.filter(display__evaluation=evaluation).count(),
    )
    state = condensation.progress(evaluation)
    assert state.steps_done[:2] == (True, True) and not state.done and state.step == 3
    assert CodeSubgroup.objects.exclude(condensate="").count() == 3
    client = verified_client(leader)
    page = client.get(url(evaluation)).content.decode()
    assert "Å bestemme over eget liv" in page and "Planen blir skrevet om meg" in page
    page = client.get(reverse("analysis:display", args=[SLUG])).content.decode()
    assert "Kveld og helg" in page.split('id="field-organisation_implementation"')[1]


def test_final_report_starting_point_carries_the_synthesis_of_the_theme(evaluation, grouped, user):
    from bsbstudio.reports import final

    group, _sub = grouped
    leader = user("process_leader")
    condensation.save_synthesis(leader, evaluation, group.pk, "De fleste ventet for lenge.")
    report = final.create_final_report(leader, evaluation)
    access = report.chapters.get(theme__name="Tilgang")
    assert "Hjelpen: De fleste ventet for lenge." in final.experiences_starting_point(access, "nb")
    # A theme with no meaning unit in the group gets no synthesis.
    other_group = condensation.add_group(leader, evaluation, "Annet")
    condensation.save_synthesis(leader, evaluation, other_group.pk, "Ikke her.")
    assert "Ikke her." not in final.experiences_starting_point(access, "nb")


def test_a_blind_coder_cannot_choose_the_other_coders_quote(
    evaluation, deidentified, make_user, user, peer
):
    from bsbstudio.accounts.confidentiality import sign
    from bsbstudio.accounts.models import Membership, Role
    from bsbstudio.analysis import agreement

    second = make_user("peer2")
    Membership.objects.create(evaluation=evaluation, user=second, role=Role.PEER_INTERVIEWER)
    sign(second, evaluation, "Per To")
    agreement.start(
        user("process_leader"), evaluation, deidentified, user("peer_interviewer"), second
    )
    start, end = locate_quote(deidentified.text, QUOTE_A)
    theirs = code_segment(
        second, deidentified, evaluation.codes.get(name="Tilgang"), start, end, "critical", "direct"
    )
    assert QUOTE_A not in peer.get(url(evaluation, "condensation_units")).content.decode()
    response = peer.post(
        url(evaluation, "condensation_units"), {"op": "add", "segment": [theirs.pk]}
    )
    assert any("not a coded quote of this evaluation" in m for m in messages_of(response))
    assert not MeaningUnit.objects.exists()
