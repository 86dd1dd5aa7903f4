"""Views of inter-coder agreement: start blind double coding, compare the two coders, resolve, close."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bsbstudio.accounts.policy import ROLE_ACTIONS, Action, evaluation_view
from bsbstudio.errors import UserFacingError
from bsbstudio.guide.forms import parse_id
from bsbstudio.transcripts.models import DeidentifiedText
from bsbstudio.web.messages import user_message

from . import agreement
from .models import AgreementResolution, Code, CodedSegment, DoubleCoding

CODING_ROLES = [role for role, allowed in ROLE_ACTIONS.items() if Action.CODE in allowed]


class CoderChoiceField(forms.ModelChoiceField):
    """A member who may code, named as people know them."""

    def label_from_instance(self, user):
        """The coder's full name (or username)."""
        return agreement.coder_name(user)


class TextChoiceField(forms.ModelChoiceField):
    """A de-identified text, named by its interview and version."""

    def label_from_instance(self, text):
        """The interview's code and the text's version."""
        return f"{text.transcript.interview.code} (v{text.version})"


class StartDoubleCodingForm(forms.Form):
    """Which de-identified text, and which two members code it."""

    text = TextChoiceField(label=gettext_lazy("Text"), queryset=None)
    coder_a = CoderChoiceField(label=gettext_lazy("First coder"), queryset=None)
    coder_b = CoderChoiceField(label=gettext_lazy("Second coder"), queryset=None)

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].queryset = (
            DeidentifiedText.objects.filter(transcript__interview__evaluation=evaluation)
            .select_related("transcript__interview")
            .order_by("transcript__interview__code", "-version")
        )
        coders = (
            get_user_model()
            .objects.filter(memberships__evaluation=evaluation, memberships__role__in=CODING_ROLES)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["coder_a"].queryset = coders
        self.fields["coder_b"].queryset = coders


@evaluation_view(Action.MANAGE_AGREEMENT)
def index(request, evaluation):
    """The double codings of the evaluation, and a form to start one."""
    initial = {"text": parse_id(request.GET.get("text", ""))}
    form = StartDoubleCodingForm(request.POST or None, evaluation=evaluation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            double_coding = agreement.start(
                request.user, evaluation, data["text"], data["coder_a"], data["coder_b"]
            )
        except UserFacingError as error:
            form.add_error(None, user_message(error))
        else:
            messages.success(
                request,
                _(
                    "Double coding started. Each of the two coders now sees only their own quotes on the text."
                ),
            )
            return redirect("analysis:agreement_detail", evaluation.slug, double_coding.pk)
    double_codings = DoubleCoding.objects.filter(
        text__transcript__interview__evaluation=evaluation
    ).select_related("text__transcript__interview", "coder_a", "coder_b")
    return render(
        request,
        "analysis/agreement_list.html",
        {
            "evaluation": evaluation,
            "form": form,
            "double_codings": double_codings,
            "nav_active": "analysis",
        },
    )


@evaluation_view(Action.MANAGE_AGREEMENT)
def detail(request, evaluation, pk):
    """One double coding: its state; once compared, the figures per theme and the disagreements."""
    double_coding = get_object_or_404(
        DoubleCoding.objects.select_related("text__transcript__interview", "coder_a", "coder_b"),
        pk=pk,
        text__transcript__interview__evaluation=evaluation,
    )
    if request.method == "POST":
        _act(request, double_coding)
        return redirect("analysis:agreement_detail", evaluation.slug, double_coding.pk)
    names = (
        agreement.coder_name(double_coding.coder_a),
        agreement.coder_name(double_coding.coder_b),
    )
    codes = {c.pk: c for c in Code.objects.filter(evaluation=evaluation)}
    context = {
        "evaluation": evaluation,
        "double_coding": double_coding,
        "name_a": names[0],
        "name_b": names[1],
        "counts": [
            CodedSegment.objects.filter(text=double_coding.text, created_by=coder).count()
            if coder
            else 0
            for coder in (double_coding.coder_a, double_coding.coder_b)
        ],
        "choices": AgreementResolution.Choice,
        "nav_active": "analysis",
    }
    if double_coding.compared_at:
        figures = double_coding.figures
        context["rows"] = [
            (codes.get(t["code"]), (t["characters"], t["segments"]))
            for t in figures.get("themes", [])
        ]
        context["unused"] = len(figures.get("unused", []))
        context["disagreements"] = _disagreements(double_coding, codes)
    return render(request, "analysis/agreement_detail.html", context)


def _disagreements(double_coding, codes) -> list[dict]:
    """The unsettled disagreements, each with both coders' quotes side by side."""
    found, _matches = agreement.current_passages(double_coding)
    ids = [pk for d in found for pk in (*d.a_ids, *d.b_ids)]
    segments = CodedSegment.objects.in_bulk(ids)
    return [
        {
            "code": codes.get(d.theme),
            "start": d.start,
            "end": d.end,
            "a": [segments[pk] for pk in d.a_ids],
            "b": [segments[pk] for pk in d.b_ids],
        }
        for d in found
    ]


def _act(request, double_coding) -> None:
    """Run the button pressed (compare, resolve, close) and say how it went."""
    operation = request.POST.get("op", "")
    try:
        if operation == "compare":
            agreement.open_comparison(request.user, double_coding)
            messages.success(
                request, _("The comparison is open. Both coders now see each other's quotes.")
            )
        elif operation == "resolve":
            code_id, start, end = (
                parse_id(request.POST.get(name, "")) for name in ("code", "start", "end")
            )
            if None in (code_id, start, end):
                messages.error(request, _("That disagreement was not found. Nothing was changed."))
                return
            agreement.resolve(
                request.user, double_coding, code_id, start, end, request.POST.get("choice", "")
            )
            messages.success(request, _("The disagreement is resolved."))
        elif operation == "close":
            agreement.close(request.user, double_coding)
            messages.success(
                request,
                _("The double coding is closed. Every member sees all quotes on the text again."),
            )
        else:
            messages.error(request, _("Choose what to do. Nothing was changed."))
    except UserFacingError as error:
        messages.error(request, user_message(error))
