"""Tables of editable rows (sites, goals, themes…): added in place, removed, reordered, saved in one go.

A row's place is a hidden ORDER field that the page's script (``web/rows.js``) renumbers whenever
rows are moved; the server saves that order as 0, 1, 2… Without the script the page still works:
one blank row per save, a Delete box per row, and new rows go last.
"""

from __future__ import annotations

from django import forms
from django.forms.formsets import ORDERING_FIELD_NAME
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Far above any real plan or guide (the largest evaluation had 15 sites); without a bound, one post
# with TOTAL_FORMS=1000 kept a worker busy for half a minute building and rendering forms.
MAX_ROWS = {"max_num": 100, "absolute_max": 100, "validate_max": True}


class RowPosition(forms.IntegerField):
    """A row's place on the page; anything but a whole number puts the row last, never an error."""

    def to_python(self, value):
        """The whole number, or None for anything else."""
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None


class RowForm(forms.ModelForm):
    """A row whose place alone is no change: a blank new row that was only numbered stays blank."""

    def has_changed(self) -> bool:
        """Whether anything but the row's place was changed."""
        return any(name != ORDERING_FIELD_NAME for name in self.changed_data)


class RowFormSet(forms.BaseInlineFormSet):
    """Rows with a hidden place, and a plain message when the page came back incomplete."""

    default_error_messages = {
        "missing_management_form": _(
            "The page came back incomplete, so nothing was saved. Open the page again and "
            "repeat the change."
        ),
    }

    def add_fields(self, form, index):
        """Give every row a hidden place that cannot fail (see RowPosition)."""
        super().add_fields(form, index)
        if ORDERING_FIELD_NAME in form.fields:
            old = form.fields[ORDERING_FIELD_NAME]
            form.fields[ORDERING_FIELD_NAME] = RowPosition(
                label=old.label, initial=old.initial, required=False, widget=forms.HiddenInput
            )


def rows_in_page_order(formset) -> list:
    """The kept rows of a valid, saved formset, in the order the page showed them."""
    return [form.instance for form in formset.ordered_forms if form.instance.pk]


def renumber(rows) -> None:
    """Store ``rows``' places as 0, 1, 2…, writing only the rows whose place changed."""
    changed = []
    for position, row in enumerate(rows):
        if row.order != position:
            row.order = position
            changed.append(row)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["order"])


def save_rows(formset) -> None:
    """Save a valid formset: new, changed and removed rows, then the order the page showed."""
    formset.save()
    renumber(rows_in_page_order(formset))


def new_row(request, formset, *, tree: bool = False) -> HttpResponse:
    """One blank row of ``formset`` for the page to add in place (htmx), with the new row count.

    The page sends its current count (``<prefix>-TOTAL_FORMS``); the answer holds the row for
    that index and, swapped out of band, the count one higher.
    """
    raw = request.GET.get(f"{formset.prefix}-TOTAL_FORMS", "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        return HttpResponseBadRequest(gettext("The page came back incomplete. Open it again."))
    index = int(raw)
    if index >= formset.absolute_max:
        return render(request, "web/rows_full.html", {"formset": formset})
    form = formset.form(
        auto_id=formset.auto_id,
        prefix=formset.add_prefix(index),
        empty_permitted=True,
        use_required_attribute=False,
        renderer=formset.renderer,
        **formset.get_form_kwargs(index),
    )
    formset.add_fields(form, index)
    return render(
        request,
        "web/rows_row.html",
        {"f": form, "formset": formset, "editable": True, "tree": tree, "new_count": index + 1},
    )
