"""De-identification actions: flag identifiers, record decisions, create the de-identified text.

The raw transcript is scanned by the engine (``bsbstudio.deid.engine``) with the evaluation's own
names to hide; a person confirms or rejects every hit; only then is the de-identified text made,
turn by turn, so that its speaker turns keep exact offsets.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from types import MappingProxyType

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.confidentiality import has_signed
from bsbstudio.accounts.policy import Action, require
from bsbstudio.transcripts.labels import replace_label
from bsbstudio.transcripts.models import DeidentifiedText, SpeakerTurn, Transcript
from bsbstudio.transcripts.speakers import public_labels, speaker_labels

from .engine import Detector, EvaluationLists, Redactor, Span
from .engine.lists import one_line
from .engine.recognisers.base import list_regex
from .engine.span import QUASI_CATEGORIES
from .models import Detection, KeptTerm, ProtectedTerm, PseudonymMapping


class ReviewIncomplete(Exception):
    """The de-identified text cannot be made while hits are still unreviewed."""


def evaluation_lists(evaluation) -> EvaluationLists:
    """The evaluation's own names to hide, as the engine takes them."""
    terms = ProtectedTerm.objects.filter(evaluation=evaluation)
    by_kind: dict[str, list[str]] = {kind: [] for kind in ProtectedTerm.Kind.values}
    for term in terms:
        by_kind[term.kind].append(term.text)
    return EvaluationLists(
        people=by_kind["PERSON"],
        places=by_kind["LOCATION"],
        organizations=by_kind["ORGANIZATION"],
        keep=own_world(evaluation),
    )


def own_world(evaluation) -> list[str]:
    """What the evaluation names on purpose: itself, its commissioner, its sites, its keep list.

    The engine keeps their words, unless a word is also to be hidden: BSB reports name the
    evaluated service, so neither the review nor the leak guard asks about them.
    """
    names = [evaluation.name, evaluation.commissioner]
    names += evaluation.sites.order_by("pk").values_list("name", flat=True)
    names += (
        KeptTerm.objects.filter(evaluation=evaluation).order_by("pk").values_list("text", flat=True)
    )
    return [name for name in names if name]


def detector_for(evaluation) -> Detector:
    """An engine detector set up with the evaluation's lists and the words it keeps."""
    return Detector(lists=evaluation_lists(evaluation), use_ner=True)


@transaction.atomic
def keep_term(actor, evaluation, text: str) -> tuple[KeptTerm, bool]:
    """Put a word on the evaluation's keep list ("never flag this word"); return (term, new).

    Hits already found stay for a person to decide; the next detection skips the word. Raises
    ValidationError for an empty or over-long word. Audited by id, not by text, like the names
    to hide: the log is read more widely than the lists.
    """
    _require_list_editor(actor, evaluation)
    text = one_line(text)
    if not any(c.isalnum() for c in text):
        raise ValidationError(_("Write the word to keep."))
    if len(text) > KeptTerm._meta.get_field("text").max_length:
        raise ValidationError(_("The word to keep is too long."))
    term, created = KeptTerm.objects.get_or_create(
        evaluation=evaluation, text=text, defaults={"added_by": actor}
    )
    if created:
        record(actor, "deid.keep.add", term, evaluation)
    return term, created


@transaction.atomic
def unkeep_term(actor, term: KeptTerm) -> None:
    """Take a word off the keep list: the engine may flag it again from the next detection."""
    evaluation = term.evaluation
    _require_list_editor(actor, evaluation)
    record(actor, "deid.keep.remove", term, evaluation)
    term.delete()


def _inside_turns(spans, turns) -> list:
    """Keep the spans that lie within one turn's spoken text (speaker codes are never hidden)."""
    kept, index = [], 0
    for span in spans:
        while index < len(turns) and turns[index].end <= span.start:
            index += 1
        if index < len(turns) and turns[index].start <= span.start and span.end <= turns[index].end:
            kept.append(span)
    return kept


def find_identifiers(evaluation, text: str, turns) -> list[Span]:
    """The hits in ``text`` within ``turns`` (anything with ``start``/``end``); writes nothing.

    Detection takes long on a large transcript, so an import calls this before its write
    transaction (no lock held while it runs) and hands the spans to ``detect_identifiers``.
    """
    return _inside_turns(detector_for(evaluation).detect(text), list(turns))


