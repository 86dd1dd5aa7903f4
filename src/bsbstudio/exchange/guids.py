"""Stable GUIDs for what BSB Studio exports: the same object gets the same GUID in every export.

A GUID is a name-based UUID (version 5) of the evaluation's short name, the kind of object and
its key, so a re-export can be matched with an earlier one by another program, and nothing in
it can be read back to a database row of another evaluation.
"""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("5b1d8c0e-6f4a-5e0b-9c31-2a7e4d6b8f10")


def guid(evaluation, kind: str, key: object) -> str:
    """The GUID of ``kind`` ``key`` (a primary key or a fixed name) in ``evaluation``, upper case."""
    return str(uuid.uuid5(NAMESPACE, f"{evaluation.slug}/{kind}/{key}")).upper()
