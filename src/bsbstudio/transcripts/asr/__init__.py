"""Local speech-to-text: a sound file -> a draft transcript, on the organisation's own machine.

Plain Python without Django. Public API::

    transcribe(audio_path, model_dir, language="nb", *, on_progress=None, device="auto",
               speakers=None, speaker_codes=None) -> Draft

``Draft.text`` is in transcript format (``CODE: words`` per line), ``Draft.turns`` its
``Turn(speaker, start, end, t0, t1)`` list (code-point offsets and seconds) and
``Draft.uncertain`` the spans of words the model was unsure of. Errors are ``AsrError``
subclasses (``ModelMissing``, ``AudioUnreadable``, ``AudioSilent``, ``Cancelled``). See
``docs/transcription.md``.
"""

from .engine import DEFAULT_SPEAKER, Draft, Turn, load_model, resolve_device, transcribe
from .errors import AsrError, AudioSilent, AudioUnreadable, Cancelled, ModelMissing

__all__ = [
    "DEFAULT_SPEAKER",
    "AsrError",
    "AudioSilent",
    "AudioUnreadable",
    "Cancelled",
    "Draft",
    "ModelMissing",
    "Turn",
    "load_model",
    "resolve_device",
    "transcribe",
]
