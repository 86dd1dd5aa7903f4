"""One page pattern used by the later steps of the circle: a list of records and a form to add one."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action


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
):
    """Show ``queryset`` and, for people allowed ``edit_action``, a form that adds one record."""
    editable = edit_action in request.bsb_actions
    form = form_class(request.POST or None, evaluation=evaluation) if editable else None
    if request.method == "POST" and editable:
        if form.is_valid():
            with transaction.atomic():
                obj = form.save()
                record(request.user, audit_action, obj, evaluation)
            messages.success(request, _("Saved."))
            return redirect(request.path)
        messages.error(request, _("Nothing was saved. Correct the fields marked below."))
    return render(
        request,
        template,
        {"evaluation": evaluation, "rows": queryset, "form": form, "nav_active": nav_active},
    )
