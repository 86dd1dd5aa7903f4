"""Round trip: export an evaluation as .qdpx, import it into an empty one, get the same analysis.

The imported texts are raw material, so the test confirms their de-identification review on the
review page, as a person would, and then compares codes, quotes, memos and cases.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bsbstudio.accounts.confidentiality import sign
from bsbstudio.accounts.models import Membership, Role
from bsbstudio.analysis.actions import code_segment, locate_quote, write_memo
from bsbstudio.analysis.models import Code, CodedSegment, Memo
from bsbstudio.evaluations.models import Evaluation
from bsbstudio.exchange.codebook_export import code_tree
from bsbstudio.exchange.models import PendingCoding
from bsbstudio.exchange.qdpx_export import build_project
from bsbstudio.exchange.qdpx_import import import_project
from bsbstudio.fieldwork.models import Informant, Interview, Participation
from bsbstudio.reports.exports import COMMAND_LINE
from bsbstudio.transcripts.models import DeidentifiedText

FG1 = (
    "I: Velkommen. Hvordan har det vært å få hjelp fra teamet?\n"
    "D1: Altså … det tok lang tid før de kom første gang. Tre måneder 😞.\n"
    "D2: Vi i teamet har for få folk, det er sant. Særlig på høsten.\n"
    "D1: Men når de først kom, ble jeg møtt med respekt. Det betyr mye 🙏."
)
FG2 = (
    "I: Hvordan var det å bo på Økern?\n"
    "D1: Det var fint å ha noen å snakke med. Blåbærsyltetøy på brødskiva 🫐!\n"
    "D1: Og så fikk jeg jobb igjen, etter to år.\n"
)
EI1 = "I: Hva vil du si til ledelsen?\nD1: Hør på oss. Vi vet hva som hjelper 💪🏽."


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.slug, *args])


def deidentify(client, evaluation, interview, text):
    """Upload a transcript and hide every hit on the review page, as a leader would."""
    client.post(url("transcripts:upload", evaluation, interview.pk), {"text": text})
    transcript = interview.transcripts.get()
    client.post(
        url("deid:review", evaluation, transcript.pk), {"confirm_rest": "1", "create_text": "1"}
    )
    return transcript.deidentified_texts.get()


def confirm_reviews(client, evaluation, capture):
    """Confirm the review of every imported transcript on its page; the codings land on commit."""
    for interview in evaluation.interviews.order_by("code"):
        for transcript in interview.transcripts.order_by("pk"):
            with capture(execute=True):
                response = client.post(
                    url("deid:review", evaluation, transcript.pk),
                    {"confirm_rest": "1", "create_text": "1"},
                )
            assert response.status_code in (200, 302)
            assert transcript.deidentified_texts.exists()
    assert not PendingCoding.objects.filter(transcript__interview__evaluation=evaluation).exists()


def empty_evaluation(leader, slug="tom"):
    target = Evaluation.objects.create(name="Tom", slug=slug, commissioner="Testby kommune")
    Membership.objects.create(evaluation=target, user=leader, role=Role.PROCESS_LEADER)
    sign(leader, target, "Test leder")
    return target


def round_trip(evaluation, target, leader, client, capture, tmp_path):
    archive = tmp_path / f"{evaluation.slug}.qdpx"
    archive.write_bytes(build_project(COMMAND_LINE, evaluation))
    import_project(leader, archive, target)
    confirm_reviews(client, target, capture)


# -- what is compared ------------------------------------------------------------------------


def tree(evaluation):
    def node(n):
        return (n.name, n.description, n.colour, n.codable, tuple(node(c) for c in n.children))

    return [node(n) for n in code_tree(evaluation)]


def path_of(code):
    names = []
    while code is not None:
        names.insert(0, code.name)
        code = code.parent
    return tuple(names)


def source_name(text):
    """The exported name of a text, which the import keeps as the interview's place."""
    interview = text.transcript.interview
    if interview.code.startswith("IMP-"):
        return interview.place
    return interview.code if text.version == 1 else f"{interview.code} v{text.version}"


