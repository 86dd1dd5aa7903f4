"""Chain the entries written before the audit log was a hash chain, in the order they were written.

Entries are taken in id order; each gets its sequence number, who and where as they are now, and
its hashes; the chain head is set to the last one. Kept apart from the schema changes so that
PostgreSQL never alters a table with row changes pending in the same transaction.
"""

from django.db import migrations

from bsbstudio.accounts.audit import GENESIS, entry_hash


def _label(user) -> str:
    # Historical models have no methods: accounts.audit.user_label spelt out with fields.
    name = f"{user.first_name} {user.last_name}".strip()
    return f"{name} ({user.username})" if name else user.username


def chain_existing_entries(apps, schema_editor):
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    AuditChainHead = apps.get_model("accounts", "AuditChainHead")
    prev_hash, seq = GENESIS, 0
    events = AuditEvent.objects.select_related("user").order_by("id")
    for seq, event in enumerate(events.iterator(chunk_size=2000), start=1):
        event.seq = seq
        event.user_key = event.user_id
        event.user_label = _label(event.user) if event.user else ""
        event.evaluation_key = event.evaluation_id
        event.prev_hash = prev_hash
        event.hash = entry_hash(event)
        event.save(
            update_fields=["seq", "user_key", "user_label", "evaluation_key", "prev_hash", "hash"]
        )
        prev_hash = event.hash
    AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": seq, "hash": prev_hash})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_audit_chain"),
    ]

    operations = [
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
    ]
