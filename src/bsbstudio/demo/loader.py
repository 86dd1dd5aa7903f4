"""Load the synthetic demo evaluations from ``data/*.yaml`` through the real actions.

Transcripts go through the same path as an upload (parse, detect identifiers, review, create the
de-identified text), so the demo shows what the engines really do. Loading is idempotent: an
evaluation whose slug exists is left as it is.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from bsbstudio.accounts.confidentiality import sign
from bsbstudio.accounts.members import set_org_admin
from bsbstudio.accounts.models import Membership, Role
from bsbstudio.analysis.actions import SegmentError, code_segment, locate_quote, sync_guide_codes
from bsbstudio.analysis.models import Code
from bsbstudio.deid import actions as deid_actions
from bsbstudio.deid.models import Detection, ProtectedTerm
from bsbstudio.demo.agreement import load_agreement
from bsbstudio.demo.autocode import load_autocode
from bsbstudio.demo.code_tree import load_code_tree
from bsbstudio.demo.condensation import load_condensation
from bsbstudio.demo.conference import load_conferences
from bsbstudio.demo.cross_site import load_cross_site
from bsbstudio.demo.exchange_import import load_exchange_import
from bsbstudio.demo.feedback import load_feedback
from bsbstudio.demo.final_report import load_final_report
from bsbstudio.demo.followup import load_followup
from bsbstudio.demo.matrix import load_matrix
from bsbstudio.demo.partial_report import load_partial_report
from bsbstudio.demo.recording import load_recording
from bsbstudio.demo.workbench import load_workbench
from bsbstudio.evaluations.models import Evaluation, Goal, ProblemStatement, Round, Site
from bsbstudio.fieldwork.actions import save_consent
from bsbstudio.fieldwork.models import (
    Informant,
    Interview,
    Participation,
    SamplingCriterion,
    SiteGroupPlan,
)
from bsbstudio.guide.models import GuideQuestion, InformantGroup, Theme
from bsbstudio.guide.versions import version_for_interview
from bsbstudio.reports.actions import approve_report, create_process_report
from bsbstudio.transcripts.actions import approve_text, import_transcript
from bsbstudio.transcripts.engine import parse_text

DATA_DIR = Path(__file__).parent / "data"
DEMO_FILES = ["ambulant_team.yaml", "districts.yaml"]


def demo_user(username: str, password: str):
    """The demo login, an organisation administrator (created once; password reset to the documented one)."""
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": "Demo", "last_name": "Prosessleder"}
    )
    if not user.check_password(password):
        user.set_password(password)
        user.save()
    set_org_admin(None, user, True)
    return user


# Log-in names stay ASCII, written the Norwegian way (Østmo -> ostmo, Aasheim stays); the
# name people see is first_name and last_name, with æ, ø and å kept.
_ASCII_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", "Æ": "Ae", "Ø": "O", "Å": "Aa"})


def login_name(name: str) -> str:
    """A demo member's log-in name: "Randi Østmo" -> "demo-randi-ostmo"."""
    return f"demo-{slugify(name.translate(_ASCII_LETTERS))}"


def load_all(username: str, password: str) -> list[tuple[str, bool]]:
    """Load every demo evaluation; return (name, created) for each."""
    user = demo_user(username, password)
    return [load_file(DATA_DIR / name, user) for name in DEMO_FILES]


