"""Auto-coding, always proposed and never silent: rules previewed before they code, learned suggestions.

A rule (a word or phrase, an informant group, a speaker, in some texts) lists the participant
turns it would code; only the turns a person ticks are coded, through ``actions.code_segment``.
Suggestions come from a classifier (``engine.suggest``) trained in the background on the
evaluation's coded quotes; each is accepted (coded) or rejected (never proposed again).

Texts under an open blind double coding take no part in suggestions: their quotes are not learned
from and their turns are not proposed, so nothing there reveals one coder's quotes to the other.
Only the newest de-identified text of each transcript is read, as search does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Sum
from django.utils import timezone
from django_tasks import task

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.errors import UserFacingError, gettext_noop
from bsbstudio.transcripts.models import DeidentifiedText, SpeakerTurn

from . import actions, search
from .agreement import hidden_segments
from .engine import suggest
from .engine.stemming import parse_query, words
from .models import CodedSegment, DoubleCoding, Suggestion, SuggestionModel

logger = logging.getLogger(__name__)

# More turns than this are refused: nobody checks them one by one; a narrower rule is wanted.
PREVIEW_LIMIT = 500
# Suggestions read per page view (the most confident first).
SUGGESTION_PAGE = 60


class AutocodeError(UserFacingError):
    """A rule or a suggestion that cannot be previewed or applied; nothing was changed."""


@dataclass
class Rule:
    """Which turns to code to ``code``: matching ``query``, of ``group``, said by ``speaker``, in ``texts``."""

    code: object
    query: str = ""
    group: object = None
    speaker: str = ""
    texts: list = field(default_factory=list)  # de-identified text ids; empty means all

    @property
    def kind(self) -> str:
        """What the rule goes by, for the audit log: "keyword", "speaker" or "group"."""
        return "keyword" if self.query else "speaker" if self.speaker else "group"


@dataclass
class Preview:
    """The turns a rule would code, in text order, and how many it leaves out as already coded."""

    turns: list
    already_coded: int


def newest_texts(evaluation):
    """The newest de-identified text of each transcript of ``evaluation`` (a query set)."""
    newer = DeidentifiedText.objects.filter(
        transcript_id=OuterRef("transcript_id"), version__gt=OuterRef("version")
    )
    return DeidentifiedText.objects.filter(transcript__interview__evaluation=evaluation).exclude(
        Exists(newer)
    )


def _participant_turns(evaluation):
    """Turns that are not the interviewer's, with some text, in the newest texts."""
    return SpeakerTurn.objects.filter(
        deidentified_text__in=newest_texts(evaluation), end__gt=F("start")
    ).exclude(role=SpeakerTurn.Role.INTERVIEWER)


def preview(user, evaluation, rule: Rule) -> Preview:
    """The turns ``rule`` would code; AutocodeError when it has no condition or too many turns."""
    require(user, evaluation, Action.CODE)
    if not (rule.query.strip() or rule.group is not None or rule.speaker):
        raise AutocodeError(
            "no_rule",
            gettext_noop("Write a word or phrase, or choose an informant group or a speaker."),
        )
    hidden = hidden_segments(user)
    turns = _participant_turns(evaluation)
    if rule.group is not None:
        turns = turns.filter(participation__informant__group=rule.group)
    if rule.speaker:
        turns = turns.filter(speaker_code=rule.speaker)
    if rule.texts:
        turns = turns.filter(deidentified_text_id__in=rule.texts)
    if rule.query.strip():
        try:
            entries = search.matching_turns(evaluation, rule.query, hidden)
        except search.EmptyQuery as error:
            raise AutocodeError("empty_query", error.template) from None
        if rule.group is not None:
            entries = entries.filter(turn__participation__informant__group=rule.group)
        if rule.speaker:
            entries = entries.filter(turn__speaker_code=rule.speaker)
        if rule.texts:
            entries = entries.filter(text_id__in=rule.texts)
        # Read up to a cap: a word found in 50,000 places stops there instead of reading them all.
        ids = list(entries.values_list("turn_id", flat=True)[: PREVIEW_LIMIT * 2 + 1])
        if len(ids) > PREVIEW_LIMIT * 2:
            _too_many()
        turns = turns.filter(pk__in=ids)
    coded = CodedSegment.objects.filter(
        text_id=OuterRef("deidentified_text_id"),
        code=rule.code,
        start__lt=OuterRef("end"),
        end__gt=OuterRef("start"),
    ).exclude(hidden)
    turns = turns.annotate(coded=Exists(coded))
    found = list(
        turns.select_related(
            "deidentified_text__transcript__interview", "participation__informant__group"
        ).order_by("deidentified_text_id", "order", "pk")[: PREVIEW_LIMIT * 2 + 1]
    )
    proposed = [turn for turn in found if not turn.coded]
    if len(proposed) > PREVIEW_LIMIT or len(found) > PREVIEW_LIMIT * 2:
        _too_many()
    _add_bodies(proposed, rule.query)
    return Preview(proposed, len(found) - len(proposed))


