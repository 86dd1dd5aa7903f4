"""Where an evaluation stands in the BSB circle, computed from counts of its data.

Each of the nine steps is "done", "in_progress" or "not_started". The rules are deliberately
simple and visible here, so that a process leader can be told exactly why a step shows as it does:
a step that is not done carries its ``reasons`` (a kind and the names and numbers that fill its
sentence; the web layer words them). A step is never "done" on an absence of data: fieldwork, for
instance, needs groups, and a held interview with participants for every group at every site.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"

STEP_KEYS = (
    "plan",
    "guide",
    "fieldwork",
    "transcripts",
    "analysis",
    "process_report",
    "conference",
    "reports",
    "followup",
)


@dataclass(frozen=True)
class CircleCounts:
    """The numbers the step states are computed from."""

    sites: int = 0
    goals: int = 0
    problem_statements: int = 0
    members: int = 0
    themes: int = 0
    groups: int = 0
    # A guide may leave cells empty (a theme asked of staff only), so the guide is judged by
    # themes and groups: each theme (or a sub-theme of it) and each group has a question.
    themes_with_question: int = 0
    groups_with_question: int = 0
    informants: int = 0
    interviews: int = 0  # not counting cancelled ones
    interviews_held: int = 0  # marked held, or with a transcript
    interviews_with_transcript: int = 0
    interviews_deidentified: int = 0
    deidentified_texts_coded: int = 0
    coded_segments: int = 0
    sites_with_process_report: int = 0
    conferences: int = 0
    conferences_held: int = 0
    sites_with_approved_conference: int = 0  # a conference across all sites counts for every site
    final_reports: int = 0
    final_reports_approved: int = 0  # in the approved state now (an edit makes it a draft)
    measures: int = 0
    measures_closed: int = 0  # done or dropped
    # Fieldwork coverage, by name: every group is planned at every site.
    site_names: tuple[str, ...] = ()
    group_names: tuple[str, ...] = ()
    # (site, group) where a held interview had a participant of the group from the site.
    covered: frozenset[tuple[str, str]] = frozenset()
    sites_interviewed: frozenset[str] = frozenset()  # sites with at least one held interview
    # (site, group) the sampling plan leaves out: not a gap, and no interview needed for it.
    not_planned: frozenset[tuple[str, str]] = frozenset()
    interviews_held_with_participants: int = 0
    held_without_participants: tuple[str, ...] = ()  # interview codes, for the reason
    consent_gaps: int = 0  # participants of interviews that took place, checklist incomplete
    targets_short: int = 0  # sampling targets not reached (criteria and the cells' own targets)
    # Step 4, from the newest transcript of each interview that took place: none yet, not
    # de-identified yet, de-identified but not reviewed and approved, approved.
    transcripts_missing: int = 0
    transcripts_raw: int = 0
    texts_unapproved: int = 0
    texts_approved: int = 0
    # Step 5: guide themes (top level; a sub-theme's quotes count for its parent) with no quote.
    themes_without_material: tuple[str, ...] = ()
    # Step 6: sites with an approved process report, and the names of those without one (none
    # written, or a draft), for the reasons.
    sites_with_approved_process_report: int = 0
    sites_without_approved_process_report: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reason:
    """Why a step is not done: ``kind`` names the sentence, ``params`` fills it."""

    kind: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class StepState:
    """One step of the circle, its state, and why it is not done (empty when done)."""

    number: int
    key: str
    state: str
    reasons: tuple[Reason, ...] = ()


def _state(started: bool, done: bool) -> str:
    if done:
        return DONE
    return IN_PROGRESS if started else NOT_STARTED


def circle_states(c: CircleCounts) -> list[StepState]:
    """Return the state of each of the nine steps, in the order of the circle."""
    states = [
        # 1 Plan: the evaluation exists, so planning has begun.
        _state(True, c.sites > 0 and c.goals > 0 and c.problem_statements > 0 and c.members > 0),
        # 2 Theme guide: every theme is asked of some group, and every group is asked something.
        _state(c.themes > 0 or c.groups > 0, not guide_reasons(c)),
        # 3 Fieldwork: see ``fieldwork_reasons``; done only when it finds nothing missing.
        _state(
            c.informants > 0 or c.interviews > 0,
            c.interviews > 0 and not fieldwork_reasons(c),
        ),
        # 4 Transcripts and de-identification: see ``transcript_reasons``.
        _state(
            c.interviews_with_transcript > 0,
            c.interviews_held > 0 and not transcript_reasons(c),
        ),
        # 5 Analysis: see ``analysis_reasons``.
        _state(c.coded_segments > 0, c.texts_approved > 0 and not analysis_reasons(c)),
        # 6 Process report: an approved one for every site.
        _state(
            c.sites_with_process_report > 0,
            c.sites > 0 and c.sites_with_approved_process_report >= c.sites,
        ),
        # 7 Dialogue conference: every site has held one whose minutes the process leader approved.
        _state(
            c.conferences > 0,
            c.conferences > 0 and c.sites_with_approved_conference >= max(c.sites, 1),
        ),
        # 8 Reports: the final report is started, then approved by a process leader.
        _state(c.final_reports > 0, c.final_reports_approved > 0),
        # 9 Follow-up: at least one measure, and every measure done or dropped.
        _state(c.measures > 0, c.measures > 0 and c.measures_closed >= c.measures),
    ]
    reasons = {
        "plan": plan_reasons(c),
        "guide": guide_reasons(c),
        "fieldwork": fieldwork_reasons(c),
        "transcripts": transcript_reasons(c),
        "analysis": analysis_reasons(c),
        "process_report": process_report_reasons(c),
        "conference": conference_reasons(c),
        "reports": final_report_reasons(c),
        "followup": followup_reasons(c),
    }
    return [
        StepState(number, key, state, tuple(reasons.get(key, ())) if state != DONE else ())
        for number, (key, state) in enumerate(zip(STEP_KEYS, states, strict=True), start=1)
    ]


def plan_reasons(c: CircleCounts) -> list[Reason]:
    """What the plan still lacks: sites, goals, problem statements, a team."""
    missing = [
        name
        for name, n in (
            ("sites", c.sites),
            ("goals", c.goals),
            ("problem_statements", c.problem_statements),
            ("members", c.members),
        )
        if n == 0
    ]
    return [Reason(f"plan_no_{name}") for name in missing]


def guide_reasons(c: CircleCounts) -> list[Reason]:
    """What the theme guide lacks: themes, groups, a question for each theme and each group."""
    reasons = []
    if not c.themes:
        reasons.append(Reason("guide_no_themes"))
    elif c.themes_with_question < c.themes:
        reasons.append(
            Reason("guide_themes_without_question", {"count": c.themes - c.themes_with_question})
        )
    if not c.groups:
        reasons.append(Reason("no_groups"))
    elif c.groups_with_question < c.groups:
        reasons.append(
            Reason("guide_groups_without_question", {"count": c.groups - c.groups_with_question})
        )
    return reasons


def fieldwork_reasons(c: CircleCounts) -> list[Reason]:
    """Everything that keeps fieldwork from being done, in the order to act on it.

    The method asks for: informant groups set up; at every site, at least one held interview,
    and among the held interviews' participants someone of every group the plan asks for at
    that site (a group marked "not planned" there is not missing; an
    evaluation without sites needs every group somewhere); no interview left planned; every held
    interview with its participants registered; every participant's consent checklist complete
    (or their withdrawal recorded); and the sampling targets that were set, reached.
    """
    reasons: list[Reason] = []
    if not c.group_names:
        reasons.append(Reason("no_groups"))
    if c.interviews_held == 0:
        reasons.append(Reason("no_interviews_held"))
    for site in c.site_names if c.interviews_held else ():
        planned = [g for g in c.group_names if (site, g) not in c.not_planned]
        if not planned:
            continue  # the plan asks for nobody at this site
        if site not in c.sites_interviewed:
            reasons.append(Reason("site_no_interviews", {"site": site}))
            continue
        missing = [g for g in planned if (site, g) not in c.covered]
        if missing:
            reasons.append(Reason("site_groups_missing", {"site": site, "groups": missing}))
    if not c.site_names and c.interviews_held:
        seen = {group for _site, group in c.covered}
        missing = [g for g in c.group_names if g not in seen]
        if missing:
            reasons.append(Reason("groups_missing", {"groups": missing}))
    still_planned = c.interviews - c.interviews_held
    if still_planned > 0:
        reasons.append(Reason("interviews_planned", {"count": still_planned}))
    if c.interviews_held_with_participants < c.interviews_held:
        reasons.append(
            Reason(
                "held_without_participants",
                {
                    "codes": list(c.held_without_participants),
                    "count": c.interviews_held - c.interviews_held_with_participants,
                },
            )
        )
    if c.consent_gaps:
        reasons.append(Reason("consent_gaps", {"count": c.consent_gaps}))
    if c.targets_short:
        reasons.append(Reason("targets_short", {"count": c.targets_short}))
    return reasons


def transcript_reasons(c: CircleCounts) -> list[Reason]:
    """What keeps step 4 open (transcription and de-identification).

    Every held interview needs a transcript whose de-identified text a person reviewed and
    approved; an unreviewed text is not done.
    """
    reasons = []
    if c.interviews_held == 0:
        reasons.append(Reason("no_interviews_held"))
    if c.transcripts_missing:
        reasons.append(Reason("transcripts_missing", {"count": c.transcripts_missing}))
    if c.transcripts_raw:
        reasons.append(Reason("transcripts_raw", {"count": c.transcripts_raw}))
    if c.texts_unapproved:
        reasons.append(Reason("texts_unapproved", {"count": c.texts_unapproved}))
    return reasons


def analysis_reasons(c: CircleCounts) -> list[Reason]:
    """What keeps step 5 open: an approved text without coded quotes, a guide theme with none."""
    reasons = []
    if c.texts_approved == 0:
        reasons.append(Reason("no_approved_texts"))
    elif c.deidentified_texts_coded < c.texts_approved:
        reasons.append(
            Reason("texts_uncoded", {"count": c.texts_approved - c.deidentified_texts_coded})
        )
    if c.themes_without_material:
        reasons.append(
            Reason("themes_without_material", {"themes": list(c.themes_without_material)})
        )
    return reasons


def process_report_reasons(c: CircleCounts) -> list[Reason]:
    """Sites whose process report is not written or not approved."""
    if not c.sites:
        return [Reason("plan_no_sites")]
    reasons = [
        Reason("site_process_report_missing", {"site": site})
        for site in c.sites_without_approved_process_report
    ]
    missing = c.sites - c.sites_with_approved_process_report
    if missing > 0 and not reasons:
        reasons.append(Reason("process_reports_missing", {"count": missing}))
    return reasons


def conference_reasons(c: CircleCounts) -> list[Reason]:
    """What keeps step 7 open: no conference, or sites without approved minutes."""
    if not c.conferences:
        return [Reason("no_conference")]
    missing = max(c.sites, 1) - c.sites_with_approved_conference
    return [Reason("conference_minutes_missing", {"count": missing})] if missing > 0 else []


def final_report_reasons(c: CircleCounts) -> list[Reason]:
    """What keeps step 8 open: no final report, or one not (or no longer) approved."""
    if not c.final_reports:
        return [Reason("no_final_report")]
    if not c.final_reports_approved:
        return [Reason("final_report_not_approved")]
    return []


def followup_reasons(c: CircleCounts) -> list[Reason]:
    """What keeps step 9 open: no measures, or measures neither done nor dropped."""
    if not c.measures:
        return [Reason("no_measures")]
    open_measures = c.measures - c.measures_closed
    return [Reason("measures_open", {"count": open_measures})] if open_measures > 0 else []
