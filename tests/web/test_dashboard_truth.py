"""The dashboard never says a step is done, or a target reached, when it is not, and says why.

Each test builds one of the situations seen in use (issue 13) on the fixture evaluation (sites
Nord and Sør, groups Brukere and Ansatte, FG1 at Nord with B-01 and A-01) and reads the page.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from bsbstudio.evaluations.engine.circle import DONE, CircleCounts, circle_states
from bsbstudio.fieldwork.models import (
    Consent,
    Informant,
    Interview,
    Participation,
    SamplingCriterion,
)
from bsbstudio.fieldwork.sampling import skew_summary

pytestmark = pytest.mark.django_db


def complete_consent(interview):
    for p in interview.participations.all():
        Consent.objects.update_or_create(
            informant=p.informant,
            interview=interview,
            defaults=dict(
                brochure_given=True,
                oral_consent=True,
                recording_consent=True,
                informed_of_rights=True,
            ),
        )


def hold(interview):
    interview.status = Interview.Status.HELD
    interview.save()
    complete_consent(interview)


def held_interview(evaluation, code, site_name, *informants):
    interview = Interview.objects.create(
        evaluation=evaluation,
        code=code,
        kind="focus_group",
        site=evaluation.sites.get(name=site_name),
        date=datetime.date(2026, 3, 2),
        status=Interview.Status.HELD,
    )
    for n, informant in enumerate(informants, start=1):
        Participation.objects.create(interview=interview, informant=informant, speaker_code=f"D{n}")
    complete_consent(interview)
    return interview


def informant(evaluation, code, group_code, site_name):
    return Informant.objects.create(
        evaluation=evaluation,
        code=code,
        group=evaluation.informant_groups.get(code=group_code),
        site=evaluation.sites.get(name=site_name),
    )


def dashboard(as_user, evaluation, language="en"):
    response = as_user("process_leader", language).get(
        reverse("evaluations:dashboard", args=[evaluation.slug])
    )
    assert response.status_code == 200
    return response


def step(response, key):
    return next(s for s in response.context["steps"] if s["key"] == key)


def step_html(response, number: int) -> str:
    """The circle's list item of step ``number`` as rendered."""
    html = response.content.decode()
    items = re.findall(
        r'<li class="state-[a-z_]+">.*?</li>\s*(?=<li class="state-|</ol>)', html, re.S
    )
    return items[number - 1]


def test_fieldwork_is_not_done_while_a_site_has_no_interviews(evaluation, as_user):
    hold(evaluation.interviews.get(code="FG1"))
    response = dashboard(as_user, evaluation)
    fieldwork = step(response, "fieldwork")
    assert fieldwork["state"] != DONE
    assert "Sør: no interviews yet" in fieldwork["reasons"]
    assert "Done" not in step_html(response, 3)
    nb = dashboard(as_user, evaluation, "nb")
    assert "Sør: ingen intervjuer ennå" in step_html(nb, 3)
    assert "Ferdig" not in step_html(nb, 3)


def test_fieldwork_names_the_group_nobody_heard_at_a_site(evaluation, as_user):
    hold(evaluation.interviews.get(code="FG1"))
    held_interview(evaluation, "FG2", "Sør", informant(evaluation, "B-02", "B", "Sør"))
    response = dashboard(as_user, evaluation)
    assert step(response, "fieldwork")["state"] != DONE
    assert "Sør: no ansatte interviewed" in step(response, "fieldwork")["reasons"]
    nb = dashboard(as_user, evaluation, "nb")
    assert "Sør: ingen ansatte intervjuet" in step_html(nb, 3)


def test_fieldwork_is_done_only_when_every_site_heard_every_group(evaluation, as_user):
    hold(evaluation.interviews.get(code="FG1"))
    held_interview(
        evaluation,
        "FG2",
        "Sør",
        informant(evaluation, "B-02", "B", "Sør"),
        informant(evaluation, "A-02", "A", "Sør"),
    )
    response = dashboard(as_user, evaluation)
    assert step(response, "fieldwork")["state"] == DONE
    assert step(response, "fieldwork")["reasons"] == []
    assert "Done" in step_html(response, 3)
    assert "Every group has been interviewed at every site." in response.content.decode()


def test_a_planned_interview_keeps_fieldwork_open(evaluation, as_user):
    hold(evaluation.interviews.get(code="FG1"))
    held_interview(
        evaluation,
        "FG2",
        "Sør",
        informant(evaluation, "B-02", "B", "Sør"),
        informant(evaluation, "A-02", "A", "Sør"),
    )
    Interview.objects.create(evaluation=evaluation, code="FG3", kind="focus_group")
    response = dashboard(as_user, evaluation)
    assert step(response, "fieldwork")["state"] != DONE
    assert "1 interview is still planned, not held." in step(response, "fieldwork")["reasons"]