def code_paths(evaluation):
    """Each code's path as the export's tree shows it (guide themes nest by their theme)."""
    paths = {}

    def walk(nodes, above):
        for n in nodes:
            if n.pk is not None:
                paths[n.pk] = (*above, n.name)
            walk(n.children, (*above, n.name))

    walk(code_tree(evaluation), ())
    return paths


def segments(evaluation):
    paths = code_paths(evaluation)
    return sorted(
        (
            source_name(s.text),
            s.start,
            s.end,
            s.quote,
            paths[s.code_id],
            s.polarity,
            s.directness,
        )
        for s in CodedSegment.objects.filter(code__evaluation=evaluation).select_related(
            "text__transcript__interview"
        )
    )


def texts(evaluation):
    return sorted(
        (source_name(t), t.text)
        for t in DeidentifiedText.objects.filter(
            transcript__interview__evaluation=evaluation
        ).select_related("transcript__interview")
    )


def memos(evaluation):
    paths = code_paths(evaluation)

    def target(memo):
        if memo.segment_id:
            s = memo.segment
            return ("segment", source_name(s.text), s.start, s.end, paths[s.code_id])
        if memo.deidentified_text_id:
            return ("text", source_name(memo.deidentified_text))
        if memo.code_id:
            return ("code", paths[memo.code_id])
        return ("evaluation",)

    return sorted(
        (memo.text, target(memo))
        for memo in Memo.objects.filter(evaluation=evaluation).select_related(
            "segment__text__transcript__interview", "deidentified_text__transcript__interview"
        )
    )


def cases(evaluation, only=None):
    return sorted(
        (i.code, i.group.name, i.site.name if i.site else "", i.gender, i.age_band)
        for i in Informant.objects.filter(evaluation=evaluation).select_related("group", "site")
        if only is None or i.code in only
    )


def assert_same(source, target):
    assert tree(target) == tree(source)
    assert texts(target) == texts(source)
    assert segments(target) == segments(source)
    assert memos(target) == memos(source)
    assert cases(target) == cases(source)


# -- one realistic evaluation ----------------------------------------------------------------


@pytest.fixture
def realistic(evaluation, as_user, user):
    """Three texts, sub-themes and emergent themes, memos on every level, emoji, æøå."""
    from bsbstudio.analysis.actions import sync_guide_codes
    from bsbstudio.guide.models import Theme

    leader = user("process_leader")
    client = as_user("process_leader")
    access = evaluation.themes.get(name="Tilgang")
    Theme.objects.create(
        evaluation=evaluation, name="Første møte", parent=access, order=2, description="Når de kom"
    )
    sync_guide_codes(evaluation)
    access_code = evaluation.codes.get(name="Tilgang")
    first_meeting = evaluation.codes.get(name="Første møte")
    waiting = Code.objects.create(
        evaluation=evaluation,
        name="Ventetid ⏳",
        kind=Code.Kind.EMERGENT,
        parent=access_code,
        colour="#1f5fa8",
        description="Hvor lenge man venter – før første besøk",
    )
    work = Code.objects.create(
        evaluation=evaluation, name="Arbeid og skole", kind=Code.Kind.EMERGENT, order=5
    )
    south = evaluation.sites.get(name="Sør")
    b2 = Informant.objects.create(
        evaluation=evaluation,
        code="B-02",
        group=evaluation.informant_groups.get(code="B"),
        site=south,
        gender="kvinne",
        age_band="30–39",
    )
    fg2 = Interview.objects.create(
        evaluation=evaluation,
        code="FG2",
        kind="focus_group",
        site=south,
        date=datetime.date(2026, 3, 2),
    )
    Participation.objects.create(interview=fg2, informant=b2, speaker_code="D1")
    ei1 = Interview.objects.create(
        evaluation=evaluation,
        code="EI1",
        kind="individual",
        site=south,
        date=datetime.date(2026, 3, 3),
    )
    Participation.objects.create(interview=ei1, informant=b2, speaker_code="D1")
    fg1_text = deidentify(client, evaluation, evaluation.interviews.get(code="FG1"), FG1)
    fg2_text = deidentify(client, evaluation, fg2, FG2)
    ei1_text = deidentify(client, evaluation, ei1, EI1)

    def code(text, code, quote, polarity="positive", directness="direct"):
        start, end = locate_quote(text.text, quote)
        return code_segment(leader, text, code, start, end, polarity, directness)

    respect = code(fg1_text, evaluation.codes.get(name="Å bli møtt"), "ble jeg møtt med respekt")
    code(fg1_text, waiting, "det tok lang tid før de kom første gang", "critical", "indirect")
    # across two turns, with an emoji inside
    code(fg1_text, first_meeting, "Tre måneder 😞.\nD2: Vi i teamet har for få folk", "critical")
    # to the very end of the text (no line break after it)
    end_quote = code(fg1_text, access_code, "Det betyr mye 🙏.", "neutral", "indirect")
    assert end_quote.end == len(fg1_text.text)
    code(fg2_text, access_code, "Det var fint å ha noen å snakke med", "neutral")
    code(fg2_text, work, "fikk jeg jobb igjen", "positive", "indirect")
    code(fg2_text, evaluation.codes.get(name="Å bli møtt"), "Blåbærsyltetøy på brødskiva 🫐")
    code(ei1_text, work, "Vi vet hva som hjelper 💪🏽", "critical")
    write_memo(leader, evaluation, "Sterkt sitat – «respekt» 👍", segment=respect)
    write_memo(leader, evaluation, "Mange venter\nogså i Sør", code=waiting)
    write_memo(leader, evaluation, "God stemning i gruppa", deidentified_text=fg2_text)
    write_memo(leader, evaluation, "Husk å sammenligne enhetene")
    return evaluation


