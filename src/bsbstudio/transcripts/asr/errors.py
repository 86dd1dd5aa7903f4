"""Errors of the speech-to-text engine, translatable without importing Django.

Each error has a stable ``code``, an English ``template`` marked with ``gettext_noop`` and its
``params``; the Django side translates the template (``bsbstudio.web.messages.user_message``).
"""

from __future__ import annotations

from bsbstudio.errors import UserFacingError, gettext_noop


class AsrError(UserFacingError):
    """A speech-to-text run that could not finish, with a message a person can act on."""

    code = "asr_error"
    default_template = gettext_noop("Speech-to-text failed.")

    def __init__(self, template: str | None = None, **params: object) -> None:
        super().__init__(self.code, template or self.default_template, **params)


class ModelMissing(AsrError):
    """The model folder is missing or does not hold a CTranslate2 Whisper model."""

    code = "model_missing"
    default_template = gettext_noop(
        "No speech-to-text model was found in the folder %(folder)s. Ask the person who runs "
        "BSB Studio to install one (see the documentation on transcription)."
    )


class AudioUnreadable(AsrError):
    """The sound file cannot be opened or decoded."""

    code = "audio_unreadable"
    default_template = gettext_noop(
        "The sound file %(filename)s could not be read. It may be damaged or not a sound file."
    )


class AudioSilent(AsrError):
    """The sound file holds no speech."""

    code = "audio_silent"
    default_template = gettext_noop("No speech was found in the sound file %(filename)s.")


class Cancelled(AsrError):
    """The run was cancelled through the progress callback."""

    code = "cancelled"
    default_template = gettext_noop("The speech-to-text run was cancelled.")