def _too_many():
    raise AutocodeError(
        "too_many",
        gettext_noop(
            "The rule matches more than %(limit)d places, too many to check one by one. "
            "Nothing was coded. Use a narrower word or phrase, or choose a group, speaker or texts."
        ),
        limit=PREVIEW_LIMIT,
    )


def _add_bodies(turns, query: str) -> None:
    """Give each turn its text as ``parts``: (piece, matched) pairs, the query's words marked."""
    try:
        terms = parse_query(query) if query.strip() else []
    except ValueError:
        terms = []
    stems = {v for t in terms if t.kind != "prefix" for v in t.values}
    prefixes = tuple(t.values[0] for t in terms if t.kind == "prefix")
    for turn in turns:
        body = turn.deidentified_text.text[turn.start : turn.end]
        parts, at = [], 0
        for word in words(body):
            if word.stem in stems or (prefixes and word.lower.startswith(prefixes)):
                parts += [(body[at : word.start], False), (body[word.start : word.end], True)]
                at = word.end
        parts.append((body[at:], False))
        turn.parts = [part for part in parts if part[0]]


@transaction.atomic
def apply(actor, evaluation, rule: Rule, turn_ids, polarity: str, directness: str) -> int:
    """Code the ticked turns of the rule's preview (as it stands now); return how many were coded."""
    require(actor, evaluation, Action.CODE)
    chosen = set(turn_ids)
    turns = [turn for turn in preview(actor, evaluation, rule).turns if turn.pk in chosen]
    if not turns:
        raise AutocodeError(
            "none_ticked", gettext_noop("No place was ticked, so nothing was coded.")
        )
    for turn in turns:
        actions.code_segment(
            actor, turn.deidentified_text, rule.code, turn.start, turn.end, polarity, directness
        )
    record(actor, "analysis.autocode", rule.code, evaluation, rule=rule.kind, count=len(turns))
    return len(turns)


# Learned suggestions.


def _blind_texts(evaluation):
    return DoubleCoding.objects.filter(
        closed_at__isnull=True,
        compared_at__isnull=True,
        text__transcript__interview__evaluation=evaluation,
    ).values("text_id")


def _training_quotes(evaluation):
    return (
        CodedSegment.objects.filter(code__evaluation=evaluation)
        .exclude(text_id__in=_blind_texts(evaluation))
        .order_by("pk")
    )


def training_data(evaluation) -> tuple[list[str], list[int]]:
    """The quotes to learn from and their code ids, in a fixed order."""
    rows = list(_training_quotes(evaluation).values_list("quote", "code_id"))
    return [quote for quote, _ in rows], [code for _, code in rows]


def fingerprint(evaluation) -> str:
    """A short summary of the quotes to learn from that changes when any is added, moved or removed."""
    figures = (
        _training_quotes(evaluation)
        .order_by()
        .aggregate(
            n=Count("pk"), top=Max("pk"), codes=Sum("code_id"), starts=Sum("start"), ends=Sum("end")
        )
    )
    return "-".join(str(figures[key] or 0) for key in ("n", "top", "codes", "starts", "ends"))


def state_of(evaluation) -> SuggestionModel:
    """The evaluation's classifier record (made empty on first use)."""
    state, _ = SuggestionModel.objects.get_or_create(evaluation=evaluation)
    return state


def request_retraining(evaluation) -> bool:
    """Ask the background worker to retrain if the quotes changed; True while it is not done."""
    state, current = state_of(evaluation), fingerprint(evaluation)
    if state.fingerprint == current:
        return False
    if state.requested != current:
        SuggestionModel.objects.filter(pk=state.pk).update(requested=current)
        try:
            retrain_task.enqueue(evaluation.pk)
        except Exception:  # the queue is down: the next page view asks again
            logger.exception("could not queue the retraining of suggestions")
            SuggestionModel.objects.filter(pk=state.pk).update(requested="")
    state.refresh_from_db()
    return state.fingerprint != current


@task()
def retrain_task(evaluation_id: int) -> int:
    """Retrain one evaluation's suggestions (run by the worker); return how many are proposed."""
    from bsbstudio.evaluations.models import Evaluation

    return retrain(Evaluation.objects.get(pk=evaluation_id))


