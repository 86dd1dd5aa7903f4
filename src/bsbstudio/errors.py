"""Errors that engines raise for a person to read, translatable without importing Django.

Engines are plain Python, so they cannot call Django's gettext. They mark their English message
templates with ``gettext_noop`` (a no-op that ``makemessages`` still collects) and raise a
``UserFacingError``; the Django layer translates ``template`` and fills in ``params`` when it shows
the message (see ``bsbstudio.web.messages.user_message``).
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Mark a message for translation without translating it (collected by makemessages)."""
    return message


class UserFacingError(Exception):
    """A problem with a person's input, with a message that names the file and the problem.

    ``code`` is stable for tests and programs, ``template`` is an English %-format string marked
    with ``gettext_noop``, ``params`` fills it in (``filename`` is conventional).
    """

    code = "error"

    def __init__(self, code: str, template: str, **params: object) -> None:
        self.code = code
        self.template = template
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The English message with its parameters filled in."""
        try:
            return self.template % self.params
        except (KeyError, TypeError, ValueError):
            return self.template


def refuse_null_characters(text: str, error: type[UserFacingError]) -> str:
    """Return ``text``, or raise ``error`` if it holds a null character.

    PostgreSQL cannot store one in a text field; the message is Django's own, already translated.
    """
    if "\x00" in text:
        raise error("null_character", gettext_noop("Null characters are not allowed."))
    return text
