"""REFI-QDA projects (.qdpx) and codebooks (.qdc), fed generated files: a preview or a refusal.

``qdpx_import.preview`` and ``codebook_import.read_codebook`` read untrusted archives and XML and
write nothing; each must end in a result or ``ImportRefused`` with a message. The preview turns
the unexpected errors it foresees into a refusal and logs them; that log is counted here too, as
a bug in waiting (a refusal the reader did not mean to give).
"""

from __future__ import annotations

import logging

from hypothesis import given

from bsbstudio.exchange.archive import ImportRefused
from bsbstudio.exchange.codebook_import import read_codebook
from bsbstudio.exchange.qdpx_import import preview

from .profile import FUZZ
from .strategies import codebook_files, qdpx_files


class _Count(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@FUZZ
@given(content=qdpx_files())
def test_qdpx_preview_gives_a_preview_or_a_refusal(content, tmp_path_factory):
    path = tmp_path_factory.mktemp("qdpx") / "prosjekt.qdpx"
    path.write_bytes(content)
    logged = _Count()
    logger = logging.getLogger("bsbstudio.exchange.qdpx_import")
    logger.addHandler(logged)
    try:
        found = preview(path, "prosjekt.qdpx")
    except ImportRefused as error:
        assert error.code and error.message
        return
    finally:
        logger.removeHandler(logged)
        # The reader's own catch-all: a refusal, but one no check of the reader meant to give.
        assert not logged.records, logged.records[0].exc_info
    for source in found.text_sources:
        assert "\x00" not in source.parsed.text
        assert len(source.offsets) == len(source.text) + 1
        for selection in source.selections:
            assert 0 <= selection.start < selection.end <= len(source.text)
    assert found.as_json()  # the dry run prints it


@FUZZ
@given(content=codebook_files())
def test_codebook_gives_codes_or_a_refusal(content):
    try:
        codes, _warnings = read_codebook(content, "kodebok.qdc")
    except ImportRefused as error:
        assert error.code and error.message
        return
    guids = set()
    for code in codes:
        assert code.parent is None or code.parent in guids  # parents come first
        guids.add(code.guid)