@transaction.atomic
def detect_identifiers(actor, transcript: Transcript, spans: list[Span] | None = None) -> int:
    """Store each hit of the raw transcript as a pending detection; return the count.

    ``spans`` are hits found beforehand by ``find_identifiers`` on the same text; without them
    the transcript is scanned here.
    """
    evaluation = transcript.interview.evaluation
    require(actor, evaluation, Action.REVIEW_DEID)
    if spans is None:
        spans = find_identifiers(evaluation, transcript.raw_text, transcript.turns.all())
    transcript.detections.filter(decision=Detection.Decision.PENDING).delete()
    decided = set(transcript.detections.values_list("start", "end"))
    Detection.objects.bulk_create(
        Detection(
            transcript=transcript,
            start=s.start,
            end=s.end,
            label=s.label,
            text=transcript.raw_text[s.start : s.end][:500],
            score=s.score,
            source=s.source[:60],
            explanation=s.explanation[:300],
            category=s.category,
        )
        for s in spans
        if (s.start, s.end) not in decided
    )
    record(actor, "deid.detect", transcript, evaluation, hits=len(spans))
    return len(spans)


@transaction.atomic
def decide(
    actor,
    transcript: Transcript,
    decisions: dict[int, str],
    replacements: Mapping[int, str] = MappingProxyType({}),
) -> int:
    """Record confirm/reject decisions ({detection id: decision}); return how many changed.

    ``replacements`` ({detection id: "category" | "ellipsis"}) says what a hidden quasi hit with
    a category becomes: "[YRKE]" or "…". The audit entry counts the hits now written either way.
    """
    evaluation = transcript.interview.evaluation
    require(actor, evaluation, Action.REVIEW_DEID)
    changed = 0
    now = timezone.now()
    written = {value: 0 for value in Detection.Replacement.values}
    for detection in transcript.detections.filter(pk__in=[*decisions, *replacements]):
        decision = decisions.get(detection.pk, detection.decision)
        replacement = replacements.get(detection.pk, detection.replacement)
        if decision not in Detection.Decision.values:
            continue
        if replacement not in Detection.Replacement.values or not _category(detection):
            replacement = detection.replacement
        if (decision, replacement) != (detection.decision, detection.replacement):
            detection.decision, detection.replacement = decision, replacement
            detection.decided_by, detection.decided_at = actor, now
            detection.save(update_fields=["decision", "replacement", "decided_by", "decided_at"])
            changed += 1
            if decision == Detection.Decision.CONFIRMED and _category(detection):
                written[replacement] += 1
    record(
        actor,
        "deid.decide",
        transcript,
        evaluation,
        changed=changed,
        generalised=written[Detection.Replacement.CATEGORY],
        ellipsis=written[Detection.Replacement.ELLIPSIS],
    )
    return changed


def _require_list_editor(actor, evaluation) -> None:
    """The names to hide are raw material: changing them takes the role and a signed declaration.

    The views are gated too (``raw_material_view``); checking here as well keeps every other
    caller (a command, a future API) from changing the list for someone who has not signed.
    """
    require(actor, evaluation, Action.REVIEW_DEID)
    if not has_signed(actor, evaluation):
        raise PermissionDenied


@transaction.atomic
def add_protected_term(actor, evaluation, text: str, kind: str) -> tuple[ProtectedTerm, bool]:
    """Add a name to the evaluation's list of names to hide; return it and whether it is new.

    The audit entry names the term by its id and kind, never by its text: the log is read more
    widely than the list, and the text is the very name to hide.
    """
    _require_list_editor(actor, evaluation)
    term, created = ProtectedTerm.objects.get_or_create(evaluation=evaluation, text=text, kind=kind)
    if created:
        record(actor, "deid.name.add", term, evaluation, kind=kind)
    return term, created


@transaction.atomic
def remove_protected_term(actor, term: ProtectedTerm) -> None:
    """Take a name off the evaluation's list (hits already decided stay as they are)."""
    evaluation = term.evaluation
    _require_list_editor(actor, evaluation)
    record(actor, "deid.name.remove", term, evaluation, kind=term.kind)
    term.delete()


@transaction.atomic
def hide_missed_name(actor, transcript: Transcript, name: str, kind: str) -> int:
    """Add a name the engine missed to the evaluation's list and hide every mention of it."""
    evaluation = transcript.interview.evaluation
    _require_list_editor(actor, evaluation)
    term, new_term = ProtectedTerm.objects.get_or_create(
        evaluation=evaluation, text=name, kind=kind
    )
    turns = list(transcript.turns.all())
    text, taken = transcript.raw_text, list(transcript.detections.values_list("start", "end"))
    added, now = 0, timezone.now()
    # the same matching as the engine: whole words, short names only as written ("JA", not "ja")
    regex = list_regex([name])
    for match in regex.finditer(text) if regex else ():
        start, end = match.span()
        inside = any(t.start <= start and end <= t.end for t in turns)
        if inside and not any(s < end and start < e for s, e in taken):
            Detection.objects.create(
                transcript=transcript,
                start=start,
                end=end,
                label=kind,
                text=match.group(),
                score=1.0,
                source="reviewer",
                explanation="added by a reviewer",
                decision=Detection.Decision.CONFIRMED,
                decided_by=actor,
                decided_at=now,
            )
            taken.append((start, end))
            added += 1
    record(
        actor,
        "deid.add_name",
        transcript,
        evaluation,
        mentions=added,
        kind=kind,
        term=term.pk,
        new_term=new_term,
    )
    return added


