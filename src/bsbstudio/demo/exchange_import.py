"""Demo data for the REFI-QDA import: a small project "from NVivo" brought into the ambulant team.

A researcher at the university coded two follow-up interviews in another program; the project
file (made here as such a program writes it, with a flat ``A::B`` code) is imported into the
ambulant-team evaluation. The first text is then reviewed and de-identified, so its codings
appear as quotes on the de-identified text; the second waits for review, its codings with it.
Idempotent: imported once (the site "Importert" marks it).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

from bsbstudio.deid import actions as deid_actions
from bsbstudio.deid.models import Detection
from bsbstudio.evaluations.models import Evaluation

SLUG = "ambulant-team-lindvag-2026"

TEXTS = {
    "Oppfølgingsintervju 1": (
        "I: Hvordan har det vært med teamet det siste halvåret?\n"
        "B1: Det har vært godt. Torill fra teamet kommer hver tirsdag, og hun hører på meg. "
        "Jeg blir møtt som et menneske, ikke som en diagnose.\n"
        "I: Er det noe som er vanskelig?\n"
        "B1: Kveldene er lange. Når teamet har gått hjem, sitter jeg alene, og da blir det tungt. "
        "Bussen går bare to ganger om dagen, så jeg kommer meg ikke på dagsenteret.\n"
    ),
    "Oppfølgingsintervju 2": (
        "I: Hva vil du si om ventetiden da du ble henvist?\n"
        "B2: Det tok nesten tre måneder før noen ringte. I den tiden hadde jeg ingen å snakke med.\n"
        "I: Og nå?\n"
        "B2: Nå vet jeg hvem jeg skal ringe. Det gjør at jeg sover bedre.\n"
    ),
}
# code (ATLAS.ti-style "parent::child" names are read as a tree) -> passages coded to it
CODES = {
    "Å bli møtt": ["Jeg blir møtt som et menneske, ikke som en diagnose."],
    "Ensomhet": [],
    "Ensomhet::Kveldene": ["Kveldene er lange. Når teamet har gått hjem, sitter jeg alene"],
    "Transport til tilbudene": ["Bussen går bare to ganger om dagen"],
    "Tilgang og ventetid": [
        "Det tok nesten tre måneder før noen ringte.",
        "Nå vet jeg hvem jeg skal ringe.",
    ],
}


def _guid(kind: int, number: int) -> str:
    return f"{kind:08X}-5E0B-4C31-9A7E-{number:012X}"


def build_project() -> bytes:
    """The project file as another program would write it (``project.qde`` and ``sources/``)."""
    names = list(CODES)
    codes = "".join(
        f'<Code guid="{_guid(1, i)}" name={quoteattr(name)} isCodable="true"/>'
        for i, name in enumerate(names)
    )
    sources, selection = [], 0
    for number, (name, text) in enumerate(TEXTS.items()):
        parts = []
        for code_index, code in enumerate(names):
            for passage in CODES[code]:
                if passage not in text:
                    continue
                start = text.index(passage)
                selection += 1
                parts.append(
                    f'<PlainTextSelection guid="{_guid(3, selection)}" startPosition="{start}" '
                    f'endPosition="{start + len(passage)}"><Coding guid="{_guid(4, selection)}">'
                    f'<CodeRef targetGUID="{_guid(1, code_index)}"/></Coding></PlainTextSelection>'
                )
        sources.append(
            f'<TextSource guid="{_guid(2, number)}" name={quoteattr(name)} '
            f'plainTextPath="internal://{_guid(2, number)}.txt">{"".join(parts)}</TextSource>'
        )
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Oppfølging Vardeteamet" '
        f'origin="NVivo 14"><CodeBook><Codes>{codes}</Codes></CodeBook>'
        f"<Sources>{''.join(sources)}</Sources></Project>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        for number, text in enumerate(TEXTS.values()):
            archive.writestr(f"sources/{_guid(2, number)}.txt", text.encode("utf-8"))
    return buffer.getvalue()


def load_exchange_import(leader) -> None:
    """Import the project into the ambulant team and review its first text (once)."""
    from bsbstudio.exchange.qdpx_import import import_project

    evaluation = Evaluation.objects.filter(slug=SLUG).first()
    if evaluation is None or evaluation.sites.filter(name="Importert").exists():
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "oppfolging-vardeteamet.qdpx"
        path.write_bytes(build_project())
        result = import_project(leader, path, evaluation)
    first = result.interviews[0].transcripts.order_by("-version").first()
    pending = first.detections.filter(decision=Detection.Decision.PENDING)
    deid_actions.decide(leader, first, {d.pk: Detection.Decision.CONFIRMED for d in pending})
    # the codings follow onto the de-identified text when its transaction commits
    deid_actions.create_deidentified_text(leader, first)