def test_no_targets_is_not_all_targets_reached(evaluation, as_user):
    assert not evaluation.sampling_criteria.exists()
    html = dashboard(as_user, evaluation).content.decode()
    assert "The sample matches its criteria" not in html
    assert "targets are reached" not in html
    assert "No targets are set for the sample" in html
    link = reverse("fieldwork:sampling", args=[evaluation.slug]) + "#add"
    assert f'href="{link}"' in html
    nb = dashboard(as_user, evaluation, "nb").content.decode()
    assert "oppfyller kriteriene" not in nb
    assert "Ingen mål er satt for utvalget" in nb


def test_targets_reached_only_when_they_are(evaluation, as_user):
    criterion = SamplingCriterion.objects.create(
        evaluation=evaluation, attribute="group", value="B", target=2
    )
    html = dashboard(as_user, evaluation).content.decode()
    assert "0 of 1 targets are reached." in html
    criterion.target = 1
    criterion.save()
    html = dashboard(as_user, evaluation).content.decode()
    assert "The target is reached." in html


def test_held_interview_without_participants_is_not_no_consent_gaps(evaluation, as_user):
    Interview.objects.create(
        evaluation=evaluation,
        code="FG2",
        kind="focus_group",
        site=evaluation.sites.get(name="Sør"),
        date=datetime.date(2026, 3, 2),
        status=Interview.Status.HELD,
    )
    hold(evaluation.interviews.get(code="FG1"))
    response = dashboard(as_user, evaluation)
    html = response.content.decode()
    assert "No gaps" not in html
    assert "FG2 has taken place, but nobody is registered as taking part" in html
    fieldwork = step(response, "fieldwork")
    assert fieldwork["state"] != DONE
    assert "FG2 is held, but nobody is registered as taking part." in fieldwork["reasons"]


def test_no_consent_gaps_said_only_when_checked(evaluation, as_user):
    html = dashboard(as_user, evaluation).content.decode()
    # FG1 is dated in the past with two participants and no checklist: gaps, not "no gaps".
    assert "No gaps" not in html
    assert "2 participants lack a complete consent checklist." in html
    hold(evaluation.interviews.get(code="FG1"))
    assert "No gaps" in dashboard(as_user, evaluation).content.decode()


def test_nothing_held_is_not_no_consent_gaps(evaluation, as_user):
    evaluation.interviews.update(date=None)
    html = dashboard(as_user, evaluation).content.decode()
    assert "No gaps" not in html
    assert "No interview has been held yet, so there is no consent to check." in html


def test_237_users_and_one_relative_is_a_skewed_sample(evaluation, as_user):
    users = evaluation.informant_groups.get(code="B")
    relatives = evaluation.informant_groups.create(code="P", name="Pårørende", order=2)
    north = evaluation.sites.get(name="Nord")
    Informant.objects.bulk_create(
        Informant(evaluation=evaluation, code=f"B-X{n:03d}", group=users, site=north)
        for n in range(236)
    )
    Informant.objects.create(evaluation=evaluation, code="P-01", group=relatives, site=north)
    with translation.override("en"):
        messages = [f.message for f in skew_summary(evaluation) if f.severity == "warning"]
    assert "The group Pårørende has 1 informant, far fewer than Brukere (237)." in messages
    html = dashboard(as_user, evaluation).content.decode()
    assert "far fewer than Brukere (237)" in html


def test_skew_against_the_plans_targets(evaluation):
    users = evaluation.informant_groups.get(code="B")
    staff = evaluation.informant_groups.get(code="A")
    north = evaluation.sites.get(name="Nord")
    SamplingCriterion.objects.create(evaluation=evaluation, attribute="group", value="B", target=6)
    SamplingCriterion.objects.create(evaluation=evaluation, attribute="group", value="A", target=6)
    Informant.objects.bulk_create(
        Informant(evaluation=evaluation, code=f"B-X{n:02d}", group=users, site=north)
        for n in range(20)
    )
    Informant.objects.bulk_create(
        Informant(evaluation=evaluation, code=f"A-X{n:02d}", group=staff, site=north)
        for n in range(1)
    )
    with translation.override("en"):
        messages = [f.message for f in skew_summary(evaluation)]
    # 2 staff of 23 is 9 %; equal targets expect 50 %.
    assert (
        "Only 9 % of the informants are in the group Ansatte (2 of 23); "
        "the targets expect about 50 %." in messages
    )


def test_engine_never_calls_fieldwork_done_on_missing_data():
    """Counts alone (held interviews, no coverage data) are never enough."""
    counts = CircleCounts(interviews=3, interviews_held=3, informants=9, groups=2)
    fieldwork = next(s for s in circle_states(counts) if s.key == "fieldwork")
    assert fieldwork.state != DONE
    assert fieldwork.reasons[0].kind == "no_groups"


