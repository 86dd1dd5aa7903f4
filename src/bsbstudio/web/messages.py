"""Showing engine errors (``UserFacingError``) translated into the person's language."""

from django.utils.translation import gettext

from bsbstudio.errors import UserFacingError


def user_message(error: UserFacingError) -> str:
    """The error's message in the active language, parameters filled in."""
    try:
        return gettext(error.template) % error.params
    except (KeyError, TypeError, ValueError):
        return gettext(error.template)
