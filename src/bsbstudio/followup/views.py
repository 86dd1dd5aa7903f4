"""Views of follow-up (step 9)."""

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.web.listing import list_and_add

from .forms import MeasureForm


@evaluation_view(Action.VIEW_WORK)
def measures(request, evaluation):
    """The measures proposed and their status."""
    return list_and_add(
        request,
        evaluation,
        form_class=MeasureForm,
        queryset=evaluation.measures.select_related("site"),
        edit_action=Action.EDIT_PLAN,
        template="followup/list.html",
        audit_action="measure.create",
        nav_active="reports",
    )