def retrain(evaluation) -> int:
    """Train on the coded quotes, propose themes for uncoded turns; return how many are proposed."""
    current = fingerprint(evaluation)
    texts, labels = training_data(evaluation)
    try:
        trained = suggest.train(texts, labels)
    except suggest.NotEnoughQuotes:
        trained = None
    candidates = _uncoded_turns(evaluation) if trained else []
    ranked = suggest.rank(trained, [turn.body for turn in candidates]) if trained else []
    with transaction.atomic():
        state = SuggestionModel.objects.select_for_update().get(pk=state_of(evaluation).pk)
        Suggestion.objects.filter(
            code__evaluation=evaluation, status=Suggestion.Status.PENDING
        ).delete()
        rejected = set(
            Suggestion.objects.filter(
                code__evaluation=evaluation, status=Suggestion.Status.REJECTED
            ).values_list("turn_id", "code_id")
        )
        proposals = [
            Suggestion(turn=turn, code_id=code, confidence=probability)
            for turn, themes in zip(candidates, ranked, strict=True)
            for code, probability in themes
            if suggest.confidence(probability) and (turn.pk, code) not in rejected
        ]
        Suggestion.objects.bulk_create(proposals)
        state.classifier = suggest.dumps(trained) if trained else None
        state.fingerprint = current
        state.trained_at = timezone.now()
        state.quotes = trained.quotes if trained else len(texts)
        state.too_few = {str(code): n for code, n in suggest.learnable(labels)[1].items()}
        state.save()
    return len(proposals)


def _uncoded_turns(evaluation) -> list:
    """Participant turns of the newest texts, outside blind double codings, that no quote touches."""
    touched = CodedSegment.objects.filter(
        text_id=OuterRef("deidentified_text_id"),
        start__lt=OuterRef("end"),
        end__gt=OuterRef("start"),
    )
    turns = list(
        _participant_turns(evaluation)
        .exclude(deidentified_text_id__in=_blind_texts(evaluation))
        .exclude(Exists(touched))
        .order_by("deidentified_text_id", "order", "pk")
    )
    bodies = dict(
        DeidentifiedText.objects.filter(
            pk__in={turn.deidentified_text_id for turn in turns}
        ).values_list("pk", "text")
    )
    for turn in turns:
        turn.body = bodies[turn.deidentified_text_id][turn.start : turn.end]
    # Too short to say anything about ("Ja.", "Mm.").
    return [turn for turn in turns if len(words(turn.body)) >= 4]


def pending(evaluation) -> list:
    """The proposed suggestions still open, grouped by turn, the most confident turns first.

    Returns (turn, [suggestion, ...]) pairs; a turn someone has coded since drops out.
    """
    touched = CodedSegment.objects.filter(
        text_id=OuterRef("turn__deidentified_text_id"),
        start__lt=OuterRef("turn__end"),
        end__gt=OuterRef("turn__start"),
    )
    rows = list(
        Suggestion.objects.filter(code__evaluation=evaluation, status=Suggestion.Status.PENDING)
        .exclude(turn__deidentified_text_id__in=_blind_texts(evaluation))
        .exclude(Exists(touched))
        .select_related(
            "code",
            "turn__deidentified_text__transcript__interview",
            "turn__participation__informant__group",
        )
        .order_by("-confidence", "pk")[:SUGGESTION_PAGE]
    )
    grouped: dict = {}
    for row in rows:
        row.confidence_word = suggest.confidence(row.confidence)
        grouped.setdefault(row.turn_id, (row.turn, []))[1].append(row)
    for turn, _ in grouped.values():
        turn.body = turn.deidentified_text.text[turn.start : turn.end]
    return list(grouped.values())


def _open_suggestion(evaluation, suggestion_id) -> Suggestion:
    suggestion = (
        Suggestion.objects.select_for_update(of=("self",))
        .filter(pk=suggestion_id, code__evaluation=evaluation, status=Suggestion.Status.PENDING)
        .exclude(turn__deidentified_text_id__in=_blind_texts(evaluation))
        .select_related("turn__deidentified_text", "code")
        .first()
    )
    if suggestion is None:
        raise AutocodeError(
            "gone", gettext_noop("That suggestion is no longer open. Nothing was changed.")
        )
    return suggestion


@transaction.atomic
def accept(actor, evaluation, suggestion_id, polarity: str, directness: str) -> CodedSegment:
    """Code the suggested turn to the suggested theme."""
    require(actor, evaluation, Action.CODE)
    suggestion = _open_suggestion(evaluation, suggestion_id)
    turn = suggestion.turn
    segment = actions.code_segment(
        actor, turn.deidentified_text, suggestion.code, turn.start, turn.end, polarity, directness
    )
    record(
        actor,
        "analysis.suggestion.accept",
        segment,
        evaluation,
        code=suggestion.code_id,
        confidence=suggest.confidence(suggestion.confidence),
    )
    suggestion.delete()
    return segment


@transaction.atomic
def reject(actor, evaluation, suggestion_id) -> None:
    """Turn the suggestion down; the theme is not proposed for that turn again."""
    require(actor, evaluation, Action.CODE)
    suggestion = _open_suggestion(evaluation, suggestion_id)
    suggestion.status = Suggestion.Status.REJECTED
    suggestion.decided_by = actor
    suggestion.save(update_fields=["status", "decided_by"])
    record(actor, "analysis.suggestion.reject", suggestion, evaluation, code=suggestion.code_id)


def measure_accuracy(evaluation) -> suggest.Accuracy:
    """Top-1 and top-3 accuracy on 20 % of the coded quotes held out (fixed seed)."""
    texts, labels = training_data(evaluation)
    return suggest.accuracy(texts, labels)
