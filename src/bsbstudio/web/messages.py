"""Showing engine errors (``UserFacingError``) translated into the person's language."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext

from bsbstudio.errors import UserFacingError


def user_message(error: UserFacingError) -> str:
    """The error's message in the active language, parameters filled in (dates written out)."""
    params = {
        key: date_format(value) if isinstance(value, datetime.date) else value
        for key, value in error.params.items()
    }
    try:
        return gettext(error.template) % params
    except (KeyError, TypeError, ValueError):
        return gettext(error.template)


def attempt(request, success: str, action, *args) -> bool:
    """Run ``action(*args)`` and say how it went: ``success``, or the refusal; whether it ran."""
    from django.contrib import messages

    try:
        action(*args)
    except UserFacingError as error:
        messages.error(request, user_message(error))
        return False
    messages.success(request, success)
    return True
