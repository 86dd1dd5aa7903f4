"""Forms of de-identification review: the names to hide, and the decision on each hit.

Ids sent by the browser are never parsed by hand here: a form only accepts the ids of objects it
was given, so a made-up, non-numeric or oversized id is a clear message and never a server error.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Detection, ProtectedTerm


class ProtectedTermForm(forms.Form):
    """A name the evaluation must hide wherever it appears."""

    text = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProtectedTerm.Kind.choices)

    def clean_text(self):
        """Names of fewer than two letters would hide too much."""
        text = self.cleaned_data["text"].strip()
        if len(text) < 2:
            raise forms.ValidationError(_("Write at least two letters."))
        return text


class RemoveTermForm(forms.Form):
    """Which name to take off the list: one of this evaluation's own (the button's ``remove``)."""

    remove = forms.ModelChoiceField(
        queryset=ProtectedTerm.objects.none(),
        error_messages={
            "invalid_choice": _("That name is not on the list. It may already have been removed.")
        },
    )

    def __init__(self, *args, evaluation, **kwargs):
        """Offer only the evaluation's terms, so another evaluation's id is not found."""
        super().__init__(*args, **kwargs)
        self.fields["remove"].queryset = ProtectedTerm.objects.filter(evaluation=evaluation)


class DecisionsForm(forms.Form):
    """Hide or Keep for the hits of one transcript, per entity or per hit.

    The review page sends one choice per entity (``entity_<first hit id>``); a choice per hit
    (``decision_<hit id>``) is accepted too. A quasi-identifier with a category ("YRKE") is
    hidden by "category" ("[YRKE]") or "ellipsis" ("…") as well as by "confirmed" (its category).

    The fields are made from the transcript's own hits and their grouping by entity
    (``bsbstudio.deid.plain.group``). A posted ``decision_…`` or ``entity_…`` that matches none of
    them (another transcript's hit, one deleted by a new scan, or not a number at all) makes the
    whole form invalid, so a stale or forged page saves nothing rather than half of it.
    """

    PREFIX = "decision_"
    ENTITY_PREFIX = "entity_"
    STALE = _(
        "Nothing was saved: some choices were for hits that are not in this transcript "
        "(any more). Open the page again and choose once more."
    )

    def __init__(self, *args, detections, entities=(), **kwargs):
        """Build one optional choice per hit and one per entity."""
        super().__init__(*args, **kwargs)
        choices = [
            (Detection.Decision.CONFIRMED, _("Hide")),
            (Detection.Decision.REJECTED, _("Keep")),
        ]
        generalised = choices + [(value, value) for value in Detection.Replacement.values]
        self.hits = {f"{self.PREFIX}{d.pk}": d for d in detections}
        self.entities = {f"{self.ENTITY_PREFIX}{e.key}": e for e in entities}
        for name, hit in self.hits.items():
            offered = generalised if hit.label == "QUASI" and hit.category else choices
            self.fields[name] = forms.ChoiceField(choices=offered, required=False)
        for name, entity in self.entities.items():
            offered = generalised if entity.category else choices
            self.fields[name] = forms.ChoiceField(choices=offered, required=False)
        # "Keep every mention": the button's value names the entity to put on the keep list.
        self.fields["keep_entity"] = forms.TypedChoiceField(
            choices=[(e.key, e.text) for e in entities],
            coerce=int,
            required=False,
            error_messages={"invalid_choice": self.STALE},
        )

    def clean(self):
        """Refuse choices for hits or entities that are not in this transcript."""
        cleaned = super().clean()
        if any(
            (key.startswith(self.PREFIX) and key not in self.hits)
            or (key.startswith(self.ENTITY_PREFIX) and key not in self.entities)
            for key in self.data
        ):
            raise forms.ValidationError(self.STALE)
        return cleaned

    def kept_entity(self):
        """The entity whose "Keep every mention" button was pressed, if any."""
        key = self.cleaned_data.get("keep_entity")
        return self.entities[f"{self.ENTITY_PREFIX}{key}"] if key not in (None, "") else None

    def _choices(self) -> dict[int, str]:
        """``{hit id: choice}``: an entity's choice for each mention, a hit's own choice over it."""
        chosen: dict[int, str] = {}
        for name, entity in self.entities.items():
            if self.cleaned_data.get(name):
                chosen.update({hit.pk: self.cleaned_data[name] for hit in entity.hits})
        for name, hit in self.hits.items():
            if self.cleaned_data.get(name):
                chosen[hit.pk] = self.cleaned_data[name]
        kept = self.kept_entity()
        if kept is not None:
            chosen.update({hit.pk: Detection.Decision.REJECTED for hit in kept.hits})
        return chosen

    def decisions(self) -> dict[int, str]:
        """``{hit id: decision}``; "[YRKE]" and "…" both hide the hit."""
        return {
            pk: Detection.Decision.CONFIRMED if choice in Detection.Replacement.values else choice
            for pk, choice in self._choices().items()
        }

    def replacements(self) -> dict[int, str]:
        """``{hit id: "category" | "ellipsis"}`` for the quasi hits chosen to be generalised."""
        return {
            pk: choice
            for pk, choice in self._choices().items()
            if choice in Detection.Replacement.values
        }
