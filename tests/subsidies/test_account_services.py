import pytest
from django.utils import translation

from apps.core.models import AuditRecord, Notice
from apps.core.pii import sensitive_lookup
from apps.subsidies.models import BankAccount
from apps.subsidies.services.accounts import (
    bank_account_check,
    bank_account_reject,
    bank_account_submit,
)
from apps.subsidies.services.refusals import SubsidyError
from tests.accounts.factories import PASSWORD
from tests.centres.factories import CentreAdminFactory
from tests.members.factories import MemberFactory
from tests.subsidies.factories import BankAccountFactory

pytestmark = pytest.mark.django_db
NUMBER = "6217000315000012345"
Status = BankAccount.Status


def _submit(member, number=NUMBER, **extra):
    return bank_account_submit(
        member=member,
        bank_name="中国工商银行迁安支行",
        account_name=member.full_name,
        account_number=number,
        actor=member.user,
        **extra,
    )


def test_submitted_account_awaits_a_check_and_is_stored_encrypted_and_hashed():
    member = MemberFactory()

    account = _submit(member)

    stored = BankAccount.objects.get(**sensitive_lookup("account_number", NUMBER))
    assert stored == account
    assert (stored.status, stored.is_current, stored.account_number) == (
        Status.PENDING,
        True,
        NUMBER,
    )
    assert stored.account_number_masked == "6217***********2345"


def test_submission_audit_shows_the_number_masked_only():
    member = MemberFactory()

    account = _submit(member)

    record = AuditRecord.objects.get(action="bank_account.submit")
    assert record.changes == {
        "owner": f"member:{member.pk}",
        "bank_name": "中国工商银行迁安支行",
        "account_number": "6217***********2345",
        "replaces": None,
    }
    assert record.target_id == str(account.pk)


def test_account_number_is_normalised_from_spaces_hyphens_and_full_width_digits():
    account = _submit(MemberFactory(), number="６２１７ 0003-1500 0012 345")

    assert account.account_number == NUMBER


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("6217 0003 1500 00A2 345", "Enter the account number with digits only."),
        ("62170003150", "Enter an account number of 12 to 30 digits; this one has 11."),
        ("6" * 31, "Enter an account number of 12 to 30 digits; this one has 31."),
    ],
)
def test_an_account_number_that_is_not_12_to_30_digits_is_refused(number, message):
    member = MemberFactory()

    with translation.override("en"), pytest.raises(SubsidyError) as refusal:
        _submit(member, number=number)

    assert refusal.value.fields == {"account_number": [message]}
    assert not BankAccount.objects.exists()
    assert not AuditRecord.objects.exists()


def test_replacing_an_account_takes_the_password_again():
    member = MemberFactory()
    first = _submit(member)

    with pytest.raises(SubsidyError) as refusal:
        _submit(member, number="6217000315000099999", password="wrong")

    assert refusal.value.code == "password_required"
    assert list(refusal.value.fields) == ["password"]
    assert list(BankAccount.objects.filter(is_current=True)) == [first]


def test_replacing_with_the_password_makes_the_new_account_current():
    member = MemberFactory()
    first = _submit(member)

    second = _submit(member, number="6217000315000099999", password=PASSWORD)

    first.refresh_from_db()
    assert (first.is_current, second.is_current, second.status) == (False, True, Status.PENDING)
    assert AuditRecord.objects.filter(action="bank_account.submit").first().changes["replaces"] == (
        first.pk
    )


def test_entering_the_current_account_again_is_refused():
    member = MemberFactory()
    _submit(member)

    with pytest.raises(SubsidyError) as refusal:
        _submit(member, password=PASSWORD)

    assert list(refusal.value.fields) == ["account_number"]
    assert BankAccount.objects.count() == 1


def test_a_rejected_account_may_be_entered_again_once_corrected():
    member = MemberFactory()
    rejected = BankAccountFactory(member=member, account_number=NUMBER, status=Status.REJECTED)

    again = _submit(member, password=PASSWORD)

    rejected.refresh_from_db()
    assert (rejected.is_current, again.is_current) == (False, True)


def test_union_staff_check_a_pending_account(union_staff):
    account = BankAccountFactory()

    bank_account_check(account=account, actor=union_staff)

    account.refresh_from_db()
    assert (account.status, account.checked_by) == (Status.CHECKED, union_staff)
    assert account.checked_at is not None
    record = AuditRecord.objects.get(action="bank_account.check")
    assert (record.from_state, record.to_state) == ("pending", "checked")


def test_a_replaced_account_cannot_be_checked(union_staff):
    account = BankAccountFactory(is_current=False)

    with pytest.raises(SubsidyError) as refusal:
        bank_account_check(account=account, actor=union_staff)

    assert refusal.value.status_code == 409
    account.refresh_from_db()
    assert account.status == Status.PENDING


def test_rejection_records_the_reason_masked_and_tells_the_parent(union_staff):
    account = BankAccountFactory()

    bank_account_reject(
        account=account, actor=union_staff, reason="户名与账号 6217000315000012345 不符"
    )

    account.refresh_from_db()
    assert account.status == Status.REJECTED
    assert account.rejection_reason == "户名与账号 6217***********2345 不符"
    assert AuditRecord.objects.get(action="bank_account.reject").reason == (
        "户名与账号 6217***********2345 不符"
    )
    notice = Notice.objects.get()
    assert (notice.recipient, notice.body) == (account.member.user, account.rejection_reason)


def test_rejecting_a_centres_account_tells_its_admins(union_staff):
    admin = CentreAdminFactory()
    account = BankAccountFactory(member=None, centre=admin.centre)

    bank_account_reject(account=account, actor=union_staff, reason="开户行有误")

    assert list(Notice.objects.values_list("recipient", flat=True)) == [admin.user.pk]


def test_rejection_needs_a_reason(union_staff):
    account = BankAccountFactory()

    with pytest.raises(SubsidyError) as refusal:
        bank_account_reject(account=account, actor=union_staff, reason="")

    assert list(refusal.value.fields) == ["reason"]
    account.refresh_from_db()
    assert account.status == Status.PENDING


def test_a_rejected_account_cannot_be_checked(union_staff):
    account = BankAccountFactory(status=Status.REJECTED)

    with pytest.raises(SubsidyError) as refusal:
        bank_account_check(account=account, actor=union_staff)

    assert refusal.value.status_code == 409
    account.refresh_from_db()
    assert account.status == Status.REJECTED
