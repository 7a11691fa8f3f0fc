"""run_once: whatever the work does, one Idempotency-Key keeps one outcome."""

import pytest

from apps.core.errors import DomainError
from apps.core.idempotency import fingerprint, run_once
from apps.core.models import IdempotencyRecord, Notice

pytestmark = pytest.mark.django_db
PRINT = fingerprint(method="POST", path="/notices/", body={"title": "hello"})


def send_notice(user):
    def action():
        notice = Notice.objects.create(recipient=user, title="hello")
        return 201, {"notice": notice.pk}

    return action


def test_a_retry_whose_work_would_succeed_again_is_undone_and_replayed(parent_user):
    first = run_once(user=parent_user, key="k", print_=PRINT, action=send_notice(parent_user))
    again = run_once(user=parent_user, key="k", print_=PRINT, action=send_notice(parent_user))

    notice = Notice.objects.get()
    assert first == (201, {"notice": notice.pk}, False)
    assert again == (201, {"notice": notice.pk}, True)


def test_a_retry_whose_work_now_fails_gets_the_first_response(parent_user):
    run_once(user=parent_user, key="k", print_=PRINT, action=send_notice(parent_user))

    def refused():
        raise DomainError("already done", code="done")

    status, body, replayed = run_once(user=parent_user, key="k", print_=PRINT, action=refused)

    assert (status, replayed) == (201, True)
    assert body == {"notice": Notice.objects.get().pk}


def test_a_failure_without_an_earlier_response_is_raised_and_nothing_is_kept(parent_user):
    def fails_after_writing():
        Notice.objects.create(recipient=parent_user, title="half")
        raise DomainError("refused", code="refused")

    with pytest.raises(DomainError):
        run_once(user=parent_user, key="k", print_=PRINT, action=fails_after_writing)

    assert not Notice.objects.exists()
    assert not IdempotencyRecord.objects.exists()


def test_a_key_reused_for_another_request_is_refused_and_its_work_undone(parent_user):
    run_once(user=parent_user, key="k", print_=PRINT, action=send_notice(parent_user))
    other = fingerprint(method="POST", path="/notices/", body={"title": "other"})

    with pytest.raises(DomainError) as refused:
        run_once(user=parent_user, key="k", print_=other, action=send_notice(parent_user))

    assert refused.value.status_code == 422
    assert Notice.objects.count() == 1
