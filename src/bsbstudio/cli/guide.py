"""`bsb guide export|import`: the theme guide as a DOCX, XLSX or CSV table, out and back in.

``export SLUG --out FILE`` writes the working draft in the format the file's ending names.
``import FILE --into SLUG`` reads a table as the "Bring in a theme guide" page does and adds its
themes after the guide's own (``--replace`` to replace them); each column goes to the groups its
header names, made when missing. ``--dry-run`` prints what was read and changes nothing.
Messages are in bokmål, as the pages are by default.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .report import EXIT_NOT_FOUND, EXIT_REFUSED, _write_atomically
from .server import migrate, setup_django

FORMATS = ("docx", "xlsx", "csv", "pdf")


def register(subparsers) -> None:
    """Add `bsb guide export` and `bsb guide import`."""
    parser = subparsers.add_parser("guide", help="the theme guide (temaguide) as a table file")
    commands = parser.add_subparsers(dest="guide_command", metavar="COMMAND")
    export = commands.add_parser("export", help="write the guide's draft to a .docx/.xlsx/.csv")
    export.add_argument("slug", help="the evaluation's short name")
    export.add_argument("--out", type=Path, required=True, help="the file to write")
    export.set_defaults(func=export_command)
    bring_in = commands.add_parser("import", help="bring a guide table into an evaluation")
    bring_in.add_argument("file", type=Path, help="a .docx, .xlsx, .csv or text file")
    bring_in.add_argument("--into", required=True, help="the evaluation's short name")
    bring_in.add_argument("--replace", action="store_true", help="replace the guide's themes")
    bring_in.add_argument("--dry-run", action="store_true", help="show what was read; save nothing")
    bring_in.set_defaults(func=import_command)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def _evaluation(slug: str, command: str):
    from bsbstudio.evaluations.models import Evaluation

    evaluation = Evaluation.objects.filter(slug=slug).first()
    if evaluation is None:
        print(f"bsb guide {command}: ingen evaluering med kortnavnet {slug!r}", file=sys.stderr)
    return evaluation


def export_command(args: argparse.Namespace) -> int:
    """Write the draft; the format comes from the file's ending."""
    setup_django()
    migrate()
    from django.conf import settings
    from django.utils import translation

    from bsbstudio.guide import printing

    fmt = args.out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        print(
            "bsb guide export: skriv til en fil som slutter på .docx, .xlsx, .csv eller .pdf",
            file=sys.stderr,
        )
        return 2
    evaluation = _evaluation(args.slug, "export")
    if evaluation is None:
        return EXIT_NOT_FOUND
    with translation.override(settings.LANGUAGE_CODE):
        guide = printing.draft_guide(evaluation)
        render, _content_type = printing.FORMATS[fmt]
        content = render(guide)
    try:
        _write_atomically(args.out, content)
    except OSError as error:
        print(f"bsb guide export: kan ikke skrive {args.out}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"Skrev {len(guide.rows)} temaer og {len(guide.groups)} grupper til {args.out}")
    return 0


def import_command(args: argparse.Namespace) -> int:
    """Read the table and save it (or, with --dry-run, only show it)."""
    setup_django()
    migrate()
    from django.conf import settings
    from django.utils import translation

    from bsbstudio.guide import actions
    from bsbstudio.guide.engine import table_import
    from bsbstudio.web.messages import user_message

    with translation.override(settings.LANGUAGE_CODE):
        evaluation = _evaluation(args.into, "import")
        if evaluation is None:
            return EXIT_NOT_FOUND
        try:
            content = args.file.read_bytes()
        except OSError as error:
            print(f"bsb guide import: kan ikke lese {args.file}: {error.strerror}", file=sys.stderr)
            return 1
        try:
            guide = actions.named_columns(table_import.read_file(content, args.file.name))
        except table_import.TableImportError as error:
            print(f"bsb guide import: {user_message(error)}", file=sys.stderr)
            return EXIT_REFUSED
        columns = [
            [
                target
                for target, _label, ticked in actions.column_choices(evaluation, group)
                if ticked
            ]
            for group in guide.groups
        ]
        _show(guide, columns, evaluation)
        if args.dry_run:
            print("Prøvekjøring: ingenting ble lagret.")
            return 0
        try:
            result = actions.import_table(
                None, evaluation, guide, columns, replace=args.replace, source=guide.source
            )
        except actions.GuideError as error:
            print(f"bsb guide import: {user_message(error)} Ingenting ble lagret.", file=sys.stderr)
            return EXIT_REFUSED
    print(
        f"Lagret {len(result.themes)} temaer og {result.questions} spørsmål i {evaluation.slug}"
        + (f"; nye grupper: {', '.join(result.new_groups)}" if result.new_groups else "")
    )
    return 0


def _show(guide, columns, evaluation) -> None:
    """What was read: each column and the groups it goes to, each theme and its filled cells."""
    names = {group.pk: group.name for group in evaluation.informant_groups.all()}
    for group, targets in zip(guide.groups, columns, strict=True):
        to = ", ".join(
            names.get(t, f"{t} (ny)") if isinstance(t, int) else f"{t} (ny)" for t in targets
        )
        print(f"Kolonne «{group.name}» → {to or 'utelatt'}")
    for theme in guide.themes:
        filled = sum(not cell.is_empty for cell in theme.cells)
        indent = "  " if theme.depth else ""
        print(f"{indent}{theme.name}: {filled} av {len(theme.cells)} celler med spørsmål")
