"""Every page of the demo, as each role, passes axe-core's WCAG 2.0/2.1 A and AA rules in Chromium.

The demo is loaded once; each role's browser follows every same-site link from the evaluation
list (GET only, never log-out, delete or download links), runs axe on each page and the test
fails listing every violation as (rule, page pattern, element). The heat maps' colours are
checked here too, from the stylesheets, whatever the demo's counts are.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES_PER_ROLE = 400
# Pages alike but for their numbers (one interview or another) are one template: a few of each
# are enough, and keep the crawl within the CI budget.
PAGES_PER_PATTERN = 2
# Links that change something, leave the app or download a file.
SKIP = re.compile(
    r"/accounts/logout|/delete/|/download|/docx/|/pdf/|/xlsx|/csv|/zip|/export|/audio|/media/|"
    r"/static/|^/admin/|^/i18n/|\.(docx|pdf|xlsx|csv|zip|mp3|wav|ogg|m4a|json|txt)$"
)
UNGROUPED_RADIOS = """Array.from(new Set(Array.from(document.querySelectorAll('input[type=radio]'))
  .filter(radio => {
    const fieldset = radio.closest('fieldset'), group = radio.closest('[role=radiogroup]');
    const legend = fieldset && fieldset.querySelector(':scope > legend');
    return !((legend && legend.textContent.trim())
      || (group && (group.hasAttribute('aria-label') || group.hasAttribute('aria-labelledby'))));
  })
  .map(radio => radio.name)))"""
ROLES = {
    # role: the demo member's log-in name ("demo" administers the organisation and leads both)
    "org admin": "demo",
    "process leader": "demo-randi-ostmo",
    "peer interviewer": "demo-geir-holtan",
    "transcriber": "demo-mona-kleiva",
    "commissioner": "demo-hilde-vassbotn",
}


def pattern(url: str) -> str:
    """A page's path with its numbers and query values generalised: /e/x/fieldwork/<n>/?tab=."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/<n>", parts.path)
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    return path + ("?" + "&".join(f"{key}=" for key in keys) if keys else "")


@pytest.fixture
def demo(transactional_db):
    from bsbstudio.demo.loader import load_all

    started = time.monotonic()
    load_all("demo", "demo-passord-123")
    print(f"\ndemo loaded in {time.monotonic() - started:.0f} s")


