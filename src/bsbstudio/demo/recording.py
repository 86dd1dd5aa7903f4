"""The demo's recording: a short synthesised Norwegian interview waiting to be transcribed.

The sound (``data/demo_intervju.ogg``, its script in ``data/demo_intervju.txt``) was made with
espeak-ng by ``bsbstudio.transcripts.asr.synth``: two synthetic voices, no real person. It is
added to a held individual interview without a transcript, through the same action as an upload,
so a transcriber can open it in the transcription editor and try speech-to-text on it.
"""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

from django.utils import timezone

from bsbstudio.fieldwork.actions import save_consent
from bsbstudio.fieldwork.models import Interview, Participation
from bsbstudio.fieldwork.recordings import storage
from bsbstudio.fieldwork.recordings.actions import add_recording
from bsbstudio.fieldwork.recordings.upload import StoredUpload
from bsbstudio.guide.versions import version_for_interview

AUDIO = Path(__file__).parent / "data" / "demo_intervju.ogg"
#: The interview that gets the recording, in the evaluation whose interview it copies from.
CODE = "EI6"
TEMPLATE_INTERVIEW = "EI2"


def load_recording(evaluation, leader) -> Interview | None:
    """Add the held interview ``EI6`` with the synthesised recording (once per evaluation).

    Returns the interview, or ``None`` when the evaluation has no ``EI2`` to copy its site,
    moderator and informant from (the other demo evaluations).
    """
    template = Interview.objects.filter(evaluation=evaluation, code=TEMPLATE_INTERVIEW).first()
    if template is None or Interview.objects.filter(evaluation=evaluation, code=CODE).exists():
        return None
    # A follow-up talk with EI2's informant: no new informant, so the demo's recruitment
    # figures stay as they are.
    informant = template.participations.select_related("informant").first().informant
    interview = Interview.objects.create(
        evaluation=evaluation,
        code=CODE,
        kind=template.kind,
        site=template.site,
        date=timezone.localdate() - datetime.timedelta(days=3),
        place=template.place,
        status=Interview.Status.HELD,
        moderator=template.moderator,
    )
    Participation.objects.create(interview=interview, informant=informant, speaker_code="B1")
    save_consent(
        leader,
        interview,
        informant,
        {
            "brochure_given": True,
            "oral_consent": True,
            "recording_consent": True,
            "informed_of_rights": True,
            "withdrawn_at": None,
        },
    )
    version_for_interview(leader, interview)
    data = AUDIO.read_bytes()
    partial_name, handle = storage.create_partial()
    with handle:
        handle.write(data)
    upload = StoredUpload(
        AUDIO.name, partial_name, len(data), hashlib.sha256(data).hexdigest(), data[:8192]
    )
    try:
        add_recording(leader, interview, upload)
    except BaseException:
        if upload.kept_name is None:
            storage.remove(partial_name)
        raise
    return interview
