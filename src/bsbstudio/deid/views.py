"""Views of de-identification: review the hits in a raw transcript, and the names to hide."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.confidentiality import raw_material_view
from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.transcripts.models import Transcript
from bsbstudio.web.highlight import split_marks

from . import actions
from .forms import ProtectedTermForm
from .models import Detection, ProtectedTerm


@raw_material_view(Action.REVIEW_DEID)
def review(request, evaluation, pk):
    """Confirm or reject each hit, add missed names, then create the de-identified text."""
    transcript = get_object_or_404(Transcript, pk=pk, interview__evaluation=evaluation)
    if request.method == "POST":
        return _review_post(request, evaluation, transcript)
    record(request.user, "transcript.raw.view", transcript, evaluation, page="deid.review")
    detections = list(transcript.detections.all())
    turns = [
        (turn, split_marks(transcript.raw_text, turn.start, turn.end, detections))
        for turn in transcript.turns.all()
    ]
    pending = sum(1 for d in detections if d.decision == Detection.Decision.PENDING)
    return render(
        request,
        "deid/review.html",
        {
            "evaluation": evaluation,
            "transcript": transcript,
            "turns": turns,
            "detections": detections,
            "pending": pending,
            "name_form": ProtectedTermForm(),
            "deidentified": transcript.deidentified_texts.first(),
            "nav_active": "transcripts",
        },
    )


def _review_post(request, evaluation, transcript):
    if "add_name" in request.POST:
        form = ProtectedTermForm(request.POST)
        if form.is_valid():
            n = actions.hide_missed_name(
                request.user, transcript, form.cleaned_data["text"], form.cleaned_data["kind"]
            )
            messages.success(
                request,
                _("%(n)d mentions were marked to hide, and the name was added to the list.")
                % {"n": n},
            )
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return redirect("deid:review", evaluation.slug, transcript.pk)
    decisions = {}
    for key, value in request.POST.items():
        if key.startswith("decision_") and key[9:].isdigit():
            decisions[int(key[9:])] = value
    if "confirm_rest" in request.POST:
        for d in transcript.detections.filter(decision=Detection.Decision.PENDING):
            decisions.setdefault(d.pk, Detection.Decision.CONFIRMED)
    actions.decide(request.user, transcript, decisions)
    if "create_text" in request.POST:
        try:
            deidentified = actions.create_deidentified_text(request.user, transcript)
        except actions.ReviewIncomplete:
            messages.error(
                request,
                _(
                    "Every hit must be confirmed or rejected before the de-identified text can be made."
                ),
            )
            return redirect("deid:review", evaluation.slug, transcript.pk)
        messages.success(
            request,
            _(
                "The de-identified text was created. Read it through and approve it, or code quotes."
            ),
        )
        return redirect("transcripts:text", evaluation.slug, deidentified.pk)
    messages.success(request, _("The decisions were saved."))
    return redirect("deid:review", evaluation.slug, transcript.pk)


@evaluation_view(Action.VIEW_WORK)
def names(request, evaluation):
    """The evaluation's own list of names (people, places, services) to hide everywhere."""
    editable = Action.REVIEW_DEID in request.bsb_actions
    form = ProtectedTermForm(request.POST or None) if editable else None
    if request.method == "POST" and editable:
        if "remove" in request.POST:
            term = get_object_or_404(
                ProtectedTerm, pk=request.POST["remove"], evaluation=evaluation
            )
            record(request.user, "deid.name.remove", term, evaluation)
            term.delete()
            return redirect("deid:names", evaluation.slug)
        if form.is_valid():
            term, created = ProtectedTerm.objects.get_or_create(
                evaluation=evaluation,
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
            )
            if created:
                record(request.user, "deid.name.add", term, evaluation)
            messages.success(
                request, _("The name was added. It will be flagged in transcripts from now on.")
            )
            return redirect("deid:names", evaluation.slug)
    return render(
        request,
        "deid/names.html",
        {
            "evaluation": evaluation,
            "terms": evaluation.protected_terms.all(),
            "form": form,
            "editable": editable,
            "nav_active": "plan",
        },
    )
