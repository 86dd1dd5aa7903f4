"""`bsb analysis agreement EVALUATION TEXT_ID CODER_A CODER_B`: the agreement table of two coders.

`bsb analysis suggest-accuracy EVALUATION`: how well theme suggestions rank held-out quotes.

Prints, per theme, percent agreement, Cohen's kappa and Krippendorff's alpha by character and by
quote, for the two coders' quotes on one de-identified text as they stand now. Numbers only: no
quote is printed, and nothing is changed.
"""

from __future__ import annotations

import argparse
import sys

from bsbstudio.cli.report import EXIT_NOT_FOUND, EXIT_REFUSED
from bsbstudio.cli.server import migrate, setup_django


def register(subparsers) -> None:
    """Add `bsb analysis` with its `agreement` subcommand."""
    parser = subparsers.add_parser("analysis", help="measurements of the analysis")
    commands = parser.add_subparsers(dest="analysis_command", metavar="SUBCOMMAND")
    agreement = commands.add_parser(
        "agreement", help="inter-coder agreement of two coders on one text, per theme"
    )
    agreement.add_argument("evaluation", help="the evaluation's short name")
    agreement.add_argument("text_id", type=int, help="the de-identified text's number")
    agreement.add_argument("coder_a", help="the first coder's username")
    agreement.add_argument("coder_b", help="the second coder's username")
    agreement.set_defaults(func=agreement_command)
    accuracy = commands.add_parser(
        "suggest-accuracy",
        help="top-1 and top-3 accuracy of theme suggestions on 20 %% of the coded quotes held out",
    )
    accuracy.add_argument("evaluation", help="the evaluation's short name")
    accuracy.set_defaults(func=suggest_accuracy_command)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def agreement_command(args: argparse.Namespace) -> int:
    """Print the table; EXIT_NOT_FOUND for an unknown name, EXIT_REFUSED if it cannot be measured."""
    setup_django()
    migrate()
    from django.contrib.auth import get_user_model

    from bsbstudio.analysis.agreement import measure
    from bsbstudio.analysis.engine.agreement import AgreementError
    from bsbstudio.analysis.models import Code, DoubleCoding
    from bsbstudio.evaluations.models import Evaluation
    from bsbstudio.transcripts.models import DeidentifiedText

    evaluation = Evaluation.objects.filter(slug=args.evaluation).first()
    text = (
        DeidentifiedText.objects.filter(
            pk=args.text_id, transcript__interview__evaluation=evaluation
        )
        .select_related("transcript__interview")
        .first()
    )
    users = get_user_model().objects
    coders = [users.filter(username=name).first() for name in (args.coder_a, args.coder_b)]
    missing = [
        what
        for what, found in (
            (f"evaluation {args.evaluation!r}", evaluation),
            (f"text {args.text_id} in it", text),
            (f"user {args.coder_a!r}", coders[0]),
            (f"user {args.coder_b!r}", coders[1]),
        )
        if found is None
    ]
    if missing:
        print(f"Not found: {', '.join(missing)}.", file=sys.stderr)
        return EXIT_NOT_FOUND
    # An unsaved double coding only says whose quotes to compare on which text.
    pair = DoubleCoding(text=text, coder_a=coders[0], coder_b=coders[1])
    try:
        agreement = measure(pair)
    except AgreementError as error:
        print(error.message, file=sys.stderr)
        return EXIT_REFUSED
    names = dict(Code.objects.filter(evaluation=evaluation).values_list("pk", "name"))
    print(
        f"Agreement of {args.coder_a} and {args.coder_b} on {text.transcript.interview.code} "
        f"(text {text.pk}, {len(text.text)} characters)"
    )
    print(format_table(agreement, names))
    if agreement.unused:
        print(f"{len(agreement.unused)} themes used by neither are left out.")
    print(f"{len(agreement.disagreements)} passages coded differently.")
    return 0


def format_table(agreement, names: dict) -> str:
    """The per-theme table as aligned plain text."""
    header = ("Theme", "chars %", "kappa", "alpha", "quotes %", "kappa", "alpha", "units")
    rows = [
        (
            names.get(t.theme, str(t.theme)),
            f"{100 * t.characters.agreement:.1f}",
            f"{t.characters.kappa:.3f}",
            f"{t.characters.alpha:.3f}",
            f"{100 * t.segments.agreement:.1f}",
            f"{t.segments.kappa:.3f}",
            f"{t.segments.alpha:.3f}",
            str(t.segments.units),
        )
        for t in agreement.themes
    ]
    width = max(len(row[0]) for row in [header, *rows])
    lines = [header[0].ljust(width) + "".join(f"{cell:>10}" for cell in header[1:])]
    for row in rows:
        lines.append(row[0].ljust(width) + "".join(f"{cell:>10}" for cell in row[1:]))
    return "\n".join(lines)


def suggest_accuracy_command(args: argparse.Namespace) -> int:
    """Train on 80 % of the coded quotes (fixed seed), print how often the rest are ranked right."""
    setup_django()
    migrate()
    from bsbstudio.analysis.autocode import measure_accuracy
    from bsbstudio.analysis.engine.suggest import MIN_QUOTES_PER_THEME, NotEnoughQuotes
    from bsbstudio.evaluations.models import Evaluation

    evaluation = Evaluation.objects.filter(slug=args.evaluation).first()
    if evaluation is None:
        print(f"Not found: evaluation {args.evaluation!r}.", file=sys.stderr)
        return EXIT_NOT_FOUND
    try:
        result = measure_accuracy(evaluation)
    except NotEnoughQuotes:
        print(
            f"Too few coded quotes: at least two themes need {MIN_QUOTES_PER_THEME} each.",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    print(
        f"Trained on {result.trained_on} quotes, {result.held_out} held out, "
        f"{result.themes} themes (each with at least {MIN_QUOTES_PER_THEME} quotes)"
    )
    print(f"top-1 accuracy {100 * result.top1:.1f} %")
    print(f"top-3 accuracy {100 * result.top3:.1f} %")
    return 0