@pytest.mark.django_db
def test_a_realistic_evaluation_comes_back_exactly(
    realistic, user, as_user, tmp_path, django_capture_on_commit_callbacks
):
    leader = user("process_leader")
    target = empty_evaluation(leader)
    client = as_user("process_leader")
    round_trip(realistic, target, leader, client, django_capture_on_commit_callbacks, tmp_path)
    assert CodedSegment.objects.filter(code__evaluation=target).count() == 8
    # polarity and directness come back as the quote's fields, not as themes
    assert not Code.objects.filter(evaluation=target, name__in=["Polaritet", "Direkthet"]).exists()
    assert not Code.objects.filter(evaluation=target, name__in=["Positiv", "Kritisk"]).exists()
    assert_same(realistic, target)


# -- random small evaluations ----------------------------------------------------------------

# Lower-case words (no names, numbers or places for the detector to hide), æøå and characters
# outside the Basic Multilingual Plane, so offsets are counted in code points.
WORDS = [
    "og",
    "så",
    "været",
    "blåbær",
    "grønn",
    "få",
    "hjelp",
    "møte",
    "tid",
    "ære",
    "kø",
    "søt",
    "å",
    "være",
    "𝔸𝔹",
    "😀",
    "🫐",
    "💪🏽",
    "👩‍👩‍👧",
    "𐍈",
]
PALETTE = [None, "#1F5FA8", "#B03A2E", "#117A65"]


