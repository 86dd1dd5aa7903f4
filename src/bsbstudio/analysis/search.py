"""Search in an evaluation's de-identified texts, coded quotes and memos: keep the index, answer queries.

The index (``SearchEntry``) holds one entry per speaker turn of each transcript's newest
de-identified text, per coded quote and per memo, as Norwegian stems and lower-case words
(``engine.stemming``). Raw transcripts are never read here. The database matches the words
(SQLite FTS5; PostgreSQL stored ``to_tsvector('simple', ...)`` columns with GIN indexes; see
migration 0004); Python then finds the matched words again in the page of hits to show them in
context. A hit is a unit (a turn, quote or memo), shown at its first match.

The index is kept lazily, at search time (``ensure_indexed``), rather than by hooks in the code
that writes texts: de-identification and transcripts are changed by others and must not learn
about search. Each check is cheap: de-identified texts are immutable versions (a new version is a
new row), so comparing ids finds what is new or superseded; quotes and memos get ids that only
grow, so those above the highest indexed id are new. An edit of an indexed quote or memo (its
``save``) re-indexes it at once through a signal, and a deletion takes its entry with it (the
entry's foreign keys cascade). Changes made around the ORM (``QuerySet.update`` of a quote's text)
are not seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import BooleanField, Exists, F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from django.dispatch import receiver

from bsbstudio.errors import UserFacingError, gettext_noop
from bsbstudio.evaluations.models import Evaluation
from bsbstudio.transcripts.models import DeidentifiedText, SpeakerTurn

from .agreement import hidden_segments
from .engine.stemming import EmptyQueryError, Term, find_matches, index_columns, parse_query
from .engine.stemming import words as split_words
from .models import CodedSegment, Memo, SearchEntry

# Words shown on each side of a hit.
CONTEXT_WORDS = 10
# Longer queries are cut: nobody types more, and each term is one more index lookup.
MAX_QUERY_LENGTH = 300
MAX_TERMS = 12
COUNT_LIMIT = 1000
KIND_NAMES = {
    SearchEntry.Kind.TURN: "turn",
    SearchEntry.Kind.QUOTE: "quote",
    SearchEntry.Kind.MEMO: "memo",
}
_SENTENCE_END = re.compile(r"[.!?…]+")


class EmptyQuery(UserFacingError):
    """A search with no word in it: empty, or only operators and punctuation."""


@dataclass
class Hit:
    """One unit that matched, with its first match in context.

    ``start``/``end`` are code-point offsets of the match in the de-identified text (turns and
    quotes) or in the memo (memos). ``unit_start``/``unit_end`` bound the unit, and
    ``sentence_start``/``sentence_end`` the sentence around the match (what coding a hit proposes).
    """

    kind: str
    entry_id: int
    text_id: int | None
    start: int
    end: int
    before: str
    match: str
    after: str
    unit_start: int
    unit_end: int
    sentence_start: int
    sentence_end: int
    sentence: str
    interview: str = ""
    site: str = ""
    group: str = ""
    speaker: str = ""
    code: str = ""
    segment_id: int | None = None
    memo_id: int | None = None


@dataclass
class SearchResult:
    """A page of hits and how many units matched in all.

    ``total`` is counted up to COUNT_LIMIT; ``more`` says there were more.
    """

    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    more: bool = False
    terms: list[Term] = field(default_factory=list)


def search(
    evaluation,
    query: str,
    *,
    site=None,
    group=None,
    code=None,
    speaker=None,
    kind=None,
    limit=50,
    offset=0,
) -> SearchResult:
    """Units of ``evaluation`` matching every term of ``query``, filtered, in index order.

    Index order is the order units were indexed in: each text turn by turn, texts in the order
    they were made, then quotes and memos as they came; the same on SQLite and PostgreSQL.

    ``site``, ``group`` and ``code`` are model instances or ids; ``speaker`` a speaker code
    ("D1"); ``kind`` a ``SearchEntry.Kind`` (only turns, quotes or memos). Raises EmptyQuery
    when the query has no word.
    """
    return _search(evaluation, query, site, group, code, speaker, kind, limit, offset, hidden=None)


def search_visible(user, evaluation, query: str, **filters) -> SearchResult:
    """``search`` as ``user`` may see it: no other coder's quotes while a double coding is blind."""
    return _search(
        evaluation,
        query,
        filters.get("site"),
        filters.get("group"),
        filters.get("code"),
        filters.get("speaker"),
        filters.get("kind"),
        filters.get("limit", 50),
        filters.get("offset", 0),
        hidden=hidden_segments(user),
    )


