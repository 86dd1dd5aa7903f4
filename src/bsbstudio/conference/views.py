"""Views of the dialogue conference (step 7)."""

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.web.listing import list_and_add

from .forms import ConferenceForm


@evaluation_view(Action.VIEW_WORK)
def conferences(request, evaluation):
    """The evaluation's dialogue conferences, planned and held."""
    return list_and_add(
        request,
        evaluation,
        form_class=ConferenceForm,
        queryset=evaluation.conferences.select_related("site"),
        edit_action=Action.EDIT_REPORT,
        template="conference/list.html",
        audit_action="conference.create",
        nav_active="reports",
    )