def test_commissioner_sees_no_reasons(evaluation, as_user):
    response = as_user("commissioner").get(reverse("evaluations:dashboard", args=[evaluation.slug]))
    assert response.status_code == 200
    assert all(s["reasons"] == [] for s in response.context["steps"])


def test_guide_with_an_empty_cell_can_be_done_but_not_a_theme_nobody_is_asked(evaluation, as_user):
    from bsbstudio.guide.models import GuideQuestion

    # A theme asked of staff only leaves the users' cell empty: that is a finished guide.
    GuideQuestion.objects.filter(theme__name="Tilgang", group__code="B").delete()
    response = dashboard(as_user, evaluation)
    assert step(response, "guide")["state"] == DONE
    GuideQuestion.objects.filter(theme__name="Å bli møtt").update(text="")
    response = dashboard(as_user, evaluation)
    assert step(response, "guide")["state"] != DONE
    assert "1 theme has no question for any group." in step(response, "guide")["reasons"]


def test_every_reason_the_engine_gives_has_a_sentence():
    from bsbstudio.evaluations.engine.circle import fieldwork_reasons, guide_reasons, plan_reasons
    from bsbstudio.web.dashboard import reason_text

    cases = [
        CircleCounts(interviews=2, themes=0, groups=0),
        CircleCounts(themes=2, groups=2, themes_with_question=1, groups_with_question=1),
        CircleCounts(
            interviews=3,
            interviews_held=2,
            site_names=("Nord", "Sør"),
            group_names=("Brukere", "Pårørende"),
            covered=frozenset({("Nord", "Brukere")}),
            sites_interviewed=frozenset({"Nord"}),
            held_without_participants=("FG2",),
            interviews_held_with_participants=1,
            consent_gaps=2,
            targets_short=1,
        ),
        CircleCounts(interviews=1, interviews_held=1, group_names=("Brukere", "Ansatte")),
    ]
    kinds = set()
    with translation.override("nb"):
        for counts in cases:
            for reason in plan_reasons(counts) + guide_reasons(counts) + fieldwork_reasons(counts):
                kinds.add(reason.kind)
                assert reason_text(reason)
        text = reason_text(fieldwork_reasons(cases[2])[0])
    assert text == "Nord: ingen pårørende intervjuet"
    assert len(kinds) == 16, sorted(kinds)  # every kind in reason_text


# --- Steps 4 to 9: each "done" only by the method's real criterion ----------------------------


def _transcript(interview, approved: bool):
    from django.utils import timezone

    from bsbstudio.transcripts.models import DeidentifiedText, Transcript

    transcript = Transcript.objects.create(interview=interview, raw_text="D1: Hei.")
    return DeidentifiedText.objects.create(
        transcript=transcript, text="D1: Hei.", approved_at=timezone.now() if approved else None
    )


def test_a_held_interview_without_transcript_keeps_transcripts_open(evaluation, as_user):
    hold(evaluation.interviews.get(code="FG1"))
    response = dashboard(as_user, evaluation)
    assert step(response, "transcripts")["state"] != DONE
    assert (
        "1 interview that took place has no transcript yet."
        in step(response, "transcripts")["reasons"]
    )


def test_an_unreviewed_deidentified_text_is_not_transcripts_done(evaluation, as_user):
    fg1 = evaluation.interviews.get(code="FG1")
    hold(fg1)
    text = _transcript(fg1, approved=False)
    response = dashboard(as_user, evaluation)
    assert step(response, "transcripts")["state"] != DONE
    assert (
        "1 de-identified text is waiting for review and approval."
        in step(response, "transcripts")["reasons"]
    )
    nb = dashboard(as_user, evaluation, "nb")
    assert "venter på gjennomgang og godkjenning" in step_html(nb, 4)
    assert "Ferdig" not in step_html(nb, 4)
    from django.utils import timezone

    text.approved_at = timezone.now()
    text.save()
    response = dashboard(as_user, evaluation)
    assert step(response, "transcripts")["state"] == DONE


def test_analysis_not_done_while_a_guide_theme_has_no_quote(evaluation, as_user):
    fg1 = evaluation.interviews.get(code="FG1")
    hold(fg1)
    _transcript(fg1, approved=True)
    response = dashboard(as_user, evaluation)
    analysis = step(response, "analysis")
    assert analysis["state"] != DONE
    assert any(r.startswith("No quotes coded to the theme") for r in analysis["reasons"])


