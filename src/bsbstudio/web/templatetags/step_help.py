"""``{% step_help "guide" as help %}``: a step's short help text, for web/_step_help.html."""

from django import template

from bsbstudio.web import help as help_texts

register = template.Library()


@register.simple_tag
def step_help(key):
    """The step's texts (title, page, needs, produces) in the active language."""
    return help_texts.step(key)
