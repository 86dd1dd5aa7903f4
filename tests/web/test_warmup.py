"""The server's warm-up leaves nothing for a first visitor to compile or build (web/warmup.py)."""

from pathlib import Path

import pytest
from django.template import engines
from django.template.base import Parser
from django.template.utils import get_app_template_dirs
from django.urls import clear_url_caches, reverse
from django.urls.resolvers import URLResolver
from django.utils import translation

from bsbstudio.web import warmup


def _cached_loader():
    return engines["django"].engine.template_loaders[0]


def test_every_template_is_compiled_once_and_then_only_read(monkeypatch):
    loader = _cached_loader()
    assert type(loader).__name__ == "Loader" and "cached" in type(loader).__module__
    loader.reset()
    files = [
        path
        for folder in get_app_template_dirs("templates")
        for path in Path(folder).rglob("*")
        if path.suffix in {".html", ".txt", ".xml"}
    ]
    assert warmup.compile_templates() == len(files) > 100

    def no_parsing(*args, **kwargs):
        raise AssertionError("a template was compiled after the warm-up")

    monkeypatch.setattr(Parser, "parse", no_parsing)
    for name in ["analysis/text.html", "web/dashboard.html", "web/base.html"]:
        engines["django"].get_template(name)


def test_the_url_tables_of_every_namespace_and_language_are_built(monkeypatch):
    clear_url_caches()  # as a fresh process has them
    warmup.load_languages()

    def no_building(self):
        raise AssertionError("URL tables were built after the warm-up")

    monkeypatch.setattr(URLResolver, "_populate", no_building)
    for language in ["nb", "en"]:
        with translation.override(language):
            assert reverse("evaluations:list") == "/e/"
            assert reverse("analysis:matrix", args=["demo"]).endswith("/analysis/matrix/")
            assert reverse("reports:list", args=["demo"]).endswith("/reports/")


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_warm_up_text_is_de_identified(language):
    from bsbstudio.deid.engine.detector import Detector

    with translation.override(language):
        warmup.run_detector_once()
    found = {warmup.WARM_UP_TEXT[s.start : s.end] for s in Detector().detect(warmup.WARM_UP_TEXT)}
    assert "912 34 567" in found
