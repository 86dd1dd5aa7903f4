"""Tags for the coding workbench: the parts of its page that repeat per quote and per turn.

The workbench repeats the theme, polarity and directness lists in every quote's edit form and
a mark for every coded piece of every turn; done with template loops this was most of the
page's time (5,000 template nodes for a text with 27 quotes and 20 themes). These tags build the
same HTML in one pass.
"""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def options(choices, selected):
    """``<option>`` for each ``(value, label)`` of ``choices``, the one equal to ``selected`` chosen."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices),
    )


@register.simple_tag
def marked_pieces(pieces):
    """A turn's text, each coded piece in a ``<mark>`` titled with its themes' names."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    '<mark class="coded polarity-{}" title="{}">{}</mark>',
                    marks[0].polarity,
                    "; ".join(m.code.name for m in marks),
                    piece,
                )
                if marks
                else piece,
            )
            for piece, marks in pieces
        ),
    )
