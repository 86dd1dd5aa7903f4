"""Bringing a theme guide in through the pages and the command: read, preview, fix, save, export."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.cli.main import main
from bsbstudio.guide import versions
from bsbstudio.guide.models import GuideQuestion, InformantGroup, Theme


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.slug, *args])


TABLE = (
    "Tema\tBrukere og pårørende\tAnsatte\n"
    "Ventetid\tHvor lenge ventet du?\t\n"
    "1.1 Første møte\tHvordan var det første møtet?\tHvordan tar dere imot nye?\n"
    "Avslutning\t\tNoe mer?"
)


def docx_upload() -> SimpleUploadedFile:
    document = Document()
    table = document.add_table(rows=3, cols=3)
    for r, values in enumerate(
        [
            ["Tema", "Brukere/pårørende", "Ansatte"],
            ["Bolig", "Hvor bor du nå?", ""],
            ["Arbeid", "Hva gjør du på dagtid?", "Hvordan hjelper dere med arbeid?"],
        ]
    ):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile("temaguide.docx", buffer.getvalue())


def read(client, evaluation, **data):
    return client.post(url("guide:table_import", evaluation), {"step": "read", **data})


def token(page: str) -> str:
    return re.search(r'name="table" value="([^"]+)"', page).group(1)


def checked(page: str, column: int) -> list[str]:
    pattern = rf'name="column-{column}" value="([^"]+)" checked'
    return re.findall(pattern, page)


def save_data(page: str, rows: int, **extra) -> dict:
    """The preview's defaults as the browser would send them, with ``extra`` on top."""
    data = {"step": "save", "table": token(page), "mode": "add"}
    for number in range(1, rows + 1):
        data[f"keep-{number}"] = "1"
        data[f"name-{number}"] = re.search(rf'name="name-{number}" value="([^"]*)"', page).group(1)
        level = re.search(
            r'<option value="(main|sub)" selected>', page.split(f'name="level-{number}"')[1]
        )
        data[f"level-{number}"] = level.group(1)
    for column in (1, 2, 3, 4):
        if checked(page, column):
            data[f"column-{column}"] = checked(page, column)
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


def test_guide_page_offers_the_import_to_those_who_edit_the_guide(evaluation, leader, client_as):
    assert "Bring in a theme guide" in leader.get(url("guide:grid", evaluation)).content.decode()
    page = client_as("peer_interviewer").get(url("guide:grid", evaluation)).content.decode()
    assert "Bring in a theme guide" not in page


@pytest.mark.parametrize("username", ["commissioner", "peer_interviewer"])
def test_others_are_refused(evaluation, client_as, username):
    client = client_as(username)
    assert client.get(url("guide:table_import", evaluation)).status_code == 403
    assert read(client, evaluation, text=TABLE).status_code == 403
    assert evaluation.themes.count() == 2


def test_pasted_table_shows_a_preview_and_saves_nothing_yet(evaluation, leader):
    page = read(leader, evaluation, text=TABLE).content.decode()
    assert "Check the theme guide before saving" in page
    assert 'value="Ventetid"' in page and 'value="Første møte"' in page
    assert page.count('<span class="meta">Empty</span>') == 2
    users = evaluation.informant_groups.get(code="B")
    assert checked(page, 1) == [f"g{users.pk}", "new:Pårørende"]  # a shared column: two groups
    staff = evaluation.informant_groups.get(code="A")
    assert checked(page, 2) == [f"g{staff.pk}"]
    assert '<option value="sub" selected>' in page.split('name="level-2"')[1][:200]
    assert evaluation.themes.count() == 2 and evaluation.informant_groups.count() == 2


def test_fix_the_preview_and_save(evaluation, leader, leader_user):
    page = read(leader, evaluation, text=TABLE).content.decode()
    data = save_data(page, 3, **{"name-1": "Å vente", "keep-3": None})
    response = leader.post(url("guide:table_import", evaluation), data)
    assert response.status_code == 302
    names = list(evaluation.themes.order_by("order", "id").values_list("name", flat=True))
    assert names == ["Tilgang", "Å bli møtt", "Å vente", "Første møte"]
    waiting = evaluation.themes.get(name="Å vente")
    assert evaluation.themes.get(name="Første møte").parent == waiting
    relatives = evaluation.informant_groups.get(name="Pårørende")
    assert relatives.code == "P"
    first = {q.group.name: q.text for q in GuideQuestion.objects.filter(theme__name="Første møte")}
    assert first == {
        "Brukere": "Hvordan var det første møtet?",
        "Pårørende": "Hvordan var det første møtet?",  # the shared column: both groups
        "Ansatte": "Hvordan tar dere imot nye?",
    }
    # The empty staff cell of "Å vente" is no question at all.
    assert not GuideQuestion.objects.filter(theme=waiting, group__code="A").exists()
    event = AuditEvent.objects.get(action="guide.table_import")
    assert event.user == leader_user and event.evaluation == evaluation
    assert event.detail["themes"] == ["Å vente", "Første møte"]
    assert event.detail["new_groups"] == ["Pårørende"] and event.detail["questions"] == 5
    assert evaluation.codes.filter(name="Å vente").exists()  # themes become analysis codes


