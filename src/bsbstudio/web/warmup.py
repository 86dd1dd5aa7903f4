"""What a server does once before its first user, so that nobody's first page pays for it.

Measured on the demo in a fresh process with every page imported (``bsbstudio.wsgi``): the first
matrix spreadsheet took 470 ms instead of 40 and the first slides 800 ms instead of 30, because
the leak guard ran the NER model for the first time; the first page of each kind also compiled
its templates and read a language's catalogue. gunicorn does this in the master before forking
(``loadtest/gunicorn_conf.py``), so every worker starts warm; ``bsb serve`` does it beside serving.
Nothing here touches the database.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template import engines
from django.template.utils import get_app_template_dirs
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import translation

# Read by the NER model and the pattern recognisers once, so their lazy first-call work is done.
WARM_UP_TEXT = "Jeg heter Kari Nordmann, bor i Bergen og ringte 912 34 567 den 3. mars."


def compile_templates() -> int:
    """Compile every template of the project's apps into the cached loader; how many."""
    compiled = 0
    for backend in engines.all():
        folders = [Path(d) for d in (*backend.dirs, *get_app_template_dirs("templates"))]
        for folder in folders:
            for path in sorted(folder.rglob("*")):
                if path.suffix in {".html", ".txt", ".xml"} and path.is_file():
                    backend.get_template(path.relative_to(folder).as_posix())
                    compiled += 1
    return compiled


def load_languages() -> None:
    """Per offered language: read its catalogue and build the tables that turn names into URLs.

    Django builds both per language and per app namespace on first use (30 ms on a first page).
    """
    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # activating a language reads its catalogue
            for namespace in _namespaces(get_resolver()):
                try:  # a name no page has: the tables are built before the search fails
                    reverse(f"{namespace}warm-up")
                except NoReverseMatch:
                    pass


def _namespaces(resolver, prefix: str = ""):
    """Every namespace of the URL configuration as a prefix ("", "analysis:"...), nested ones too."""
    yield prefix
    for name, (_pattern, inner) in resolver.namespace_dict.items():
        yield from _namespaces(inner, f"{prefix}{name}:")


def run_detector_once() -> None:
    """Load the NER model and de-identify one sentence (the leak guard's first scan otherwise)."""
    from bsbstudio.deid.engine.detector import Detector

    Detector().detect(WARM_UP_TEXT)  # the rules alone where no model is installed


def warm_up() -> None:
    """Everything above, in the order a first visitor would need it."""
    load_languages()
    compile_templates()
    run_detector_once()
