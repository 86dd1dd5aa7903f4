"""`bsb import qdpx|qdc`: the dry run writes nothing, the import writes, refusals exit 3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bsbstudio.analysis.models import Code
from bsbstudio.cli.main import main
from bsbstudio.evaluations.models import Evaluation
from bsbstudio.exchange.models import PendingCoding
from bsbstudio.transcripts.models import Transcript

SAMPLES = Path("/work/shared/data/refi-qda/samples")
QC = SAMPLES / "qc-1.3.2_demo.qdpx"
ATLAS = SAMPLES / "atlasti-8.4_refi-standard-project.qdpx"


def sample(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"REFI-QDA sample not found: {path} (the shared data folder is missing)")
    return path


@pytest.mark.django_db
def test_dry_run_prints_the_preview_and_writes_nothing(evaluation, capsys):
    codes = Code.objects.count()
    assert main(["import", "qdpx", str(sample(ATLAS)), "--into", "test", "--dry-run"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["counts"]["missing_files"] == 17
    assert printed["counts"]["codes"] == 14
    assert len(printed["missing_files"]) == 17
    assert Code.objects.count() == codes


@pytest.mark.django_db
def test_import_into_an_existing_evaluation(evaluation, capsys):
    assert main(["import", "qdpx", str(sample(QC)), "--into", "test"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["evaluation"] == "test" and len(printed["interviews"]) == 2
    assert Transcript.objects.filter(interview__evaluation=evaluation).count() == 2
    assert PendingCoding.objects.count() == 205


@pytest.mark.django_db
def test_import_without_into_makes_a_new_evaluation(evaluation, django_user_model, capsys):
    django_user_model.objects.create_superuser("root", "r@example.org", "x")
    assert main(["import", "qdpx", str(sample(ATLAS)), "--slug", "atlas"]) == 0
    new = Evaluation.objects.get(slug="atlas")
    assert new.name == "ATLAS.ti standard project"
    # "Coke::diet Coke" and "Coke::full-fat Coke" are a tree; the leaf names pass the
    # identifier screening, which takes "Coke" in them for a name (it errs on hiding).
    assert Code.objects.filter(evaluation=new, parent__name="Coke").count() == 2


@pytest.mark.django_db
def test_a_new_evaluations_short_name_is_made_as_everywhere_else(
    evaluation, django_user_model, capsys
):
    from bsbstudio.evaluations.short_names import short_name

    django_user_model.objects.create_superuser("root", "r@example.org", "x")
    name = "Bydel Grünerløkka – Ærlig og åpen"
    assert short_name(name) == "bydel-grunerlokka-aerlig-og-apen"
    assert main(["import", "qdpx", str(sample(QC)), "--name", name]) == 0
    assert json.loads(capsys.readouterr().out)["evaluation"] == short_name(name)
    assert Evaluation.objects.get(slug=short_name(name)).name == name
    # The same name again: the next free short name, as the new-evaluation form gives it.
    assert main(["import", "qdpx", str(sample(QC)), "--name", name]) == 0
    assert json.loads(capsys.readouterr().out)["evaluation"] == f"{short_name(name)}-2"
    # Without a name, the project's own name (or the file's) gives it.
    assert main(["import", "qdpx", str(sample(ATLAS))]) == 0
    assert json.loads(capsys.readouterr().out)["evaluation"] == short_name(
        "ATLAS.ti standard project"
    )


def test_the_exchange_app_has_no_short_name_maker_of_its_own():
    app = Path(__file__).resolve().parents[2] / "src" / "bsbstudio" / "exchange"
    for module in ("import_cli.py", "import_views.py", "qdpx_import.py", "views.py"):
        assert "slugify" not in (app / module).read_text(encoding="utf-8"), module


@pytest.mark.django_db
def test_a_refused_file_exits_3_with_a_norwegian_message(evaluation, tmp_path, capsys):
    bad = tmp_path / "tom.qdpx"
    bad.write_bytes(b"")
    assert main(["import", "qdpx", str(bad), "--into", "test"]) == 3
    assert "tom.qdpx" in capsys.readouterr().err
    assert main(["import", "qdpx", str(bad), "--into", "nope"]) == 4


@pytest.mark.django_db
def test_qdc_import(evaluation, tmp_path, capsys):
    qdc = tmp_path / "bok.qdc"
    qdc.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="11111111-1111-1111-1111-111111111111" name="Ventetid" isCodable="true"/>'
        "</Codes></CodeBook>",
        encoding="utf-8",
    )
    assert main(["import", "qdc", str(qdc), "--into", "test"]) == 0
    assert json.loads(capsys.readouterr().out)["made"] == 1
    assert Code.objects.filter(evaluation=evaluation, name="Ventetid").exists()