def crawl(browser, live_server, username, axe_source, verified_client):
    """Visit the pages ``username`` can reach; return (pages visited, violations, server errors)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = verified_client(get_user_model().objects.get(username=username), Client())
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    origin = live_server.url
    queue = [origin + "/e/"]
    seen = set(queue)
    per_pattern: dict[str, int] = defaultdict(int)
    visited, violations, errors = 0, set(), []
    while queue and visited < PAGES_PER_ROLE:
        url = queue.pop(0)
        try:
            response = page.goto(url, wait_until="load")
        except Exception as error:  # a download starting aborts the navigation
            if "Download is starting" in str(error) or "ERR_ABORTED" in str(error):
                continue
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        if response.status >= 500:
            errors.append(f"{response.status} {url}")
        visited += 1
        page.evaluate(axe_source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' '))]))",
            AXE_TAGS,
        )
        # One h1 per page: not a WCAG rule in axe, but the house rule (a page's name for screen readers).
        headings = page.evaluate("document.querySelectorAll('h1').length")
        if headings != 1:
            violations.add(("one-h1", pattern(page.url), f"{headings} h1 elements"))
        # Radio buttons belong to a group named by a legend (or a labelled radiogroup).
        for name in page.evaluate(UNGROUPED_RADIOS):
            violations.add(("radio-group", pattern(page.url), f"input[name={name}]"))
        for rule, targets in result:
            for target in targets:
                violations.add((rule, pattern(page.url), target))
        # getAttribute, not .href: an SVG link's href is an object, not a string.
        hrefs = page.evaluate(
            "Array.from(document.querySelectorAll('a[href]'),"
            " a => new URL(a.getAttribute('href'), document.baseURI).href)"
        )
        for href in hrefs:
            link = urldefrag(href)[0]
            if not link.startswith(origin + "/") or link in seen:
                continue
            seen.add(link)
            if SKIP.search(urlsplit(link).path):
                continue
            key = pattern(link)
            if per_pattern[key] >= PAGES_PER_PATTERN:
                continue
            per_pattern[key] += 1
            queue.append(link)
    context.close()
    return visited, violations, errors


def test_every_demo_page_passes_axe_for_every_role(browser, live_server, demo, verified_client):
    if not AXE.exists():
        pytest.skip(f"axe-core not installed ({AXE} missing): run `make node-deps`")
    axe_source = AXE.read_text(encoding="utf-8")
    found: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    errors = []
    for role, username in ROLES.items():
        started = time.monotonic()
        visited, violations, server_errors = crawl(
            browser, live_server, username, axe_source, verified_client
        )
        for violation in violations:
            found[violation].append(role)
        errors += [f"{role}: {error}" for error in server_errors]
        print(
            f"{role}: {visited} pages, {len(violations)} violations,"
            f" {time.monotonic() - started:.0f} s"
        )
        assert visited > 3, f"{role} reached only {visited} pages"
    print(f"all roles: {len(found)} distinct violations")
    listing = "\n".join(
        f"{rule} on {page} at {target} ({', '.join(roles)})"
        for (rule, page, target), roles in sorted(found.items())
    )
    assert not errors, "server errors:\n" + "\n".join(errors)
    assert not found, f"{len(found)} accessibility violations:\n{listing}"


HEAT_RULE = re.compile(r"\.heat-(\d)\s*\{([^}]*)\}")


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb / #rgb colours."""

    def luminance(colour: str) -> float:
        colour = colour.lstrip("#")
        if len(colour) == 3:
            colour = "".join(c * 2 for c in colour)
        channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    darker, lighter = sorted([luminance(foreground), luminance(background)])
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize(
    "stylesheet", ["web/static/web/bsb.css", "analysis/static/analysis/matrix.css"]
)
def test_every_heat_map_cell_has_text_at_contrast_4_5(stylesheet):
    css = (Path(__file__).resolve().parents[2] / "src" / "bsbstudio" / stylesheet).read_text()
    ink = re.search(
        r"--ink:\s*(#[0-9a-fA-F]+)",
        (Path(__file__).resolve().parents[2] / "src/bsbstudio/web/static/web/bsb.css").read_text(),
    )[1]
    levels = {}
    for level, body in HEAT_RULE.findall(css):
        background = re.search(r"background:\s*(#[0-9a-fA-F]+)", body)
        text = re.search(r"(?<!-)color:\s*(#[0-9a-fA-F]+)", body)
        if background:
            levels[level] = contrast(text[1] if text else ink, background[1])
    assert len(levels) == 6, levels
    assert all(ratio >= 4.5 for ratio in levels.values()), levels


def test_the_coding_forms_radio_groups_have_a_legend(coded_quote, client_as, evaluation):
    """Polarity and directness on the coding form are radio groups inside a fieldset with a legend."""
    from django.urls import reverse

    page = client_as("process_leader").get(
        reverse("analysis:text", args=[evaluation.slug, coded_quote.text_id])
    )
    form = page.content.decode().split('id="coding-form"', 1)[1].split("</form>", 1)[0]
    for name in ["polarity", "directness"]:
        fieldset = re.search(
            rf"<fieldset[^>]*>\s*<legend>\s*\w[^<]*(?:<span[^>]*>\*</span>)?</legend>"
            rf"(?:(?!</fieldset>).)*name=\"{name}\"",
            form,
            re.S,
        )
        assert fieldset, f"{name} radios outside a fieldset with a legend"
