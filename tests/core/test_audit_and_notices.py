from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.models import AuditRecord, Notice
from apps.core.services import audit_record, notice_mark_read, notice_send, notices_purge
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_audit_record_keeps_who_what_from_to_and_why():
    staff, target = UserFactory(username="auditor"), UserFactory()

    record = audit_record(
        actor=staff,
        action="user.suspend",
        target=target,
        from_state="active",
        to_state="inactive",
        reason="left the company",
    )

    record.refresh_from_db()
    assert (record.actor, record.actor_label, record.action) == (staff, "auditor", "user.suspend")
    assert (record.target_type.model, record.target_id) == ("user", str(target.pk))
    assert (record.from_state, record.to_state, record.reason) == (
        "active",
        "inactive",
        "left the company",
    )


def test_audit_record_without_a_person_is_the_system():
    record = audit_record(actor=None, action="offer.expire", target=UserFactory())

    assert (record.actor, record.actor_label) == (None, "system")


def test_audit_record_masks_id_mobile_and_account_numbers_in_free_text():
    record = audit_record(
        actor=None,
        action="x",
        target=UserFactory(),
        reason="ID 11010519491231002X phone 13812345678 card 6222020200112233445",
        changes={"note": "call 13812345678"},
    )

    assert record.reason == "ID 1101**********002X phone 138****5678 card 6222***********3445"
    assert record.changes == {"note": "call 138****5678"}


def test_notice_is_written_in_the_recipients_language():
    from django.utils.translation import gettext_lazy as _

    english = UserFactory(language="en")
    chinese = UserFactory(language="zh-hans")

    notice_send(recipient=english, title=_("Sign in"))
    notice_send(recipient=chinese, title=_("Sign in"))

    assert english.notices.get().title == "Sign in"
    assert chinese.notices.get().title == "登录"


def test_marking_someone_elses_notice_read_is_refused():
    notice = notice_send(recipient=UserFactory(), title="hello")

    with pytest.raises(Notice.DoesNotExist):
        notice_mark_read(notice=notice, user=UserFactory())
    notice.refresh_from_db()
    assert notice.read_at is None


def test_marking_a_notice_read_sets_the_time_once():
    user = UserFactory()
    notice = notice_send(recipient=user, title="hello")

    first = notice_mark_read(notice=notice, user=user).read_at
    second = notice_mark_read(notice=notice, user=user).read_at

    assert first is not None
    assert first == second


def test_purge_deletes_only_notices_read_long_ago():
    user = UserFactory()
    now = timezone.now()
    Notice.objects.create(recipient=user, title="old", read_at=now - timedelta(days=200))
    Notice.objects.create(recipient=user, title="recent", read_at=now - timedelta(days=10))
    Notice.objects.create(recipient=user, title="unread")

    assert notices_purge(older_than_days=180) == 1
    assert sorted(Notice.objects.values_list("title", flat=True)) == ["recent", "unread"]


def test_audit_records_cannot_be_changed_in_the_admin(client):
    staff = UserFactory(role="union_staff")
    record = audit_record(actor=staff, action="x", target=staff)
    client.force_login(staff)

    response = client.post(f"/admin/core/auditrecord/{record.pk}/change/", {"action": "y"})

    assert response.status_code == 403
    assert AuditRecord.objects.get().action == "x"
