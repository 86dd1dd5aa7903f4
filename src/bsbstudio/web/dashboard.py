"""The evaluation dashboard: the BSB circle with each step's state, and the figures behind it."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.evaluations.engine.circle import circle_states
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


@evaluation_view(Action.VIEW_DASHBOARD)
def dashboard(request, evaluation):
    """Show where the evaluation stands in the circle and lead into each step."""
    counts = circle_counts(evaluation)
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
        steps.append(
            {
                "number": step.number,
                "key": step.key,
                "state": step.state,
                "state_text": STATE_TEXT[step.state],
                "title": title,
                "description": description,
                "url": url,
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
            "fieldwork": fieldwork_progress(evaluation) if sees_work else None,
            "per_site": [(name, n, round(100 * n / most) if most else 0) for name, n in per_site],
        },
    )