def _search(
    evaluation, query, site, group, code, speaker, kind, limit, offset, hidden
) -> SearchResult:
    terms = parse(query)
    ensure_indexed(evaluation)
    entries = _matching(_filtered(evaluation, site, group, code, speaker, hidden), terms)
    if kind is not None:
        entries = entries.filter(kind=kind)
    # Counting stops at COUNT_LIMIT: a common word would otherwise cost a pass over everything.
    total = entries.order_by()[: COUNT_LIMIT + 1].count()
    # The page's ids first, then what to show of them: the query that matches stays small.
    ids = list(entries.values_list("id", flat=True)[offset : offset + limit]) if total else []
    rows = _details(ids)
    return SearchResult(
        hits=[_hit(row, terms) for row in rows],
        total=min(total, COUNT_LIMIT),
        more=total > COUNT_LIMIT,
        terms=terms,
    )


def matching_turns(evaluation, query: str, hidden=None):
    """The turn entries holding every term of ``query``, in index order (a query set, unread).

    What keyword auto-coding proposes to code; raises EmptyQuery when the query has no word.
    """
    terms = parse(query)
    ensure_indexed(evaluation)
    entries = _filtered(evaluation, None, None, None, None, hidden)
    return _matching(entries, terms).filter(kind=SearchEntry.Kind.TURN)


def _details(ids: list[int]) -> list[dict]:
    """What a hit shows of each entry, in the order of ``ids``."""
    if not ids:
        return []
    rows = (
        SearchEntry.objects.filter(pk__in=ids)
        .annotate(
            interview_code=F("text__transcript__interview__code"),
            site_name=F("text__transcript__interview__site__name"),
            group_name=F("turn__participation__informant__group__name"),
            speaker_code=F("turn__speaker_code"),
            quote=F("segment__quote"),
            quote_code=F("segment__code__name"),
            memo_text=F("memo__text"),
            memo_code=F("memo__code__name"),
        )
        .values(
            "id",
            "kind",
            "text_id",
            "start",
            "end",
            "segment_id",
            "memo_id",
            "interview_code",
            "site_name",
            "group_name",
            "speaker_code",
            "quote",
            "quote_code",
            "memo_text",
            "memo_code",
        )
    )
    by_id = {row["id"]: row for row in rows}
    # Each text is read once (not cut per hit in the database, which would unpack it each time).
    text_ids = {row["text_id"] for row in by_id.values() if row["kind"] == SearchEntry.Kind.TURN}
    texts = dict(DeidentifiedText.objects.filter(pk__in=text_ids).values_list("pk", "text"))
    for row in by_id.values():
        if row["kind"] == SearchEntry.Kind.TURN:
            row["turn_text"] = texts.get(row["text_id"], "")[row["start"] : row["end"]]
    return [by_id[pk] for pk in ids if pk in by_id]


def parse(query: str) -> list[Term]:
    """The query's terms (at most MAX_TERMS); EmptyQuery when there is no word."""
    try:
        terms = parse_query((query or "")[:MAX_QUERY_LENGTH])
    except EmptyQueryError:
        raise EmptyQuery(
            "empty_query", gettext_noop("Type at least one word to search for.")
        ) from None
    return terms[:MAX_TERMS]


def _pk(value):
    return getattr(value, "pk", value)