def test_engine_analysis_needs_every_theme_coded():
    counts = CircleCounts(
        texts_approved=2,
        deidentified_texts_coded=2,
        coded_segments=5,
        themes_without_material=("Trygghet", "Tilgang"),
    )
    analysis = next(s for s in circle_states(counts) if s.key == "analysis")
    assert analysis.state != DONE
    assert analysis.reasons[0].kind == "themes_without_material"
    from bsbstudio.web.dashboard import reason_text

    with translation.override("en"):
        assert reason_text(analysis.reasons[0]) == (
            "No quotes coded to the themes Trygghet and Tilgang yet."
        )


def test_a_draft_process_report_is_not_done(evaluation, as_user):
    from bsbstudio.reports.models import Report

    for site in evaluation.sites.all():
        Report.objects.create(
            evaluation=evaluation, site=site, kind=Report.Kind.PROCESS, title=f"Rapport {site}"
        )
    response = dashboard(as_user, evaluation)
    assert step(response, "process_report")["state"] != DONE
    assert "Nord: no approved process report yet" in step(response, "process_report")["reasons"]
    Report.objects.filter(kind=Report.Kind.PROCESS).update(state=Report.State.APPROVED)
    response = dashboard(as_user, evaluation)
    assert step(response, "process_report")["state"] == DONE


def test_a_final_report_changed_after_approval_is_not_done(evaluation, as_user):
    """The approval record stays when the report is edited; the state says draft again."""
    from bsbstudio.reports.models import Report

    report = Report.objects.create(
        evaluation=evaluation, kind=Report.Kind.FINAL, title="Sluttrapport"
    )
    response = dashboard(as_user, evaluation)
    assert step(response, "reports")["state"] != DONE
    assert (
        "The final report is not approved (or was changed after it was approved)."
        in step(response, "reports")["reasons"]
    )
    report.state = Report.State.APPROVED
    report.save()
    assert step(dashboard(as_user, evaluation), "reports")["state"] == DONE


def test_conference_and_followup_reasons_name_what_is_missing():
    counts = CircleCounts(
        sites=3, conferences=1, sites_with_approved_conference=1, measures=4, measures_closed=1
    )
    states = {s.key: s for s in circle_states(counts)}
    assert states["conference"].state != DONE
    assert states["conference"].reasons[0].params == {"count": 2}
    assert states["followup"].state != DONE
    assert states["followup"].reasons[0].params == {"count": 3}
    none = {s.key: s for s in circle_states(CircleCounts())}
    assert none["followup"].state != DONE and none["followup"].reasons[0].kind == "no_measures"
    assert none["conference"].reasons[0].kind == "no_conference"
    assert none["reports"].reasons[0].kind == "no_final_report"


def test_every_later_step_reason_is_worded_in_bokmal():
    from bsbstudio.evaluations.engine.circle import Reason
    from bsbstudio.web.dashboard import reason_text

    reasons = [
        Reason("transcripts_missing", {"count": 2}),
        Reason("transcripts_raw", {"count": 1}),
        Reason("texts_unapproved", {"count": 3}),
        Reason("no_approved_texts"),
        Reason("texts_uncoded", {"count": 1}),
        Reason("themes_without_material", {"themes": ["Trygghet"]}),
        Reason("site_process_report_missing", {"site": "Nord"}),
        Reason("process_reports_missing", {"count": 2}),
        Reason("no_conference"),
        Reason("conference_minutes_missing", {"count": 1}),
        Reason("no_final_report"),
        Reason("final_report_not_approved"),
        Reason("no_measures"),
        Reason("measures_open", {"count": 2}),
    ]
    for reason in reasons:
        with translation.override("en"):
            english = reason_text(reason)
        with translation.override("nb"):
            norwegian = reason_text(reason)
        assert english and norwegian and english != norwegian, reason.kind


def test_counting_in_one_query_gives_what_each_count_gives(evaluation, django_assert_num_queries):
    """``count_each`` agrees with ``.count()`` on plain, joined, distinct and empty querysets."""
    from bsbstudio.web.progress import count_each

    nord = evaluation.sites.get(name="Nord")
    held_interview(evaluation, "FG2", "Nord", *evaluation.informants.all())
    querysets = {
        "sites": evaluation.sites.all(),
        "informants_nord": evaluation.informants.filter(site=nord),
        "interviews_with_people": evaluation.interviews.filter(
            participations__isnull=False
        ).distinct(),
        "sites_interviewed": evaluation.interviews.values("site").distinct(),
        "participations_joined": Participation.objects.filter(interview__evaluation=evaluation),
        "none": evaluation.interviews.filter(code="finnes ikke"),
    }
    expected = {name: queryset.count() for name, queryset in querysets.items()}
    assert expected["participations_joined"] > expected["interviews_with_people"] > 0
    assert expected["none"] == 0
    with django_assert_num_queries(1):
        assert count_each(**querysets) == expected
