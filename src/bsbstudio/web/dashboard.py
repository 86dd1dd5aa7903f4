"""The evaluation dashboard: the BSB circle with each step's state, and the figures behind it."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.evaluations.engine.circle import Reason, circle_states
from bsbstudio.fieldwork.coverage import coverage
from bsbstudio.followup.summary import step_text as followup_step_text

from .progress import circle_counts, fieldwork_progress, informants_per_site

STEP_TEXT = {
    "plan": (_("Plan"), _("Mandate, sites, goals, problem statements and team")),
    "guide": (_("Theme guide"), _("Themes x informant groups, a question in each cell")),
    "fieldwork": (_("Fieldwork"), _("Informants, consent and interviews")),
    "transcripts": (_("Transcripts"), _("Transcription and de-identification")),
    "analysis": (_("Analysis"), _("Quotes coded by theme; the matrix")),
    "process_report": (_("Process report"), _("Main points and quotes per site")),
    "conference": (_("Dialogue conference"), _("Users, staff and managers discuss the findings")),
    "reports": (_("Final report"), _("Findings against the goals, recommendations")),
    "followup": (_("Follow-up"), _("Measures tracked; the next round compares")),
}
STATE_TEXT = {"done": _("Done"), "in_progress": _("In progress"), "not_started": _("Not started")}
STEP_URLS = {
    "plan": "evaluations:plan",
    "guide": "guide:grid",
    "fieldwork": "fieldwork:interviews",
    "transcripts": "transcripts:list",
    "analysis": "analysis:matrix",
    "process_report": "reports:list",
    "conference": "conference:list",
    "reports": "reports:final",
    "followup": "followup:list",
}
COMMISSIONER_STEPS = {"process_report", "conference", "reports", "followup"}
# The dashboard names this many reasons per step; the step's own page shows the rest.
REASONS_SHOWN = 5


def _lower_group(name: str) -> str:
    """A group name inside a sentence: "Pårørende" -> "pårørende" (an acronym stays as it is)."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _and_list(names) -> str:
    """Join names as "a", "a and b" or "a, b and c" in the active language."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return gettext("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def reason_text(reason: Reason) -> str:
    """Why a step is not done, as one plain sentence in the active language."""
    p = reason.params
    texts = {
        "plan_no_sites": lambda: gettext("No sites are set up."),
        "plan_no_goals": lambda: gettext("No goals of the service are written down."),
        "plan_no_problem_statements": lambda: gettext("No problem statements are written down."),
        "plan_no_members": lambda: gettext("Nobody is on the team."),
        "no_groups": lambda: gettext("No informant groups are set up."),
        "guide_no_themes": lambda: gettext("No themes are set up."),
        "guide_themes_without_question": lambda: (
            ngettext(
                "%(count)d theme has no question for any group.",
                "%(count)d themes have no question for any group.",
                p["count"],
            )
            % p
        ),
        "guide_groups_without_question": lambda: (
            ngettext(
                "%(count)d informant group has no question yet.",
                "%(count)d informant groups have no question yet.",
                p["count"],
            )
            % p
        ),
        "no_interviews_held": lambda: gettext("No interview has been held yet."),
        "site_no_interviews": lambda: gettext("%(site)s: no interviews yet") % p,
        "site_groups_missing": lambda: (
            gettext("%(site)s: no %(groups)s interviewed")
            % {"site": p["site"], "groups": _and_list(_lower_group(g) for g in p["groups"])}
        ),
        "groups_missing": lambda: (
            gettext("No %(groups)s interviewed")
            % {"groups": _and_list(_lower_group(g) for g in p["groups"])}
        ),
        "interviews_planned": lambda: (
            ngettext(
                "%(count)d interview is still planned, not held.",
                "%(count)d interviews are still planned, not held.",
                p["count"],
            )
            % p
        ),
        "held_without_participants": lambda: (
            ngettext(
                "%(codes)s is held, but nobody is registered as taking part.",
                "%(codes)s are held, but nobody is registered as taking part.",
                p["count"],
            )
            % {"codes": _and_list(p["codes"])}
        ),
        "consent_gaps": lambda: (
            ngettext(
                "%(count)d participant lacks a complete consent checklist.",
                "%(count)d participants lack a complete consent checklist.",
                p["count"],
            )
            % p
        ),
        "transcripts_missing": lambda: (
            ngettext(
                "%(count)d interview that took place has no transcript yet.",
                "%(count)d interviews that took place have no transcript yet.",
                p["count"],
            )
            % p
        ),
        "transcripts_raw": lambda: (
            ngettext(
                "%(count)d transcript is not de-identified yet.",
                "%(count)d transcripts are not de-identified yet.",
                p["count"],
            )
            % p
        ),
        "texts_unapproved": lambda: (
            ngettext(
                "%(count)d de-identified text is waiting for review and approval.",
                "%(count)d de-identified texts are waiting for review and approval.",
                p["count"],
            )
            % p
        ),
        "no_approved_texts": lambda: gettext("No de-identified text is approved yet."),
        "texts_uncoded": lambda: (
            ngettext(
                "%(count)d approved text has no coded quotes yet.",
                "%(count)d approved texts have no coded quotes yet.",
                p["count"],
            )
            % p
        ),
        "themes_without_material": lambda: (
            ngettext(
                "No quotes coded to the theme %(themes)s yet.",
                "No quotes coded to the themes %(themes)s yet.",
                len(p["themes"]),
            )
            % {"themes": _and_list(p["themes"])}
        ),
        "site_process_report_missing": lambda: (
            gettext("%(site)s: no approved process report yet") % p
        ),
        "process_reports_missing": lambda: (
            ngettext(
                "%(count)d site has no approved process report yet.",
                "%(count)d sites have no approved process report yet.",
                p["count"],
            )
            % p
        ),
        "no_conference": lambda: gettext("No dialogue conference is planned yet."),
        "conference_minutes_missing": lambda: (
            ngettext(
                "%(count)d site has no conference with approved minutes yet.",
                "%(count)d sites have no conference with approved minutes yet.",
                p["count"],
            )
            % p
        ),
        "no_final_report": lambda: gettext("The final report is not started."),
        "final_report_not_approved": lambda: gettext(
            "The final report is not approved (or was changed after it was approved)."
        ),
        "no_measures": lambda: gettext("No measures are written down yet."),
        "measures_open": lambda: (
            ngettext(
                "%(count)d measure is neither done nor dropped.",
                "%(count)d measures are neither done nor dropped.",
                p["count"],
            )
            % p
        ),
        "targets_short": lambda: (
            ngettext(
                "%(count)d sampling target is not reached.",
                "%(count)d sampling targets are not reached.",
                p["count"],
            )
            % p
        ),
    }
    return texts[reason.kind]()


@evaluation_view(Action.VIEW_DASHBOARD)
def dashboard(request, evaluation):
    """Show where the evaluation stands in the circle and lead into each step."""
    grid = coverage(evaluation)
    fieldwork = fieldwork_progress(evaluation, grid)
    counts = circle_counts(evaluation, grid, fieldwork)
    sees_work = Action.VIEW_WORK in request.bsb_actions
    steps = []
    for step in circle_states(counts):
        title, description = STEP_TEXT[step.key]
        if step.key == "conference" and step.state == "in_progress":
            description = _(
                "%(done)d of %(sites)d sites have held a conference with approved minutes."
            ) % {"done": counts.sites_with_approved_conference, "sites": max(counts.sites, 1)}
        if step.key == "followup":
            description = followup_step_text(evaluation)
        if step.key == "analysis" and sees_work:
            from bsbstudio.analysis.condensation_views import dashboard_line

            description = " ".join(filter(None, [str(description), dashboard_line(evaluation)]))
        url_name = STEP_URLS.get(step.key)
        if url_name and (sees_work or step.key in COMMISSIONER_STEPS):
            url = reverse(url_name, args=[evaluation.slug])
        else:
            url = None
        reasons = [reason_text(r) for r in step.reasons] if sees_work else []
        steps.append(
            {
                "number": step.number,
                "key": step.key,
                "state": step.state,
                "state_text": STATE_TEXT[step.state],
                "title": title,
                "description": description,
                "url": url,
                "reasons": reasons[:REASONS_SHOWN],
                "more_reasons": len(reasons) - REASONS_SHOWN if len(reasons) > REASONS_SHOWN else 0,
            }
        )
    per_site = informants_per_site(evaluation) if sees_work else []
    most = max((n for _name, n in per_site), default=0)
    return render(
        request,
        "web/dashboard.html",
        {
            "evaluation": evaluation,
            "steps": steps,
            "counts": counts,
            "nav_active": "dashboard",
            "sees_work": sees_work,
            "fieldwork": fieldwork if sees_work else None,
            "coverage": grid if sees_work else None,
            "per_site": [(name, n, round(100 * n / most) if most else 0) for name, n in per_site],
        },
    )
