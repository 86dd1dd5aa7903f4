"""The review page's keyboard help and script: a static file (CSP), the radios unchanged."""

from __future__ import annotations

import re

from .conftest import url


def test_the_review_page_loads_the_keyboard_script_and_shows_its_help(
    evaluation, leader, transcript
):
    html = leader.get(url("deid:review", evaluation, transcript.pk)).content.decode()
    assert re.search(r'<script src="/static/deid/review-keys\.js[^"]*" defer></script>', html)
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), "an inline script"
    assert " onkeydown=" not in html and " onclick=" not in html
    assert 'id="review-keys-help">Keyboard: J/K next/previous, H hide, B keep</p>' in html
    # Entities can take focus from the script but are not added to the Tab order.
    assert html.count('<fieldset class="field entity" tabindex="-1">') == len(
        {d.text.casefold() for d in transcript.detections.all()}
    )
