"""Taguette as an independent producer: its own QDC export code writes a codebook we import.

Taguette (1.5.2) writes a codebook with ``taguette.export.codebook_xml(tags, file)``, where a tag
is anything with a ``path``; no server or database is needed. It imports codebooks only from
CSV (``taguette.import_codebook.list_tags``), so it cannot read ours back.
"""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from bsbstudio.analysis.models import Code
from bsbstudio.cli.main import main
from bsbstudio.exchange.codebook_import import import_codebook, read_codebook

taguette_export = pytest.importorskip(
    "taguette.export", reason="taguette is not installed (the test extra)"
)

TAGS = ["interesting", "Tilgang til hjelp", "Å bli møtt – med respekt 😊", "people.staff"]


def taguette_codebook() -> bytes:
    out = io.BytesIO()
    taguette_export.codebook_xml([SimpleNamespace(path=p) for p in TAGS], out)
    return out.getvalue()


def test_taguettes_codebook_reads_with_a_warning_for_its_empty_sets():
    data = taguette_codebook()
    assert b"Taguette" in data
    codes, warnings = read_codebook(data, "taguette.qdc")
    assert [c.name for c in codes] == TAGS
    assert all(c.parent is None for c in codes)
    # Taguette writes an empty <Sets/>, which Codebook.xsd does not allow: a warning, not a refusal
    assert any("Sets" in w for w in warnings)


@pytest.mark.django_db
def test_taguettes_codebook_imports_as_emergent_themes(evaluation, user):
    result = import_codebook(user("process_leader"), evaluation, taguette_codebook(), "tg.qdc")
    assert result["made"] == len(TAGS)
    names = set(
        Code.objects.filter(evaluation=evaluation, kind=Code.Kind.EMERGENT).values_list(
            "name", flat=True
        )
    )
    assert names == set(TAGS)


@pytest.mark.django_db
def test_bsb_import_qdc_reads_taguettes_file(evaluation, tmp_path, capsys):
    path = tmp_path / "taguette.qdc"
    path.write_bytes(taguette_codebook())
    assert main(["import", "qdc", str(path), "--into", evaluation.slug]) == 0
    assert Code.objects.filter(evaluation=evaluation, name="Å bli møtt – med respekt 😊").exists()
    # a second import matches the codes by name instead of making them again
    assert main(["import", "qdc", str(path), "--into", evaluation.slug]) == 0
    assert Code.objects.filter(evaluation=evaluation, name="interesting").count() == 1
