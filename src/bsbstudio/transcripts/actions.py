"""Changes to transcripts: import one, say who its speakers are, approve its de-identified text.

A large file is imported in the background (``queue_import``, ``background.run_import``).

Each action checks permission, changes the data atomically and writes the audit log. Refusals
are ``UserFacingError`` subclasses whose English templates the views translate.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.errors import UserFacingError, gettext_noop
from bsbstudio.fieldwork.models import Interview, Participation

from . import labels as label_rules
from . import speakers
from .models import DeidentifiedText, SpeakerTurn, Transcript, TranscriptImport


class SpeakerMappingError(UserFacingError):
    """A speaker mapping that cannot be saved; nothing was changed."""


class ApprovalRefused(UserFacingError):
    """A de-identified text that cannot be approved (or un-approved) now; nothing was changed."""


APPROVAL_TEMPLATES = {
    "not_latest": gettext_noop(
        "Only the newest de-identified text can be approved. Open version %(latest)s instead."
    ),
    "newer_transcript": gettext_noop(
        "A newer transcript of this interview exists. Approve the text made from it instead."
    ),
    "pending": gettext_noop(
        "Hits not reviewed yet: %(n)s. Every hit must be hidden or kept before the text can be "
        "approved."
    ),
    "decided_later": gettext_noop(
        "Some hits were decided after this text was made. Create the de-identified text again "
        "so that it follows the decisions, then approve it."
    ),
    "speakers": gettext_noop(
        "Speakers not identified yet: %(n)s. Say who each speaker is (a participant, the "
        "interviewer or unknown) before the text can be approved."
    ),
    "name_label": gettext_noop(
        "This text shows a speaker label that may be a real name. Create the de-identified "
        "text again (the new one shows a code instead), then approve it."
    ),
    "already": gettext_noop("This text is already approved."),
    "not_approved": gettext_noop("This text is not approved, so there is nothing to withdraw."),
}


def _refusal(code: str, **params) -> ApprovalRefused:
    return ApprovalRefused(code, APPROVAL_TEMPLATES[code], **params)


def turn_rows(turns, participations, **owner) -> list[SpeakerTurn]:
    """SpeakerTurn rows for engine turns, linked to the interview's participants by speaker code.

    Labels no participant has that conventionally mean the interviewer (``I``, ``Moderator``)
    are marked as the interviewer straight away; the rest wait on the speakers page.
    """
    by_code = {p.speaker_code.casefold(): p for p in participations}
    rows = []
    for order, turn in enumerate(turns):
        participation = by_code.get(turn.speaker.casefold())
        if participation is not None:
            role = SpeakerTurn.Role.PARTICIPANT
        elif turn.speaker and label_rules.is_interviewer_label(turn.speaker):
            role = SpeakerTurn.Role.INTERVIEWER
        else:
            role = SpeakerTurn.Role.UNDECIDED
        rows.append(
            SpeakerTurn(
                order=order,
                speaker_code=turn.speaker,
                role=role,
                start=turn.start,
                end=turn.end,
                participation=participation,
                **owner,
            )
        )
    return rows


def import_transcript(actor, interview, parsed, filename: str = "", *, on_stage=None) -> Transcript:
    """Store a parsed transcript and its turns with its identifiers flagged for review.

    Looking for identifiers takes long on a large transcript (minutes, with the NER model), so it
    runs first, outside any transaction: no lock is held while it runs, and the app's other
    writes go on. Then everything is written in one short transaction, all or nothing.
    ``on_stage`` (optional) is told ``"detecting"`` and ``"saving"`` as the work goes on.
    """
    from bsbstudio.deid.actions import find_identifiers

    evaluation = interview.evaluation
    require(actor, evaluation, Action.ADD_TRANSCRIPT)
    require(actor, evaluation, Action.REVIEW_DEID)
    if on_stage:
        on_stage(TranscriptImport.Stage.DETECTING)
    spans = find_identifiers(evaluation, parsed.text, parsed.turns)
    if on_stage:
        on_stage(TranscriptImport.Stage.SAVING)
    return _store_transcript(actor, interview, parsed, filename, spans)


@transaction.atomic
def _store_transcript(actor, interview, parsed, filename: str, spans) -> Transcript:
    from bsbstudio.deid.actions import detect_identifiers
    from bsbstudio.guide.versions import version_for_interview

    evaluation = interview.evaluation
    require(actor, evaluation, Action.ADD_TRANSCRIPT)
    # Lock the interview row so two uploads at once number their versions one after the other
    # (PostgreSQL would otherwise let both read the same maximum and one fail on the constraint).
    Interview.objects.select_for_update().filter(pk=interview.pk).first()
    latest = interview.transcripts.aggregate(v=Max("version"))["v"] or 0
    transcript = Transcript.objects.create(
        interview=interview,
        version=latest + 1,
        raw_text=parsed.text,
        source_filename=filename[:255],
        created_by=actor,
    )
    rows = turn_rows(
        parsed.turns,
        interview.participations.select_related("informant__group"),
        transcript=transcript,
    )
    SpeakerTurn.objects.bulk_create(rows)
    record(
        actor,
        "transcript.import",
        transcript,
        evaluation,
        filename=filename,
        turns=len(parsed.turns),
        characters=len(parsed.text),
    )
    version_for_interview(actor, interview)
    detect_identifiers(actor, transcript, spans)
    return transcript


def queue_import(actor, interview, upload) -> TranscriptImport:
    """Keep a large transcript file privately and start its background import; return the import.

    The file is copied in chunks, never read whole into memory here; ``background.run_import``
    reads it, and the interview page shows how far it has come.
    """
    from . import background

    evaluation = interview.evaluation
    require(actor, evaluation, Action.ADD_TRANSCRIPT)
    stored_name = background.store_upload(upload)
    try:
        with transaction.atomic():
            job = TranscriptImport.objects.create(
                interview=interview,
                filename=upload.name[:255],
                stored_name=stored_name,
                size_bytes=upload.size,
                created_by=actor,
            )
            record(
                actor,
                "transcript.import.queue",
                job,
                evaluation,
                filename=upload.name,
                size_bytes=upload.size,
            )
    except BaseException:
        background.remove(stored_name)
        raise
    # Enqueued after the commit: the worker must find the row, and a task run at once (the
    # immediate backend) must not run inside this transaction.
    try:
        background.run_import.enqueue(job.pk)
    except Exception:
        background.remove(stored_name)
        background.set_stage(job, TranscriptImport.Stage.FAILED)
        raise
    job.refresh_from_db()
    return job


@transaction.atomic
def map_speakers(actor, transcript: Transcript, decisions: dict) -> int:
    """Say who each speaker label is; return how many turns changed their link.

    ``decisions`` maps a label to a ``Participation`` of the transcript's interview,
    ``speakers.INTERVIEWER``, ``speakers.UNKNOWN`` or ``""``/``None`` (not decided). Labels left
    out keep their decision. The raw turns and the turns of every de-identified text of the
    transcript get the new link; no text changes (invariant 1).
    """
    evaluation = transcript.interview.evaluation
    require(actor, evaluation, Action.ADD_TRANSCRIPT)
    labels = speakers.speaker_labels(transcript)
    known = {info.label: info for info in labels}
    for label, choice in decisions.items():
        if label not in known:
            raise SpeakerMappingError(
                "unknown_label", gettext_noop("A speaker in the form is not in this transcript.")
            )
        if isinstance(choice, Participation):
            if choice.interview_id != transcript.interview_id:
                raise SpeakerMappingError(
                    "other_interview",
                    gettext_noop("%(informant)s did not take part in this interview."),
                    informant=choice.informant.code,
                )
        elif choice not in (*speakers.ROLES_WITHOUT_PARTICIPANT, "", None):
            raise SpeakerMappingError(
                "bad_choice", gettext_noop("Choose a participant, the interviewer or unknown.")
            )
    changed = 0
    for label, choice in decisions.items():
        info = known[label]
        participation = choice if isinstance(choice, Participation) else None
        info.participation = participation
        info.role = speakers.PARTICIPANT if participation else (choice or "")
        changed += _link_turns(transcript, info, participation, info.role)
    record(
        actor,
        speakers.EVENT,
        transcript,
        evaluation,
        changed=changed,
        **speakers.roles_detail(labels),
    )
    return changed


def _link_turns(transcript: Transcript, info, participation, role: str) -> int:
    """Point the label's raw and de-identified turns at ``participation`` and ``role``.

    Returns the number of turns that changed.
    """
    pid = participation.pk if participation else None
    turns = SpeakerTurn.objects.filter(
        Q(transcript=transcript, speaker_code=info.label)
        | Q(deidentified_text__transcript=transcript, order__in=info.orders)
    )
    same = Q(role=role) & (
        Q(participation__isnull=True) if pid is None else Q(participation_id=pid)
    )
    changed = turns.exclude(same).update(participation_id=pid, role=role)
    if changed:
        # The quotes coded in these turns now belong to another group in the matrix.
        from bsbstudio.analysis.models import CodedSegment
        from bsbstudio.analysis.placement import refresh

        refresh(CodedSegment.objects.filter(turn__in=turns))
    return changed


def approval_problems(deidentified: DeidentifiedText, *, labels=None) -> list[ApprovalRefused]:
    """Everything that stands in the way of approving ``deidentified`` (empty when it may be)."""
    from bsbstudio.deid.models import Detection

    transcript = deidentified.transcript
    problems = []
    latest = transcript.deidentified_texts.aggregate(v=Max("version"))["v"]
    if deidentified.version != latest:
        problems.append(_refusal("not_latest", latest=latest))
    if transcript.interview.transcripts.filter(version__gt=transcript.version).exists():
        problems.append(_refusal("newer_transcript"))
    detections = transcript.detections.all()
    pending = detections.filter(decision=Detection.Decision.PENDING).count()
    if pending:
        problems.append(_refusal("pending", n=pending))
    elif detections.filter(decided_at__gt=deidentified.created_at).exists():
        problems.append(_refusal("decided_later"))
    if labels is None:
        labels = speakers.speaker_labels(transcript)
    if speakers.unresolved(labels):
        problems.append(_refusal("speakers", n=len(speakers.unresolved(labels))))
    shown = deidentified.turns.values_list("speaker_code", flat=True).distinct()
    if any(label_rules.looks_like_name(code) for code in shown):
        problems.append(_refusal("name_label"))
    return problems


@transaction.atomic
def approve_text(actor, deidentified: DeidentifiedText) -> DeidentifiedText:
    """Approve a de-identified text as checked and final; refused while anything is open."""
    evaluation = deidentified.transcript.interview.evaluation
    require(actor, evaluation, Action.APPROVE_TRANSCRIPT)
    text = (
        DeidentifiedText.objects.select_for_update()
        .select_related("transcript__interview")
        .get(pk=deidentified.pk)
    )
    if text.approved_at:
        raise _refusal("already")
    problems = approval_problems(text)
    if problems:
        raise problems[0]
    text.approved_at, text.approved_by = timezone.now(), actor
    text.save(update_fields=["approved_at", "approved_by"])
    record(actor, "transcript.approve", text, evaluation, version=text.version)
    return text


@transaction.atomic
def withdraw_approval(actor, deidentified: DeidentifiedText) -> DeidentifiedText:
    """Take back the approval of a de-identified text (it can be approved again later)."""
    evaluation = deidentified.transcript.interview.evaluation
    require(actor, evaluation, Action.APPROVE_TRANSCRIPT)
    text = DeidentifiedText.objects.select_for_update().get(pk=deidentified.pk)
    if not text.approved_at:
        raise _refusal("not_approved")
    record(
        actor,
        "transcript.approval.withdraw",
        text,
        evaluation,
        version=text.version,
        approved_at=text.approved_at.isoformat(),
        approved_by=text.approved_by_id,
    )
    text.approved_at, text.approved_by = None, None
    text.save(update_fields=["approved_at", "approved_by"])
    return text
