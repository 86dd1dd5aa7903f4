"""The coding forms: code a selection (or a pasted quote) of a de-identified text; name and edit themes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .colours import text_on
from .models import Code, CodedSegment

CODE_NAME_MAX_LENGTH = Code._meta.get_field("name").max_length


def tree_label(code) -> str:
    """A theme's name indented by its depth in the code tree (``code.depth`` from the tree)."""
    depth = getattr(code, "depth", 0)
    return "\u00a0\u00a0\u00a0" * depth + ("└ " if depth else "") + code.name


class CodeSelect(forms.Select):
    """A list of themes in the order of the code tree, indented, each option in its colour."""

    colours: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        """An option, with its theme's colour when it has one."""
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        colour = self.colours.get(str(value))
        if colour:
            option["attrs"]["data-colour"] = colour
            option["attrs"]["style"] = f"background-color: {colour}; color: {text_on(colour)}"
        return option


def show_tree(field: forms.ModelChoiceField, tree: list) -> None:
    """Offer ``field``'s themes as the code tree ``tree`` shows them (codes with depth and swatch)."""
    field.widget.choices = [(code.pk, tree_label(code)) for code in tree]
    field.widget.colours = {str(code.pk): code.swatch for code in tree}


class CodeSegmentForm(forms.Form):
    """Code a quote. The browser fills start/end from the selection; without it, paste the quote."""

    code = forms.ModelChoiceField(
        label=_("Theme"), queryset=None, empty_label=None, widget=CodeSelect
    )
    quote = forms.CharField(
        label=_("Quote"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Select text in the transcript, or paste it here exactly as it stands."),
    )
    polarity = forms.ChoiceField(
        label=_("Polarity"),
        choices=CodedSegment.Polarity.choices,
        initial=CodedSegment.Polarity.NEUTRAL,
        widget=forms.RadioSelect,
    )
    directness = forms.ChoiceField(
        label=_("Direct or indirect"),
        choices=CodedSegment.Directness.choices,
        initial=CodedSegment.Directness.DIRECT,
        widget=forms.RadioSelect,
    )
    start = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)
    end = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, evaluation, tree=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].queryset = evaluation.codes.all()
        if tree is not None:
            show_tree(self.fields["code"], tree)


class NothingSaidForm(forms.Form):
    """The note of a "nothing said" mark: optional, with no NUL byte (Django's own check).

    Its length is bounded where the mark is set (``silence.mark_nothing_said``).
    """

    note = forms.CharField(label=_("What you went through (optional)"), required=False)


class EmergentCodeForm(forms.Form):
    """Name a theme found in the material; the name is bounded before it reaches a query."""

    new_code = forms.CharField(
        label=_("New theme from the material"),
        max_length=CODE_NAME_MAX_LENGTH,
        error_messages={
            "required": _("Write a name for the new theme."),
            "max_length": _(
                "A theme name can be at most %(limit_value)d characters long; "
                "this one has %(show_value)d."
            ),
        },
    )


class EditSegmentForm(forms.Form):
    """Change a coded quote: its theme, polarity, directness, and its span by start and end."""

    code = forms.ModelChoiceField(label=_("Theme"), queryset=None, empty_label=None)
    polarity = forms.ChoiceField(label=_("Polarity"), choices=CodedSegment.Polarity.choices)
    directness = forms.ChoiceField(
        label=_("Direct or indirect"), choices=CodedSegment.Directness.choices
    )
    start = forms.IntegerField(label=_("Starts at"), min_value=0, max_value=2**31 - 1)
    end = forms.IntegerField(label=_("Ends at"), min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].queryset = evaluation.codes.all()


class CodeEditForm(forms.Form):
    """Change a theme. Every value is checked by ``actions.edit_code``, which says what is wrong."""

    colour = forms.CharField(label=_("Colour"), required=False, strip=True)
    name = forms.CharField(label=_("Name"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    parent = forms.CharField(label=_("Place in the tree"), required=False)
