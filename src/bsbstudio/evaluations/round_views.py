"""Views of rounds: start the next round (with a confirmation page), and compare with the last one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.errors import UserFacingError
from bsbstudio.web.messages import user_message

from . import rounds
from .models import Evaluation
from .short_names import ShortNameField


class NextRoundForm(forms.Form):
    """The name and short name of the next round."""

    name = forms.CharField(label=gettext_lazy("Name of the next round"), max_length=200)
    slug = ShortNameField(label=gettext_lazy("Short name of the next round"))

    def clean_slug(self):
        """The short name must be free."""
        slug = self.cleaned_data["slug"]
        if Evaluation.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("This short name is already used by another evaluation."))
        return slug


def _suggestion(evaluation, number: int) -> dict:
    name = _("%(name)s – round %(number)s") % {"name": evaluation.name, "number": number}
    base = slugify(f"{evaluation.slug}-{_('round')}-{number}")[:70] or f"round-{number}"
    slug, n = base, 1
    while Evaluation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return {"name": name[:200], "slug": slug}


@evaluation_view(Action.EDIT_PLAN)
def next_round(request, evaluation):
    """Ask for confirmation, then start the next round of this evaluation."""
    following = Evaluation.objects.filter(previous_round=evaluation).first()
    number = rounds.round_number(evaluation) + 1
    form = NextRoundForm(request.POST or None, initial=_suggestion(evaluation, number))
    if request.method == "POST" and following is None:
        if form.is_valid():
            try:
                new = rounds.start_next_round(
                    request.user, evaluation, form.cleaned_data["name"], form.cleaned_data["slug"]
                )
            except UserFacingError as error:
                messages.error(request, user_message(error))
            else:
                messages.success(
                    request,
                    _("Round %(number)s was started. The plan and the theme guide were copied.")
                    % {"number": number},
                )
                return redirect("evaluations:rounds", new.slug)
        else:
            messages.error(request, _("Nothing was saved. Correct the fields marked below."))
    return render(
        request,
        "evaluations/next_round.html",
        {
            "evaluation": evaluation,
            "form": form,
            "number": number,
            "following": following,
            "nav_active": "plan",
        },
    )


@evaluation_view(Action.VIEW_WORK)
def round_comparison(request, evaluation):
    """The round beside the last one: quotes per theme and site, and the last round's measures."""
    previous = evaluation.previous_round
    context = {
        "evaluation": evaluation,
        "number": rounds.round_number(evaluation),
        "previous": previous,
        "following": Evaluation.objects.filter(previous_round=evaluation).first(),
        "may_start": Action.EDIT_PLAN in request.bsb_actions,
        "nav_active": "plan",
    }
    if previous is not None:
        today = timezone.localdate()
        measures = (
            previous.measures.select_related("site")
            .prefetch_related("themes")
            .order_by("site__order", "site__name", "due", "id")
        )
        context.update(
            rows=rounds.comparison_rows(evaluation, previous),
            measures=[(m, m.is_overdue(today)) for m in measures],
            previous_number=rounds.round_number(previous),
        )
    return render(request, "evaluations/rounds.html", context)