@st.composite
def small_evaluations(draw):
    turns = st.lists(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), min_size=1, max_size=4
    )
    texts = [
        "I: Hei.\n"
        + "\n".join(f"D1: {' '.join(words)}." for words in draw(turns))
        + draw(st.sampled_from(["", "\n"]))
        for _ in range(draw(st.integers(1, 2)))
    ]
    size = draw(st.integers(1, 5))
    codes = [
        (
            f"tema {n} {draw(st.sampled_from(WORDS))}",
            draw(st.none() | st.integers(0, n - 1)) if n else None,
            draw(st.sampled_from(PALETTE)),
            " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=4))),
        )
        for n in range(size)
    ]
    quotes = [
        (
            draw(st.integers(0, len(texts) - 1)),
            draw(st.integers(0, size - 1)),
            draw(st.integers(0, 10_000)),
            draw(st.integers(1, 60)),
            draw(st.sampled_from(["positive", "critical", "neutral"])),
            draw(st.sampled_from(["direct", "indirect"])),
        )
        for _ in range(draw(st.integers(0, 6)))
    ]
    memos = [
        (
            draw(st.sampled_from(["evaluation", "code", "text", "segment"])),
            draw(st.integers(0, 99)),
            " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    informants = [
        (
            f"B-{n:02d}",
            draw(st.integers(0, 1)),
            draw(st.integers(0, 1)),
            draw(st.sampled_from(["", "kvinne", "mann"])),
        )
        for n in range(draw(st.integers(0, 3)))
    ]
    return texts, codes, quotes, memos, informants


def build(leader, spec):
    """A fresh evaluation from a drawn spec, its texts de-identified through the actions."""
    from bsbstudio.deid import actions as deid_actions
    from bsbstudio.evaluations.models import Site
    from bsbstudio.guide.models import InformantGroup
    from bsbstudio.transcripts.actions import import_transcript
    from bsbstudio.transcripts.engine import parse_text

    texts, codes, quotes, memos, informants = spec
    source = empty_evaluation(leader, "hyp-kilde")
    sites = [
        Site.objects.create(evaluation=source, name=n, order=i)
        for i, n in enumerate(["Nord", "Sør"])
    ]
    groups = [
        InformantGroup.objects.create(evaluation=source, code=c, name=n, order=i)
        for i, (c, n) in enumerate([("B", "Brukere"), ("A", "Ansatte")])
    ]
    for code, group, site, gender in informants:
        Informant.objects.create(
            evaluation=source, code=code, group=groups[group], site=sites[site], gender=gender
        )
    made_codes = []
    for order, (name, parent, colour, description) in enumerate(codes):
        made_codes.append(
            Code.objects.create(
                evaluation=source,
                name=name,
                kind=Code.Kind.EMERGENT,
                order=order,
                parent=made_codes[parent] if parent is not None else None,
                colour=colour or "",
                description=description,
            )
        )
    deidentified = []
    for number, text in enumerate(texts, start=1):
        interview = Interview.objects.create(
            evaluation=source,
            code=f"EI{number}",
            kind="individual",
            site=sites[0],
            date=datetime.date(2026, 3, number),
        )
        transcript = import_transcript(leader, interview, parse_text(text, "t.txt"), "t.txt")
        deid_actions.decide(
            leader, transcript, {d.pk: "confirmed" for d in transcript.detections.all()}
        )
        deidentified.append(deid_actions.create_deidentified_text(leader, transcript))
    segments = []
    for text_index, code_index, at, length, polarity, directness in quotes:
        text = deidentified[text_index]
        start = at % len(text.text)
        end = min(start + length, len(text.text))
        if not text.text[start:end].strip():
            continue
        segments.append(
            code_segment(leader, text, made_codes[code_index], start, end, polarity, directness)
        )
    for kind, index, body in memos:
        target = {
            "code": {"code": made_codes[index % len(made_codes)]},
            "text": {"deidentified_text": deidentified[index % len(deidentified)]},
            "segment": {"segment": segments[index % len(segments)]} if segments else {},
        }.get(kind, {})
        write_memo(leader, source, body, **target)
    return source


@pytest.mark.django_db
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=small_evaluations())
def test_random_small_evaluations_come_back_exactly(
    spec, evaluation, user, as_user, tmp_path_factory, django_capture_on_commit_callbacks
):
    from django.db import transaction

    leader = user("process_leader")
    client = as_user("process_leader")
    with transaction.atomic():
        source = build(leader, spec)
        target = empty_evaluation(leader, "hyp-maal")
        round_trip(
            source,
            target,
            leader,
            client,
            django_capture_on_commit_callbacks,
            tmp_path_factory.mktemp("hyp"),
        )
        assert_same(source, target)
        transaction.set_rollback(True)