@transaction.atomic
def create_deidentified_text(actor, transcript: Transcript) -> DeidentifiedText:
    """Make the de-identified text from the confirmed hits, once every hit has been reviewed."""
    evaluation = transcript.interview.evaluation
    require(actor, evaluation, Action.REVIEW_DEID)
    if transcript.detections.filter(decision=Detection.Decision.PENDING).exists():
        raise ReviewIncomplete
    hidden = list(
        transcript.detections.filter(decision=Detection.Decision.CONFIRMED).order_by("start")
    )
    confirmed = [
        Span(d.start, d.end, d.label, d.score, d.source, d.explanation, _category(d))
        for d in hidden
    ]
    ellipsis = {
        (d.start, d.end)
        for d in hidden
        if _category(d) and d.replacement == Detection.Replacement.ELLIPSIS
    }
    stored, _created = PseudonymMapping.objects.select_for_update().get_or_create(
        evaluation=evaluation
    )
    redactor = Redactor(mode=evaluation.replacement_mode, mapping=stored.mapping)
    raw_turns = list(transcript.turns.select_related("participation__informant"))
    # Speaker labels lie outside the turns, so no hit covers them: one that may be a real name
    # ("[Kari]") is replaced here by a code (see bsbstudio.transcripts.speakers.public_labels).
    labels = public_labels(transcript, speaker_labels(transcript, raw_turns))
    text, turns = redact_by_turn(
        transcript.raw_text, raw_turns, confirmed, redactor, labels, ellipsis
    )
    stored.mapping = redactor.mapping
    stored.save(update_fields=["mapping", "updated_at"])
    version = (transcript.deidentified_texts.aggregate(v=Max("version"))["v"] or 0) + 1
    deidentified = DeidentifiedText.objects.create(
        transcript=transcript, version=version, text=text, created_by=actor
    )
    SpeakerTurn.objects.bulk_create(
        SpeakerTurn(
            deidentified_text=deidentified,
            order=t.order,
            speaker_code=labels.get(t.speaker_code, t.speaker_code),
            participation_id=t.participation_id,
            role=t.role,
            start=start,
            end=end,
        )
        for t, (start, end) in zip(raw_turns, turns, strict=True)
    )
    record(actor, "deid.create_text", deidentified, evaluation, hidden=len(confirmed))
    return deidentified


def _category(detection: Detection) -> str:
    """The category a hidden quasi hit is generalised to ("" for any other hit)."""
    if detection.label == "QUASI" and detection.category in QUASI_CATEGORIES:
        return detection.category
    return ""


def redact_by_turn(
    raw_text: str,
    turns,
    spans,
    redactor,
    labels: dict[str, str] | None = None,
    ellipsis: Collection[tuple[int, int]] = (),
) -> tuple[str, list[tuple[int, int]]]:
    """Redact each turn's spoken text on its own and return the new text and turn offsets.

    Working turn by turn keeps the text between turns (the speaker codes) as it was and tells
    exactly where each turn lands in the new text, however long the replacements are. ``labels``
    maps a speaker label to the one written instead (labels that may be names); ``ellipsis``
    holds the ``(start, end)`` of quasi hits written "…" instead of their category.
    """
    # Every full name first, so a lone "Kari" in an early turn follows a later "Kari Nordmann".
    redactor.remember_full_names(raw_text[s.start : s.end] for s in spans if s.label == "PERSON")
    parts, offsets, position, cursor = [], [], 0, 0
    span_index = 0
    for turn in turns:
        between = raw_text[cursor : turn.start]
        if labels and turn.speaker_code in labels:
            between = replace_label(between, turn.speaker_code, labels[turn.speaker_code])
        parts.append(between)
        position += len(between)
        inside = []
        while span_index < len(spans) and spans[span_index].start < turn.end:
            span = spans[span_index]
            if span.start >= turn.start and span.end <= turn.end:
                inside.append(
                    Span(
                        span.start - turn.start,
                        span.end - turn.start,
                        span.label,
                        span.score,
                        span.source,
                        span.explanation,
                        span.category,
                    )
                )
            span_index += 1
        shifted = {(start - turn.start, end - turn.start) for start, end in ellipsis}
        spoken, _mapping = redactor.redact(raw_text[turn.start : turn.end], inside, shifted)
        parts.append(spoken)
        offsets.append((position, position + len(spoken)))
        position += len(spoken)
        cursor = turn.end
    parts.append(raw_text[cursor:])
    return "".join(parts), offsets
