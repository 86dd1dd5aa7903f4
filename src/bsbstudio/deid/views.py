"""Views of de-identification: review the hits in a raw transcript, and the names to hide."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.confidentiality import raw_material_view
from bsbstudio.accounts.policy import Action
from bsbstudio.transcripts.models import Transcript
from bsbstudio.web.highlight import split_marks

from . import actions, plain
from .forms import DecisionsForm, ProtectedTermForm, RemoveTermForm
from .models import Detection


@raw_material_view(Action.REVIEW_DEID)
def review(request, evaluation, pk):
    """Confirm or reject each name or detail (every mention at once), then create the text."""
    transcript = get_object_or_404(Transcript, pk=pk, interview__evaluation=evaluation)
    if request.method == "POST":
        return _review_post(request, evaluation, transcript)
    record(request.user, "transcript.raw.view", transcript, evaluation, page="deid.review")
    detections = list(transcript.detections.all())
    entities = plain.group(detections, transcript.raw_text)
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
            "entities": entities,
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
                ngettext(
                    "%(n)d mention was marked to hide, and the name was added to the list.",
                    "%(n)d mentions were marked to hide, and the name was added to the list.",
                    n,
                )
                % {"n": n},
            )
        else:
            _form_errors(request, form)
        return redirect("deid:review", evaluation.slug, transcript.pk)
    detections = list(transcript.detections.all())
    form = DecisionsForm(
        request.POST,
        detections=detections,
        entities=plain.group(detections, transcript.raw_text),
    )
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("deid:review", evaluation.slug, transcript.pk)
    decisions = form.decisions()
    kept = form.kept_entity()
    if kept is not None:
        try:
            actions.keep_term(request.user, evaluation, kept.text)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("deid:review", evaluation.slug, transcript.pk)
        messages.success(
            request,
            _("«%(text)s» is kept everywhere and will not be marked in new transcripts.")
            % {"text": kept.text},
        )
    if "confirm_rest" in request.POST:
        for d in transcript.detections.filter(decision=Detection.Decision.PENDING):
            decisions.setdefault(d.pk, Detection.Decision.CONFIRMED)
    actions.decide(request.user, transcript, decisions, form.replacements())
    if "create_text" in request.POST:
        if (
            len(transcript.raw_text) > settings.JOBS_DEID_CHARS
            and not transcript.detections.filter(decision=Detection.Decision.PENDING).exists()
        ):
            from .jobs import start_create_text  # a long text: made in the background

            return redirect(start_create_text(request.user, transcript).get_absolute_url())
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


def _form_errors(request, form) -> None:
    """Each error of an invalid form as a message (the page is redirected to, not re-rendered)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@raw_material_view(Action.VIEW_RAW)
def names(request, evaluation):
    """The evaluation's own list of names (people, places, services) to hide everywhere.

    The list is raw material (it is the names themselves): it takes a role that may see raw
    material and a signed declaration, every viewing is audited, and changing it takes the
    reviewer's role as well.
    """
    editable = Action.REVIEW_DEID in request.bsb_actions
    form = ProtectedTermForm() if editable else None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if "remove" in request.POST:
            remove = RemoveTermForm(request.POST, evaluation=evaluation)
            if remove.is_valid():
                actions.remove_protected_term(request.user, remove.cleaned_data["remove"])
                messages.success(request, _("The name was removed from the list."))
            else:
                _form_errors(request, remove)
            return redirect("deid:names", evaluation.slug)
        form = ProtectedTermForm(request.POST)
        if form.is_valid():
            actions.add_protected_term(
                request.user, evaluation, form.cleaned_data["text"], form.cleaned_data["kind"]
            )
            messages.success(
                request, _("The name was added. It will be flagged in transcripts from now on.")
            )
            return redirect("deid:names", evaluation.slug)
    terms = list(evaluation.protected_terms.order_by("kind", "text", "pk"))
    # Every rendering shows the list, the re-rendered invalid post included, so every one is
    # audited. The detail counts the names; it never repeats them.
    record(request.user, "deid.names.view", None, evaluation, terms=len(terms))
    return render(
        request,
        "deid/names.html",
        {
            "evaluation": evaluation,
            "terms": terms,
            "form": form,
            "editable": editable,
            "nav_active": "plan",
        },
    )
