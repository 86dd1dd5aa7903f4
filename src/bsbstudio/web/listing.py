"""One page pattern used by the later steps of the circle: a list of records and a form to add one."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action


def save_form(actor, form, evaluation, audit_action: str):
    """Save a valid model form and write its audit entry, together or not at all."""
    with transaction.atomic():
        obj = form.save()
        record(actor, audit_action, obj, evaluation)
    return obj


def list_and_add(
    request,
    evaluation,
    *,
    form_class,
    queryset,
    edit_action: Action,
    template: str,
    audit_action: str,
    nav_active: str,
    saved_message=None,
    next_url=None,
):
    """Show ``queryset`` and, for people allowed ``edit_action``, a form that adds one record.

    ``saved_message(obj)`` and ``next_url(obj)`` say what to tell and where to go after a save
    (default: "Saved." and this page again).
    """
    editable = edit_action in request.bsb_actions
    form = form_class(request.POST or None, evaluation=evaluation) if editable else None
    if request.method == "POST" and editable:
        if form.is_valid():
            obj = save_form(request.user, form, evaluation, audit_action)
            messages.success(request, saved_message(obj) if saved_message else _("Saved."))
            return redirect(next_url(obj) if next_url else request.path)
        messages.error(request, _("Nothing was saved. Correct the fields marked below."))
    return render(
        request,
        template,
        {"evaluation": evaluation, "rows": queryset, "form": form, "nav_active": nav_active},
    )