def _filtered(evaluation, site, group, code, speaker, hidden):
    if connection.vendor == "sqlite":
        # "+ 0" keeps SQLite from starting at the evaluation's entries (all of them, by index)
        # and testing each against the words: it starts from the full-text matches instead.
        entries = SearchEntry.objects.alias(scope=F("evaluation_id") + 0).filter(
            scope=_pk(evaluation)
        )
    else:
        entries = SearchEntry.objects.filter(evaluation=evaluation)
    coded = CodedSegment.objects.all()
    if hidden is not None:
        coded = coded.exclude(hidden)
        unseen = CodedSegment.objects.filter(hidden).values("pk")
        entries = entries.exclude(segment__in=unseen).exclude(memo__segment__in=unseen)
    if site is not None:
        entries = entries.filter(text__transcript__interview__site_id=_pk(site))
    if group is not None:
        entries = entries.filter(turn__participation__informant__group_id=_pk(group))
    if speaker is not None:
        entries = entries.filter(turn__speaker_code=speaker)
    if code is not None:
        code_id = _pk(code)
        # A turn is "about" a theme when a quote coded to it overlaps the turn.
        coded_in_turn = coded.filter(
            text_id=OuterRef("text_id"),
            code_id=code_id,
            start__lt=OuterRef("end"),
            end__gt=OuterRef("start"),
        )
        entries = entries.filter(
            Q(Exists(coded_in_turn), kind=SearchEntry.Kind.TURN)
            | Q(kind=SearchEntry.Kind.QUOTE, segment__code_id=code_id)
            | Q(kind=SearchEntry.Kind.MEMO, memo__code_id=code_id)
            | Q(kind=SearchEntry.Kind.MEMO, memo__segment__code_id=code_id)
        )
    return entries


def _matching(entries, terms: list[Term]):
    """The entries that hold every term, in id order."""
    if connection.vendor == "postgresql":
        stems = " & ".join(
            "'" + term.values[0] + "'"
            if term.kind == "word"
            else "(" + " <-> ".join(f"'{v}'" for v in term.values) + ")"
            for term in terms
            if term.kind != "prefix"
        )
        prefixes = " & ".join(f"'{t.values[0]}':*" for t in terms if t.kind == "prefix")
        condition = Q()
        for column, tsquery in (("stems", stems), ("words", prefixes)):
            if tsquery:
                condition &= Q(
                    RawSQL(
                        f"analysis_searchentry.{column}_tsv @@ to_tsquery('simple'::regconfig, %s)",
                        [tsquery],
                        output_field=BooleanField(),
                    )
                )
        return entries.filter(condition).order_by("id")
    # SQLite FTS5: every term quoted (its words are letters and digits only), all required.
    fts = " AND ".join(
        f'words : "{t.values[0]}" *' if t.kind == "prefix" else f'stems : "{" ".join(t.values)}"'
        for t in terms
    )
    # A join, not "id IN (SELECT rowid ...)": FTS5 hands out its matches in rowid (= id) order,
    # so a page or a capped count stops early instead of collecting every match of a common word.
    return entries.extra(
        tables=["analysis_search_fts"],
        where=[
            "analysis_search_fts.rowid = analysis_searchentry.id",
            "analysis_search_fts MATCH %s",
        ],
        params=[fts],
        order_by=["analysis_search_fts.rowid"],
    )


def _hit(row: dict, terms: list[Term]) -> Hit:
    kind = row["kind"]
    if kind == SearchEntry.Kind.TURN:
        unit, code = row["turn_text"] or "", ""
    elif kind == SearchEntry.Kind.QUOTE:
        unit, code = row["quote"] or "", row["quote_code"] or ""
    else:
        unit, code = row["memo_text"] or "", row["memo_code"] or ""
    # Offsets of the unit in the text it belongs to (a memo is its own text).
    base = row["start"] if kind != SearchEntry.Kind.MEMO else 0
    found = split_words(unit)
    spans = find_matches(found, terms) or []
    first, last = min(spans) if spans else (0, 0)
    match_start = found[first].start if spans else 0
    match_end = found[last - 1].end if spans else 0
    # The context runs to the unit's edge when that is near, so its punctuation stays.
    before_from = found[first - CONTEXT_WORDS].start if first > CONTEXT_WORDS else 0
    if not spans:
        before_from = 0
    after_to = (
        found[last + CONTEXT_WORDS - 1].end if last + CONTEXT_WORDS < len(found) else len(unit)
    )
    sentence_start, sentence_end = _sentence(unit, match_start, match_end)
    return Hit(
        kind=KIND_NAMES[kind],
        entry_id=row["id"],
        text_id=row["text_id"],
        start=base + match_start,
        end=base + match_end,
        before=("… " if before_from > 0 else "") + unit[before_from:match_start],
        match=unit[match_start:match_end],
        after=unit[match_end:after_to].rstrip() + (" …" if after_to < len(unit) else ""),
        unit_start=row["start"],
        unit_end=row["end"],
        sentence_start=base + sentence_start,
        sentence_end=base + sentence_end,
        sentence=unit[sentence_start:sentence_end],
        interview=row["interview_code"] or "",
        site=row["site_name"] or "",
        group=row["group_name"] or "",
        speaker=row["speaker_code"] or "",
        code=code,
        segment_id=row["segment_id"],
        memo_id=row["memo_id"],
    )


