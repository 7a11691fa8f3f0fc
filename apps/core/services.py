"""Writes of the shared kernel: audit records and notices."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone, translation

from .models import AuditRecord, Notice
from .redaction import redact, redact_value


@transaction.atomic
def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    changes: dict | None = None,
) -> AuditRecord:
    """Record one state change. Free text is redacted so no ID, mobile or account number is kept."""
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditRecord.objects.create(
        actor=actor if is_person else None,
        actor_label=(actor.get_username() if is_person else "system"),
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        from_state=str(from_state),
        to_state=str(to_state),
        reason=redact(str(reason)),
        changes=redact_value(changes or {}),
    )


@transaction.atomic
def notice_send(*, recipient, title, body="", link: str = "") -> Notice:
    """Send an in-app notice; lazy strings are rendered in the recipient's language."""
    language = getattr(recipient, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        return Notice.objects.create(
            recipient=recipient, title=str(title)[:200], body=str(body), link=link
        )


@transaction.atomic
def notice_mark_read(*, notice: Notice, user) -> Notice:
    if notice.recipient_id != user.pk:
        raise Notice.DoesNotExist
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
        notice.refresh_from_db(fields=["read_at"])
    return notice


@transaction.atomic
def notices_purge(*, older_than_days: int = 180) -> int:
    """Delete notices read more than `older_than_days` ago; unread ones are kept."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = Notice.objects.filter(read_at__lt=cutoff).delete()
    return deleted
