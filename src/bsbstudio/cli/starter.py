"""`bsb starter list|show NAME|docx NAME --out FILE`: the starters an evaluation can begin from.

``list`` names them, ``show`` prints one's groups, themes, questions and goals, and ``docx``
writes its brochure, consent, declaration, report outline and guide as a Word document. They
only read the starter files: no database is needed. Messages are in bokmål, as the pages are.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .report import EXIT_NOT_FOUND, _write_atomically


def register(subparsers) -> None:
    """Add `bsb starter list|show|docx`."""
    parser = subparsers.add_parser("starter", help="ready-made theme guides and texts")
    commands = parser.add_subparsers(dest="starter_command", metavar="COMMAND")
    commands.add_parser("list", help="list the starters").set_defaults(func=list_command)
    show = commands.add_parser("show", help="print one starter's guide and goals")
    show.add_argument("name", help="the starter's key (see `bsb starter list`)")
    show.set_defaults(func=show_command)
    docx = commands.add_parser("docx", help="write one starter's texts as a Word document")
    docx.add_argument("name", help="the starter's key (see `bsb starter list`)")
    docx.add_argument("--out", type=Path, required=True, help="the .docx file to write")
    docx.set_defaults(func=docx_command)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def _starter(name: str, command: str):
    from bsbstudio.guide.starters import loader

    starter = loader.starters().get(name)
    if starter is None:
        known = ", ".join(loader.starters())
        print(
            f"bsb starter {command}: ukjent startpunkt {name!r} (finnes: {known})", file=sys.stderr
        )
    return starter


def list_command(args: argparse.Namespace) -> int:
    """One line per starter: key, name, and how much its guide holds."""
    from bsbstudio.guide.starters import loader

    for starter in loader.starters().values():
        print(
            f"{starter.key}\t{starter.name}\t{len(starter.all_themes())} temaer, "
            f"{starter.question_count()} spørsmål, {len(starter.goals)} mål"
        )
    return 0


def show_command(args: argparse.Namespace) -> int:
    """The starter's groups, theme tree with questions, and goals."""
    starter = _starter(args.name, "show")
    if starter is None:
        return EXIT_NOT_FOUND
    groups = dict(starter.groups)
    print(f"{starter.name}\n{starter.description}\n")
    print("Informantgrupper: " + ", ".join(f"{code} {name}" for code, name in starter.groups))

    def theme_lines(theme, depth: int) -> None:
        indent = "  " * depth
        print(f"\n{indent}{theme.name}")
        for code, question in theme.questions.items():
            print(f"{indent}  {groups[code]}: {question.text}")
            for follow_up in question.follow_up:
                print(f"{indent}    - {follow_up}")
        for child in theme.subthemes:
            theme_lines(child, depth + 1)

    for theme in starter.themes:
        theme_lines(theme, 0)
    print("\nForeslåtte mål:")
    for goal in starter.goals:
        print(f"- {goal.text}")
    return 0


def docx_command(args: argparse.Namespace) -> int:
    """Write the starter's texts and guide to a .docx file."""
    from bsbstudio.guide.starters import documents

    starter = _starter(args.name, "docx")
    if starter is None:
        return EXIT_NOT_FOUND
    if args.out.suffix.lower() != ".docx":
        print("bsb starter docx: skriv til en fil som slutter på .docx", file=sys.stderr)
        return 2
    try:
        _write_atomically(args.out, documents.starter_docx(starter))
    except OSError as error:
        print(f"bsb starter docx: kan ikke skrive {args.out}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"Skrev tekstene for {starter.name} til {args.out}")
    return 0