def _sentence(unit: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of ``unit`` around ``unit[start:end]``, without surrounding blanks."""
    ends = [m.end() for m in _SENTENCE_END.finditer(unit)]
    sentence_start = max((e for e in ends if e <= start), default=0)
    sentence_end = min((e for e in ends if e >= end), default=len(unit))
    piece = unit[sentence_start:sentence_end]
    sentence_start += len(piece) - len(piece.lstrip())
    sentence_end -= len(piece) - len(piece.rstrip())
    if sentence_end <= sentence_start:
        return start, end
    return sentence_start, sentence_end


# ---- keeping the index -------------------------------------------------------------------------


def ensure_indexed(evaluation) -> None:
    """Bring the evaluation's index up to date with its texts, quotes and memos (cheap if it is)."""
    if not _stale(evaluation):
        return
    with transaction.atomic():
        # One indexer per evaluation at a time (SQLite's IMMEDIATE transactions already are).
        list(Evaluation.objects.select_for_update().filter(pk=evaluation.pk).values_list("pk"))
        missing, wanted = _missing_texts(evaluation)
        if missing:
            SearchEntry.objects.filter(evaluation=evaluation, kind=SearchEntry.Kind.TURN).exclude(
                text_id__in=wanted
            ).delete()
            for text in DeidentifiedText.objects.filter(pk__in=missing).order_by("pk"):
                _index_text(evaluation, text)
        for kind, objects in _sources(evaluation):
            _index_new(evaluation, kind, objects)


# Whether anything waits to be indexed, written out in SQL because it runs on every search and
# building it through the ORM costs more than running it. The same questions as _missing_texts
# and _new: a newest text without entries; a quote or memo above the highest id indexed (found
# first, so that the database plans the second query with the real figure).
_STALE_TEXTS_AND_MARKS_SQL = """
SELECT EXISTS (
    SELECT 1 FROM transcripts_deidentifiedtext d
    JOIN transcripts_transcript t ON t.id = d.transcript_id
    JOIN fieldwork_interview i ON i.id = t.interview_id
    WHERE i.evaluation_id = %(evaluation)s
    AND NOT EXISTS (SELECT 1 FROM transcripts_deidentifiedtext n
                    WHERE n.transcript_id = d.transcript_id AND n.version > d.version)
    AND NOT EXISTS (SELECT 1 FROM analysis_searchentry e WHERE e.text_id = d.id AND e.kind = %(turn)s)
), COALESCE((
    SELECT e.segment_id FROM analysis_searchentry e
    WHERE e.evaluation_id = %(evaluation)s AND e.kind = %(quote)s AND e.segment_id IS NOT NULL
    ORDER BY e.segment_id DESC LIMIT 1), 0
), COALESCE((
    SELECT MAX(e.memo_id) FROM analysis_searchentry e
    WHERE e.evaluation_id = %(evaluation)s AND e.kind = %(memo)s), 0
)
"""
_STALE_QUOTES_AND_MEMOS_SQL = """
SELECT EXISTS (
    SELECT 1 FROM analysis_codedsegment s JOIN analysis_code c ON c.id = s.code_id
    WHERE s.id > %(quote_mark)s AND c.evaluation_id = %(evaluation)s
), EXISTS (
    SELECT 1 FROM analysis_memo m WHERE m.id > %(memo_mark)s AND m.evaluation_id = %(evaluation)s
)
"""


def _stale(evaluation) -> bool:
    params = {
        "evaluation": _pk(evaluation),
        "turn": SearchEntry.Kind.TURN.value,
        "quote": SearchEntry.Kind.QUOTE.value,
        "memo": SearchEntry.Kind.MEMO.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(_STALE_TEXTS_AND_MARKS_SQL, params)
        texts_missing, params["quote_mark"], params["memo_mark"] = cursor.fetchone()
        if texts_missing:
            return True
        cursor.execute(_STALE_QUOTES_AND_MEMOS_SQL, params)
        return any(cursor.fetchone())


def _sources(evaluation):
    return [
        (SearchEntry.Kind.QUOTE, CodedSegment.objects.filter(code__evaluation=evaluation)),
        (SearchEntry.Kind.MEMO, Memo.objects.filter(evaluation=evaluation)),
    ]


def _missing_texts(evaluation) -> tuple[list[int], set[int]]:
    """The newest de-identified texts not yet indexed, and the set of all the newest."""
    indexed = SearchEntry.objects.filter(kind=SearchEntry.Kind.TURN, text_id=OuterRef("pk"))
    newest: dict[int, tuple[int, int, bool]] = {}
    for pk, transcript_id, version, is_indexed in (
        DeidentifiedText.objects.filter(transcript__interview__evaluation=evaluation)
        .order_by()
        .values_list("pk", "transcript_id", "version", Exists(indexed))
    ):
        if version > newest.get(transcript_id, (0, 0, False))[0]:
            newest[transcript_id] = (version, pk, is_indexed)
    missing = sorted(pk for _version, pk, is_indexed in newest.values() if not is_indexed)
    return missing, {pk for _version, pk, _indexed in newest.values()}


def _index_text(evaluation, deidentified: DeidentifiedText) -> None:
    text = deidentified.text
    turns = list(
        SpeakerTurn.objects.filter(deidentified_text=deidentified)
        .order_by("start", "order")
        .values_list("pk", "start", "end")
    )
    units = turns or [(None, 0, len(text))]
    SearchEntry.objects.bulk_create(
        [
            SearchEntry(
                evaluation=evaluation,
                kind=SearchEntry.Kind.TURN,
                text=deidentified,
                turn_id=turn_pk,
                start=start,
                end=end,
                **_columns(text[start:end]),
            )
            for turn_pk, start, end in units
        ],
        batch_size=500,
    )


def _columns(unit: str) -> dict[str, str]:
    stems, words = index_columns(unit)
    return {"stems": stems, "words": words}


def _new(evaluation, kind, objects):
    """The quotes or memos above the highest id indexed so far (ids only grow)."""
    field_name = "segment_id" if kind == SearchEntry.Kind.QUOTE else "memo_id"
    highest = (
        SearchEntry.objects.filter(evaluation=evaluation, kind=kind)
        .order_by(f"-{field_name}")
        .values(field_name)[:1]
    )
    return objects.filter(pk__gt=Coalesce(Subquery(highest), 0)).order_by("pk")


def _index_new(evaluation, kind, objects) -> None:
    entries = []
    for obj in _new(evaluation, kind, objects).iterator(chunk_size=1000):
        entries.append(_entry(evaluation.pk, obj))
        if len(entries) >= 1000:
            SearchEntry.objects.bulk_create(entries)
            entries = []
    SearchEntry.objects.bulk_create(entries)


def _entry(evaluation_id: int, obj) -> SearchEntry:
    if isinstance(obj, Memo):
        return SearchEntry(
            evaluation_id=evaluation_id,
            kind=SearchEntry.Kind.MEMO,
            memo=obj,
            start=0,
            end=len(obj.text),
            **_columns(obj.text),
        )
    return SearchEntry(
        evaluation_id=evaluation_id,
        kind=SearchEntry.Kind.QUOTE,
        segment=obj,
        text_id=obj.text_id,
        turn_id=_starting_turn_id(obj),
        start=obj.start,
        end=obj.end,
        **_columns(obj.quote),
    )


def _starting_turn_id(segment) -> int | None:
    """The turn a quote starts in (its speaker and group are the quote's)."""
    if getattr(segment, "turn_id", None) is not None:
        return segment.turn_id
    turn = (
        SpeakerTurn.objects.filter(deidentified_text_id=segment.text_id, start__lte=segment.start)
        .order_by("-start", "-order")
        .values_list("pk", flat=True)
        .first()
    )
    return turn


@receiver(post_save, sender=CodedSegment, dispatch_uid="search_reindex_segment")
@receiver(post_save, sender=Memo, dispatch_uid="search_reindex_memo")
def reindex_edited(sender, instance, created, raw=False, **kwargs) -> None:
    """An indexed quote or memo that was edited is indexed again (a new one waits for a search)."""
    if created or raw:
        return
    lookup = {"segment": instance} if sender is CodedSegment else {"memo": instance}
    old = SearchEntry.objects.filter(**lookup).first()
    if old is not None:
        old.delete()
        _entry(old.evaluation_id, instance).save()