def test_a_column_can_be_mapped_to_one_existing_group_only(evaluation, leader):
    page = read(leader, evaluation, text=TABLE).content.decode()
    users = evaluation.informant_groups.get(code="B")
    data = save_data(page, 3, **{"column-1": [f"g{users.pk}"]})
    assert leader.post(url("guide:table_import", evaluation), data).status_code == 302
    assert not InformantGroup.objects.filter(name="Pårørende").exists()


def test_uploaded_docx_is_read(evaluation, leader):
    page = read(leader, evaluation, file=docx_upload()).content.decode()
    assert 'value="Bolig"' in page and "Hvordan hjelper dere med arbeid?" in page
    response = leader.post(url("guide:table_import", evaluation), save_data(page, 2))
    assert response.status_code == 302
    assert GuideQuestion.objects.filter(text="Hvor bor du nå?").count() == 2


def test_bad_file_gives_a_message_and_changes_nothing(evaluation, leader):
    upload = SimpleUploadedFile("temaguide.docx", b"%PDF-1.4 not a table")
    response = read(leader, evaluation, file=upload)
    page = response.content.decode()
    assert response.status_code == 200 and "is a PDF" in page and "Nothing was changed." in page
    assert evaluation.themes.count() == 2


def test_a_theme_name_already_in_the_guide_is_refused_when_adding(evaluation, leader):
    page = read(leader, evaluation, text="Tema\tBrukere\nTilgang\tHva nå?").content.decode()
    response = leader.post(url("guide:table_import", evaluation), save_data(page, 1))
    assert response.status_code == 200
    assert "The guide already has these themes: Tilgang" in response.content.decode()
    assert not GuideQuestion.objects.filter(text="Hva nå?").exists()


def test_replace_keeps_themes_of_the_same_name(evaluation, leader, themes):
    page = read(leader, evaluation, text="Tema\tBrukere\nTilgang\tHva nå?").content.decode()
    data = save_data(page, 1, mode="replace")
    assert leader.post(url("guide:table_import", evaluation), data).status_code == 302
    assert list(evaluation.themes.values_list("pk", flat=True)) == [themes["Tilgang"].pk]
    assert list(GuideQuestion.objects.values_list("text", flat=True)) == ["Hva nå?"]


def test_replace_is_refused_when_the_analysis_uses_a_theme_it_would_remove(
    evaluation, leader, themes, code_quote
):
    code_quote(themes["Å bli møtt"], "Jeg ble møtt med respekt")
    page = read(leader, evaluation, text="Tema\tBrukere\nTilgang\tHva nå?").content.decode()
    response = leader.post(
        url("guide:table_import", evaluation), save_data(page, 1, mode="replace")
    )
    assert (
        response.status_code == 200 and "the analysis uses the theme" in response.content.decode()
    )
    assert evaluation.themes.count() == 2
    assert not GuideQuestion.objects.filter(text="Hva nå?").exists()


def test_a_tampered_preview_is_refused(evaluation, leader):
    page = read(leader, evaluation, text=TABLE).content.decode()
    data = save_data(page, 3, table=token(page)[:-3] + "abc")
    response = leader.post(url("guide:table_import", evaluation), data, follow=True)
    assert "The preview was out of date" in response.content.decode()
    assert evaluation.themes.count() == 2


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv"])
def test_download_then_import_gives_the_same_guide(evaluation, leader, themes, fmt):
    GuideQuestion.objects.filter(theme=themes["Tilgang"], group__code="A").delete()  # empty cell
    GuideQuestion.objects.filter(theme=themes["Å bli møtt"]).update(subquestions="Hvem?\nNår?")
    respect = themes["Å bli møtt"]
    respect.parent, respect.description = themes["Tilgang"], "Om respekt"
    respect.save()
    before = versions.snapshot(evaluation)
    response = leader.get(url("guide:download", evaluation, fmt))
    assert response["Content-Disposition"].endswith(f'-{evaluation.slug}-draft.{fmt}"')
    upload = SimpleUploadedFile(f"guide.{fmt}", response.content)
    page = read(leader, evaluation, file=upload).content.decode()
    data = save_data(page, 2, mode="replace")
    assert leader.post(url("guide:table_import", evaluation), data).status_code == 302
    assert versions.snapshot(evaluation) == before