def load_file(path: Path, leader) -> tuple[str, bool]:
    """Load one demo evaluation unless it is already there."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    existing = Evaluation.objects.filter(slug=spec["evaluation"]["slug"]).first()
    if existing:
        return existing.name, False
    with transaction.atomic():
        evaluation = _plan(spec, leader)
        _guide(spec, evaluation)
        _fieldwork(spec, evaluation, leader)
    for interview_spec in spec.get("interviews", []):
        if interview_spec.get("transcript"):
            _transcript(spec, evaluation, interview_spec, leader)
    load_recording(evaluation, leader)  # the synthesised interview for the transcription editor
    _reports(evaluation, leader)
    load_conferences(leader)
    load_feedback(leader)
    load_followup(leader)
    load_cross_site(leader)
    load_partial_report(leader)
    load_agreement(leader)
    load_matrix(leader)
    load_condensation(leader)
    load_final_report(leader)  # after the condensation: it carries its synthesis and display
    load_workbench(leader)
    load_code_tree(leader)
    load_exchange_import(leader)
    load_autocode(leader)  # last: it learns from all the demo's coding
    return evaluation.name, True


def _plan(spec, leader) -> Evaluation:
    e = spec["evaluation"]
    evaluation = Evaluation.objects.create(
        name=e["name"],
        slug=e["slug"],
        commissioner=e.get("commissioner", ""),
        mandate=e.get("mandate", ""),
        period_start=e.get("period_start"),
        period_end=e.get("period_end"),
        created_by=leader,
    )
    Round.objects.create(evaluation=evaluation, number=1)
    for order, site in enumerate(spec.get("sites", [])):
        Site.objects.create(
            evaluation=evaluation,
            name=site["name"],
            description=site.get("description", ""),
            order=order,
        )
    for order, goal in enumerate(spec.get("goals", [])):
        Goal.objects.create(
            evaluation=evaluation,
            text=goal["text"],
            order=order,
            source_document=goal.get("source_document", ""),
            page=goal.get("page"),
        )
    for order, text in enumerate(spec.get("problem_statements", [])):
        ProblemStatement.objects.create(evaluation=evaluation, text=text, order=order)
    Membership.objects.create(evaluation=evaluation, user=leader, role=Role.PROCESS_LEADER)
    users = get_user_model().objects
    for member in spec.get("team", []):
        first, _space, last = member["name"].partition(" ")
        user, created = users.get_or_create(
            username=login_name(member["name"]),
            defaults={"first_name": first, "last_name": last},
        )
        if created:
            user.set_unusable_password()
            user.save()
        Membership.objects.get_or_create(evaluation=evaluation, user=user, role=member["role"])
        sign(user, evaluation, member["name"])
    sign(leader, evaluation, leader.get_full_name() or leader.get_username())
    for name in spec.get("people_to_hide", []):
        ProtectedTerm.objects.get_or_create(
            evaluation=evaluation, text=name, kind=ProtectedTerm.Kind.PERSON
        )
    return evaluation


def _guide(spec, evaluation) -> None:
    groups = {
        g["code"]: InformantGroup.objects.create(
            evaluation=evaluation, code=g["code"], name=g["name"], order=i
        )
        for i, g in enumerate(spec.get("informant_groups", []))
    }
    order = 0

    def add(theme_spec, parent=None):
        nonlocal order
        theme = Theme.objects.create(
            evaluation=evaluation,
            parent=parent,
            name=theme_spec["name"],
            description=theme_spec.get("description", ""),
            order=order,
        )
        order += 1
        for code, text in spec.get("guide_questions", {}).get(theme.name, {}).items():
            GuideQuestion.objects.create(theme=theme, group=groups[code], text=text)
        for child in theme_spec.get("children", []) or []:
            add(child, theme)

    for theme_spec in spec.get("themes", []):
        add(theme_spec)
    sync_guide_codes(evaluation)


def _fieldwork(spec, evaluation, leader) -> None:
    sites = {s.name: s for s in evaluation.sites.all()}
    groups = {g.code: g for g in evaluation.informant_groups.all()}
    members = {
        m.user.get_full_name(): m
        for m in evaluation.memberships.filter(role=Role.PEER_INTERVIEWER).select_related("user")
    }
    informants = {}
    for i in spec.get("informants", []):
        informants[i["code"]] = Informant.objects.create(
            evaluation=evaluation,
            code=i["code"],
            group=groups[i["group"]],
            site=sites.get(i.get("site")),
            gender=i.get("gender", ""),
            age_band=str(i.get("age_band", "")),
            length_of_service=i.get("length_of_service", ""),
            recruited_through=i.get("recruited_through", ""),
        )
    for i in spec.get("informants", []):
        if i.get("recruited_via"):
            informant = informants[i["code"]]
            informant.recruited_via = informants[i["recruited_via"]]
            informant.save(update_fields=["recruited_via"])
    for criterion in spec.get("sampling_criteria", []):
        SamplingCriterion.objects.create(evaluation=evaluation, **criterion)
    for plan in spec.get("sampling_plan", []):
        SiteGroupPlan.objects.create(
            site=sites[plan["site"]],
            group=evaluation.informant_groups.get(code=plan["group"]),
            target=plan.get("target"),
            planned=plan.get("planned", True),
        )
    for spec_interview in spec.get("interviews", []):
        _interview(spec_interview, evaluation, leader, sites, members, informants)


def _interview(spec_interview, evaluation, leader, sites, members, informants) -> None:
    """An interview with its moderators, participants and their consent checklists."""
    date = spec_interview.get("date")
    if "in_days" in spec_interview:  # a planned interview stays in the future
        date = timezone.localdate() + datetime.timedelta(days=spec_interview["in_days"])
    moderators = [members[n] for n in spec_interview.get("moderators", []) if n in members]
    held = bool(spec_interview.get("transcript"))
    interview = Interview.objects.create(
        evaluation=evaluation,
        code=spec_interview["code"],
        kind=spec_interview["kind"],
        site=sites.get(spec_interview.get("site")),
        date=date,
        place=spec_interview.get("place", ""),
        status=Interview.Status.HELD if held else Interview.Status.PLANNED,
        moderator=moderators[0] if moderators else None,
        co_moderator=moderators[1] if len(moderators) > 1 else None,
    )
    for p in spec_interview.get("participants", []):
        informant = informants[p["informant"]]
        Participation.objects.create(
            interview=interview, informant=informant, speaker_code=p["speaker"]
        )
        if held:
            # Everyone consented in full, except where the demo shows a gap to follow up.
            complete = p.get("consent", "complete") == "complete"
            save_consent(
                leader,
                interview,
                informant,
                {
                    "brochure_given": True,
                    "oral_consent": True,
                    "recording_consent": True,
                    "informed_of_rights": complete,
                    "withdrawn_at": None,
                },
            )
    if held:
        version_for_interview(leader, interview)


@transaction.atomic
def _reports(evaluation, leader) -> None:
    """A process report for each site with approved texts: the last approved, the rest drafts.

    So the demo shows both states (Utkast, Godkjent) and what a commissioner sees.
    """
    sites = [
        site
        for site in evaluation.sites.order_by("order")
        if site.interviews.filter(
            transcripts__deidentified_texts__approved_at__isnull=False
        ).exists()
    ]
    reports = [create_process_report(leader, evaluation, site) for site in sites]
    if reports:
        approve_report(leader, reports[-1])


@transaction.atomic
def _transcript(spec, evaluation, interview_spec, leader) -> None:
    """Import, review (accept the engine's hits, as a reviewer who agrees would) and code."""
    interview = evaluation.interviews.get(code=interview_spec["code"])
    filename = interview_spec["transcript"]
    parsed = parse_text((DATA_DIR / "transcripts" / filename).read_text(encoding="utf-8"), filename)
    transcript = import_transcript(leader, interview, parsed, filename)
    pending = transcript.detections.filter(decision=Detection.Decision.PENDING)
    deid_actions.decide(leader, transcript, {d.pk: Detection.Decision.CONFIRMED for d in pending})
    deidentified = deid_actions.create_deidentified_text(leader, transcript)
    if interview_spec.get("approved"):
        approve_text(leader, deidentified)
    codes = {c.name: c for c in Code.objects.filter(evaluation=evaluation)}
    for segment in spec.get("coded_segments", []):
        if segment["interview"] != interview.code:
            continue
        try:
            start, end = locate_quote(deidentified.text, segment["quote"])
        except SegmentError:
            continue  # the engine hid a word inside this quote; a person would re-select it
        code_segment(
            leader,
            deidentified,
            codes[segment["theme"]],
            start,
            end,
            segment.get("polarity", "neutral"),
            segment.get("directness", "direct"),
        )
