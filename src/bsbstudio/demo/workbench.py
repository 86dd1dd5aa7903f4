"""Demo data for the coding workbench: dialogues coded across speaker turns, and memos.

In the ambulant-team evaluation's interview EI1 (Ytre), two of the interviewer's questions are
coded together with the answer, so the text page and the matrix show them as "I: … / D1: …";
memos are written on the evaluation, a theme, the transcript and a dialogue. Idempotent: a
dialogue already coded to its theme, or a memo already written, is left as it is; a dialogue the
de-identification changed is skipped.
"""

from __future__ import annotations

from bsbstudio.analysis.actions import SegmentError, code_segment, locate_quote, write_memo
from bsbstudio.analysis.models import Code, CodedSegment, Memo
from bsbstudio.evaluations.models import Evaluation
from bsbstudio.transcripts.models import DeidentifiedText

SLUG = "ambulant-team-lindvag-2026"

# (theme, polarity, directness, question, answer)
DIALOGUES = [
    (
        "Å bli møtt",
        "positive",
        "direct",
        "Og det var greit for deg?",
        "Det var det som gjorde at jeg slapp dem inn en gang til, tror jeg.",
    ),
    (
        "Aktivitet og meningsfull hverdag",
        "critical",
        "direct",
        "Hva tenker du kunne vært annerledes der?",
        "At de hadde hatt noe her ute også.",
    ),
]


MEMOS = {
    "evaluation": "Ytre mangler kritiske sitater om medvirkning; se etter dem i neste runde.",
    "theme": "Ventetid nevnes av både brukere og pårørende, oftest om den første måneden.",
    "text": "Intervjuet gikk lett etter at praten om båten kom i gang; lite ledende spørsmål.",
    "segment": "Et godt eksempel på at uformell prat åpner døra. Kandidat til sluttrapporten.",
}


def load_workbench(leader) -> None:
    """Code the EI1 dialogues, once each, and write the memos."""
    evaluation = Evaluation.objects.filter(slug=SLUG).first()
    if evaluation is None:
        return
    text = (
        DeidentifiedText.objects.filter(
            transcript__interview__evaluation=evaluation, transcript__interview__code="EI1"
        )
        .order_by("-version")
        .first()
    )
    if text is None:
        return
    codes = {c.name: c for c in Code.objects.filter(evaluation=evaluation)}
    for theme, polarity, directness, question, answer in DIALOGUES:
        if theme not in codes:
            continue
        try:
            start, _end = locate_quote(text.text, question)
            answer_start, end = locate_quote(text.text, answer, near=start)
        except SegmentError:
            continue  # the de-identification changed a word of it
        if answer_start < start or "\n" not in text.text[start:answer_start]:
            continue  # not the answer to this question
        if not CodedSegment.objects.filter(
            text=text, code=codes[theme], start=start, end=end
        ).exists():
            code_segment(leader, text, codes[theme], start, end, polarity, directness)
    about = {
        "evaluation": {},
        "theme": {"code": codes.get("Tilgang og ventetid")},
        "text": {"deidentified_text": text},
        "segment": {
            "segment": CodedSegment.objects.filter(
                text=text, code=codes.get("Å bli møtt"), quote__contains="\nD1: "
            ).first()
        },
    }
    for kind, body in MEMOS.items():
        if (
            None in about[kind].values()
            or Memo.objects.filter(evaluation=evaluation, text=body).exists()
        ):
            continue
        write_memo(leader, evaluation, body, **about[kind])
