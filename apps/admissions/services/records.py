"""Audit records and notices written in one INSERT each, inside the caller's transaction.

`apps.core.services.audit_record` and `notice_send` wrap their single INSERT in
`@transaction.atomic`, which inside a service's transaction costs a SAVEPOINT and a RELEASE per
call; applying writes three audit records and a notice, so admissions writes them here with the
same fields, the same redaction and the same language rule, in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation

from apps.core.models import AuditRecord, Notice
from apps.core.redaction import redact, redact_value


@dataclass
class Audit:
    """One state change to record (see `AuditRecord`)."""

    actor: object
    action: str
    target: models.Model
    from_state: str = ""
    to_state: str = ""
    reason: str = ""
    changes: dict = field(default_factory=dict)

    def record(self) -> AuditRecord:
        is_person = self.actor is not None and getattr(self.actor, "is_authenticated", False)
        return AuditRecord(
            actor=self.actor if is_person else None,
            actor_label=self.actor.get_username() if is_person else "system",
            action=self.action,
            target_type=ContentType.objects.get_for_model(self.target, for_concrete_model=False),
            target_id=str(self.target.pk),
            from_state=str(self.from_state),
            to_state=str(self.to_state),
            reason=redact(str(self.reason)),
            changes=redact_value(self.changes),
        )


def audit_records(audits: list[Audit]) -> list[AuditRecord]:
    """Record the changes in one INSERT (free text redacted, as `audit_record` does)."""
    return AuditRecord.objects.bulk_create([audit.record() for audit in audits])


def notices_send(notices: list[tuple]) -> list[Notice]:
    """Send (recipient, title, body, link) notices in one INSERT; lazy strings are rendered in
    each recipient's language, as `notice_send` does."""
    rows = []
    for recipient, title, body, link in notices:
        with translation.override(getattr(recipient, "language", "") or settings.LANGUAGE_CODE):
            rows.append(
                Notice(recipient=recipient, title=str(title)[:200], body=str(body), link=link)
            )
    return Notice.objects.bulk_create(rows) if rows else []