def test_file_names_are_in_norwegian(evaluation, client_as, settings):
    client = client_as("process_leader")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    response = client.get(url("guide:download", evaluation, "xlsx"))
    assert response["Content-Disposition"] == (
        f'attachment; filename="temaguide-{evaluation.slug}-utkast.xlsx"'
    )


def test_empty_cells_are_saved_as_empty_in_the_grid(evaluation, leader, themes):
    groups = list(evaluation.informant_groups.all())
    data = {f"q_{t.pk}_{g.pk}": "Nytt?" for t in themes.values() for g in groups}
    data[f"q_{themes['Tilgang'].pk}_{groups[1].pk}"] = "  "
    assert leader.post(url("guide:grid", evaluation), data).status_code == 302
    assert GuideQuestion.objects.filter(text="Nytt?").count() == 3
    assert not GuideQuestion.objects.filter(theme=themes["Tilgang"], group=groups[1]).exists()


# --- The command ---------------------------------------------------------------------------------


def test_command_export_and_import(evaluation, tmp_path, capsys):
    out = tmp_path / "guide.xlsx"
    assert main(["guide", "export", evaluation.slug, "--out", str(out)]) == 0
    assert "Skrev 2 temaer" in capsys.readouterr().out
    text = tmp_path / "ny.txt"
    text.write_text("Bolig\n- Brukere og pårørende: Hvor bor du?\n", encoding="utf-8")
    assert main(["guide", "import", str(text), "--into", evaluation.slug, "--dry-run"]) == 0
    output = capsys.readouterr().out
    assert "Kolonne «Brukere og pårørende» → Brukere, Pårørende (ny)" in output
    assert "ingenting ble lagret" in output and not Theme.objects.filter(name="Bolig").exists()
    assert main(["guide", "import", str(text), "--into", evaluation.slug]) == 0
    assert GuideQuestion.objects.filter(text="Hvor bor du?").count() == 2
    assert AuditEvent.objects.get(action="guide.table_import").user is None


def test_command_refuses_a_bad_file_in_norwegian(evaluation, tmp_path, capsys):
    bad = tmp_path / "guide.docx"
    bad.write_bytes(b"PK\x03\x04broken")
    assert main(["guide", "import", str(bad), "--into", evaluation.slug]) == 3
    assert "kunne ikke åpnes" in capsys.readouterr().err
    assert main(["guide", "export", "finnes-ikke", "--out", str(tmp_path / "x.csv")]) == 4


def test_demo_guide_page_offers_the_import_and_its_guide_reads_back(db, verified_client):
    from django.test import Client

    from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file
    from bsbstudio.guide import printing
    from bsbstudio.guide.engine import render_docx
    from bsbstudio.guide.engine.table_import import read_file

    leader = demo_user("demo", "demo-passord-123")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    evaluation = leader.memberships.get(evaluation__slug="ambulant-team-lindvag-2026").evaluation
    client = verified_client(leader, Client())
    page = client.get(url("guide:grid", evaluation)).content.decode()
    assert "Hent inn temaguide" in page and url("guide:table_import", evaluation) in page
    draft = printing.draft_guide(evaluation)
    guide = read_file(render_docx(draft), "demo.docx")
    assert [t.name for t in guide.themes] == [row.theme for row in draft.rows]
    assert [g.name for g in guide.groups] == list(draft.groups)


def test_preview_in_bokmal(evaluation, client_as, settings):
    client = client_as("process_leader")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    page = read(client, evaluation, text=TABLE).content.decode()
    for text in ("Se over temaguiden før du lagrer", "Ny gruppe: Pårørende", ">Tom<", "Undertema"):
        assert text in page
    for english in ("Check the theme guide", "New group", ">Empty<", "Sub-theme", "Keep “"):
        assert english not in page


def test_a_sub_theme_whose_main_theme_is_left_out_becomes_a_main_theme(evaluation, leader):
    text = "Tema\tBrukere\nBolig\tHvor?\nArbeid\tHva?\n2.1 Lønn\tHvor mye?"
    page = read(leader, evaluation, text=text).content.decode()
    data = save_data(page, 3, **{"keep-2": None})
    assert leader.post(url("guide:table_import", evaluation), data).status_code == 302
    assert evaluation.themes.get(name="Lønn").parent is None  # not under "Bolig"
    assert not evaluation.themes.filter(name="Arbeid").exists()
