"""The audit log as a hash chain: appending an entry (``record``) and checking the chain (``verify``).

Each entry's hash is SHA-256 over a canonical serialisation of its content and the hash of the
entry before it, so changing, inserting or deleting an entry in the database breaks the chain at
that entry. The first entry follows ``GENESIS``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bsbstudio.accounts.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def canonical_json(value) -> str:
    """``value`` as JSON with sorted keys and no spaces: one text for one value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(event) -> str:
    """The SHA-256 of an entry (any object with the entry's fields, historical models included)."""
    at = event.at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    content = [
        event.seq,
        at,
        event.user_key,
        event.user_label,
        event.evaluation_key,
        event.action,
        event.object_type,
        event.object_id,
        event.detail,
        event.prev_hash,
    ]
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def user_label(user) -> str:
    """Who a user is, in words that outlive the account: full name and username."""
    name = user.get_full_name().strip()
    username = user.get_username()
    return f"{name} ({username})" if name else username


def record(user, action: str, obj=None, evaluation=None, **detail) -> AuditEvent:
    """Append an event to the audit log (who, what, which object, extra detail).

    Runs inside the caller's transaction when there is one, so the entry is written together with
    the change it accounts for, or not at all.
    """
    actor = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        head = _locked_head()
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            user=actor,
            user_key=actor.pk if actor else None,
            user_label=user_label(actor) if actor else "",
            evaluation=evaluation,
            evaluation_key=evaluation.pk if evaluation is not None else None,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            # What is hashed must be what the database gives back: tuples become lists, etc.
            detail=json.loads(json.dumps(detail)),
            prev_hash=head.hash,
        )
        event.hash = entry_hash(event)
        event.save()
        AuditChainHead.objects.filter(pk=head.pk).update(seq=event.seq, hash=event.hash)
    return event


def _locked_head() -> AuditChainHead:
    """The chain head, locked until the transaction ends (made from the log if it is missing)."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # The migration makes the row; a database flushed by tests (or restored without it)
        # starts again from the last entry there is.
        last = AuditEvent.objects.order_by("-seq").first()
        AuditChainHead.objects.get_or_create(
            pk=1,
            defaults={"seq": last.seq if last else 0, "hash": last.hash if last else GENESIS},
        )
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


@dataclass(frozen=True)
class Verification:
    """The outcome of checking the chain: how many entries hold, and the first that does not."""

    checked: int
    broken: AuditEvent | None = None  # the first broken entry (the last one when the end is cut)
    reason: str = ""  # empty when the whole chain holds

    @property
    def ok(self) -> bool:
        """Whether every entry holds."""
        return not self.reason


def verify() -> Verification:
    """Check every entry of the chain, oldest first; stop at the first broken one."""
    expected_seq, prev_hash, last, checked = 1, GENESIS, None, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            missing = (
                f"{expected_seq}"
                if event.seq - 1 == expected_seq
                else f"{expected_seq}-{event.seq - 1}"
            )
            return Verification(checked, event, f"the entries before it ({missing}) are missing")
        if event.prev_hash != prev_hash:
            return Verification(checked, event, "does not follow the entry before it")
        if entry_hash(event) != event.hash:
            return Verification(checked, event, "changed after it was written")
        if (event.user_id is not None and event.user_id != event.user_key) or (
            event.evaluation_id is not None and event.evaluation_id != event.evaluation_key
        ):
            return Verification(checked, event, "its user or evaluation was changed")
        expected_seq, prev_hash, last, checked = event.seq + 1, event.hash, event, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (
        (last.seq, last.hash) if last else (0, GENESIS)
    ):
        return Verification(
            checked, last, f"the entries after it are missing (the log had {head.seq} entries)"
        )
    return Verification(checked)
