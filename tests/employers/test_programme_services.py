"""Programme and place-agreement writes: checks, the state table, audits, notices, capacity."""

from datetime import date
from decimal import Decimal

import pytest

from apps.core.models import AuditRecord, Notice
from apps.employers.models import PlaceAgreement, Programme
from apps.employers.services import programmes as services
from apps.employers.services.programmes import ProgrammeError
from tests.centres.factories import CentreClassFactory, CentreFactory, FederationFactory
from tests.employers.factories import EmployerAdminFactory, EmployerFactory
from tests.employers.test_programme_factories import (
    PlaceAgreementFactory,
    ProgrammeFactory,
    tenant,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def terms(**overrides) -> dict:
    return {
        "name": "鑫达钢铁职工子女托育",
        "delivery_model": "own_centre",
        "parent_share_percent": Decimal("100"),
        "subsidy_amount": Decimal("200"),
        "subsidy_basis": "per_worker",
        "subsidy_funder": "employer",
        "start_date": date(2026, 1, 1),
        **overrides,
    }


def refusal(call) -> dict:
    with pytest.raises(ProgrammeError) as caught:
        call()
    return caught.value.fields


def audit_actions() -> list[str]:
    return list(AuditRecord.objects.order_by("id").values_list("action", flat=True))


# Registration


def test_create_saves_a_draft_with_its_lists_and_an_audit(union_staff):
    lead, centre = EmployerFactory(), CentreFactory()

    programme = services.programme_create(
        actor=union_staff, **terms(lead_employer=lead, employers=[lead], centres=[centre])
    )

    assert (programme.status, programme.registered_by) == ("draft", union_staff)
    assert list(programme.employers.all()) == [lead]
    assert list(programme.centres.all()) == [centre]
    assert audit_actions() == ["programme.create"]


def test_create_federation_programme_needs_no_employer(union_staff):
    federation = FederationFactory()
    welfare = CentreFactory(offers_welfare_childcare=True)

    programme = services.programme_create(
        actor=union_staff,
        **terms(delivery_model="federation", federation=federation, centres=[welfare]),
    )

    assert (programme.federation, programme.lead_employer) == (federation, None)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"parent_share_percent": Decimal("100.01")}, "parent_share_percent"),
        ({"parent_share_percent": Decimal("-1")}, "parent_share_percent"),
        ({"subsidy_amount": Decimal("-0.01")}, "subsidy_amount"),
        ({"end_date": date(2025, 12, 31)}, "end_date"),
        ({"priority_groups": ["shift_worker", "astronauts"]}, "priority_groups"),
        ({"priority_groups": ["shift_worker", "shift_worker"]}, "priority_groups"),
        ({"offer_days": 0}, "offer_days"),
        ({"subsidy_basis": "per_month"}, "subsidy_basis"),
        ({"name": "  "}, "name"),
        ({"lead_employer": None}, "lead_employer"),
    ],
)
def test_create_refuses_bad_terms_naming_the_field(overrides, field):
    lead = EmployerFactory()

    fields = refusal(
        lambda: services.programme_create(
            actor=None, **terms(**{"lead_employer": lead, **overrides})
        )
    )

    assert field in fields
    assert Programme.objects.count() == 0


def test_create_refuses_an_employer_that_is_not_approved():
    lead = EmployerFactory(status="pending")

    fields = refusal(lambda: services.programme_create(actor=None, **terms(lead_employer=lead)))

    assert fields["lead_employer"] == [f"{lead.name} is not an approved employer."]


def test_co_built_programme_lists_only_tenant_businesses_besides_its_lead():
    lead = EmployerFactory(kind="park")

    fields = refusal(
        lambda: services.programme_create(
            actor=None,
            **terms(
                delivery_model="co_built", lead_employer=lead, employers=[lead, EmployerFactory()]
            ),
        )
    )

    assert fields["employers"] == [
        "Besides the lead employer, a co-built programme lists tenant businesses only."
    ]


def test_co_built_programme_lists_its_lead_and_tenant_businesses():
    lead, shops = EmployerFactory(kind="park"), [tenant(), tenant()]

    programme = services.programme_create(
        actor=None, **terms(delivery_model="co_built", lead_employer=lead, employers=[lead, *shops])
    )

    assert set(programme.employers.all()) == {lead, *shops}


def test_co_built_programme_needs_at_least_one_tenant():
    lead = EmployerFactory(kind="park")

    fields = refusal(
        lambda: services.programme_create(
            actor=None, **terms(delivery_model="co_built", lead_employer=lead, employers=[lead])
        )
    )

    assert fields["employers"] == ["List the tenant businesses whose workers may apply."]


def test_federation_programme_refuses_an_employer_lead_and_a_list():
    lead = EmployerFactory()

    fields = refusal(
        lambda: services.programme_create(
            actor=None,
            **terms(delivery_model="federation", lead_employer=lead, employers=[lead]),
        )
    )

    assert set(fields) == {"federation", "lead_employer", "employers"}


def test_federation_programme_only_at_centres_offering_welfare_childcare():
    closed = CentreFactory(name="不提供福利托育的中心", offers_welfare_childcare=False)

    fields = refusal(
        lambda: services.programme_create(
            actor=None,
            **terms(delivery_model="federation", federation=FederationFactory(), centres=[closed]),
        )
    )

    assert fields["centres"] == [
        "These centres do not offer welfare childcare: 不提供福利托育的中心."
    ]


def test_programme_refuses_a_centre_that_is_not_approved():
    pending = CentreFactory(name="待审托育园", status="pending")

    fields = refusal(
        lambda: services.programme_create(
            actor=None, **terms(lead_employer=EmployerFactory(), centres=[pending])
        )
    )

    assert fields["centres"] == ["Not approved centres: 待审托育园."]


def test_update_changes_a_draft_and_lists_the_changed_fields(union_staff):
    programme = ProgrammeFactory(status="draft", parent_share_percent=Decimal("85"))
    centre = CentreFactory()

    services.programme_update(
        programme=programme, actor=union_staff, parent_share_percent=Decimal("80"), centres=[centre]
    )

    programme.refresh_from_db()
    assert programme.parent_share_percent == Decimal("80.00")
    assert list(programme.centres.all()) == [centre]
    record = AuditRecord.objects.get(action="programme.update")
    assert record.changes == {"fields": ["centres", "parent_share_percent"]}


def test_update_of_an_approved_programme_is_refused_and_changes_nothing():
    programme = ProgrammeFactory(status="approved", parent_share_percent=Decimal("85"))

    with pytest.raises(ProgrammeError) as caught:
        services.programme_update(
            programme=programme, actor=None, parent_share_percent=Decimal("50")
        )

    assert (caught.value.status_code, caught.value.code) == (409, "not_editable")
    programme.refresh_from_db()
    assert programme.parent_share_percent == Decimal("85.00")


# The state table


def test_submit_needs_a_centre():
    programme = ProgrammeFactory(status="draft")

    fields = refusal(lambda: services.programme_submit(programme=programme, actor=None))

    assert fields == {"centres": ["Add at least one centre."]}
    programme.refresh_from_db()
    assert programme.status == "draft"


def test_submit_then_approve_records_both_moves_and_tells_the_employer(union_staff):
    programme = ProgrammeFactory(status="draft", centres=[CentreFactory()])
    admin = EmployerAdminFactory(employer=programme.lead_employer).user
    admin.language = "en"  # notices are written in their recipient's language
    admin.save(update_fields=["language"])

    services.programme_submit(programme=programme, actor=admin)
    services.programme_approve(programme=programme, actor=union_staff)

    programme.refresh_from_db()
    assert programme.status == "approved"
    assert programme.approved_at is not None
    moves = AuditRecord.objects.order_by("id").values_list("action", "from_state", "to_state")
    assert list(moves) == [
        ("programme.submit", "draft", "submitted"),
        ("programme.approve", "submitted", "approved"),
    ]
    assert list(Notice.objects.values_list("recipient", "title")) == [
        (admin.pk, f"Programme {programme.name} has been approved")
    ]


def test_refuse_needs_a_reason_and_changes_nothing_without_one():
    programme = ProgrammeFactory(status="submitted")

    fields = refusal(lambda: services.programme_refuse(programme=programme, reason=" ", actor=None))

    assert fields == {"reason": ["Give a reason."]}
    programme.refresh_from_db()
    assert programme.status == "submitted"


def test_refused_programme_can_be_corrected_and_submitted_again():
    programme = ProgrammeFactory(status="submitted", centres=[CentreFactory()])
    services.programme_refuse(programme=programme, reason="补贴资金来源不明", actor=None)

    services.programme_update(programme=programme, actor=None, subsidy_funder="union")
    services.programme_submit(programme=programme, actor=None)

    programme.refresh_from_db()
    assert (programme.status, programme.subsidy_funder) == ("submitted", "union")


def test_suspend_then_end():
    programme = ProgrammeFactory(status="approved")

    services.programme_suspend(programme=programme, reason="园所整改", actor=None)
    services.programme_end(programme=programme, actor=None)

    programme.refresh_from_db()
    assert programme.status == "ended"


@pytest.mark.parametrize(
    ("status", "service"),
    [
        ("draft", services.programme_approve),
        ("approved", services.programme_submit),
        ("draft", services.programme_end),
        ("ended", services.programme_approve),
    ],
)
def test_move_from_the_wrong_state_is_a_conflict_and_changes_nothing(status, service):
    programme = ProgrammeFactory(status=status, centres=[CentreFactory()])

    with pytest.raises(ProgrammeError) as caught:
        service(programme=programme, actor=None)

    assert (caught.value.status_code, caught.value.code) == (409, "invalid_transition")
    programme.refresh_from_db()
    assert programme.status == status
    assert AuditRecord.objects.count() == 0


# Place agreements


@pytest.fixture
def toddler_class():
    return CentreClassFactory(capacity=15, age_class="toddler")


def buy(programme, centre, **overrides) -> PlaceAgreement:
    return services.place_agreement_create(
        programme=programme,
        actor=None,
        **{
            "centre": centre,
            "age_class": "toddler",
            "places": 5,
            "start_month": date(2026, 3, 15),
            "payment_mode": "per_child",
            **overrides,
        },
    )


def test_agreement_is_bought_by_the_lead_employer_from_the_first_of_the_month(toddler_class):
    programme = ProgrammeFactory(centres=[toddler_class.centre])

    agreement = buy(programme, toddler_class.centre, end_month=date(2026, 8, 31))

    assert (agreement.start_month, agreement.end_month) == (date(2026, 3, 1), date(2026, 8, 1))
    assert (agreement.buyer_employer, agreement.buyer_union) == (programme.lead_employer, None)
    assert audit_actions() == ["place_agreement.create"]


def test_federation_agreement_is_bought_by_the_federation(toddler_class):
    programme = ProgrammeFactory(federation_run=True, centres=[toddler_class.centre])

    agreement = buy(programme, toddler_class.centre)

    assert (agreement.buyer_employer, agreement.buyer_union) == (None, programme.federation)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"payment_mode": "per_place"}, "agreed_monthly_price"),
        ({"agreed_monthly_price": Decimal("700")}, "agreed_monthly_price"),
        ({"age_class": "infant"}, "age_class"),
        ({"end_month": date(2026, 2, 1)}, "end_month"),
        ({"places": 0}, "places"),
    ],
)
def test_agreement_refuses_bad_input_naming_the_field(toddler_class, overrides, field):
    programme = ProgrammeFactory(centres=[toddler_class.centre])

    fields = refusal(lambda: buy(programme, toddler_class.centre, **overrides))

    assert field in fields
    assert PlaceAgreement.objects.count() == 0


def test_agreement_only_at_one_of_the_programmes_centres(toddler_class):
    programme = ProgrammeFactory(centres=[CentreFactory()])

    fields = refusal(lambda: buy(programme, toddler_class.centre))

    assert fields == {"centre": ["Choose one of the programme's centres."]}


def test_agreements_of_all_programmes_cannot_buy_more_than_the_centres_capacity(toddler_class):
    centre = toddler_class.centre
    first = ProgrammeFactory(centres=[centre])
    PlaceAgreementFactory(programme=first, centre=centre, places=12, start_month=date(2026, 1, 1))
    second = ProgrammeFactory(centres=[centre])

    with pytest.raises(ProgrammeError) as caught:
        buy(second, centre, places=4)

    assert caught.value.code == "no_capacity"
    assert caught.value.fields["places"] == [
        f"{centre.name} has 15 places of this age class and 12 are already bought for this "
        "period: at most 3 more can be bought."
    ]
    assert PlaceAgreement.objects.count() == 1


def test_agreements_in_separate_periods_do_not_add_up(toddler_class):
    centre = toddler_class.centre
    programme = ProgrammeFactory(centres=[centre])
    for first, last in ((date(2026, 1, 1), date(2026, 6, 1)), (date(2026, 7, 1), None)):
        PlaceAgreementFactory(
            programme=programme, centre=centre, places=10, start_month=first, end_month=last
        )

    agreement = buy(programme, centre, places=5, start_month=date(2026, 1, 1))

    assert agreement.places == 5


def test_ended_programme_cannot_buy_places(toddler_class):
    programme = ProgrammeFactory(status="ended", centres=[toddler_class.centre])

    with pytest.raises(ProgrammeError) as caught:
        buy(programme, toddler_class.centre)

    assert caught.value.status_code == 409
    assert PlaceAgreement.objects.count() == 0


def test_agreement_places_cannot_drop_below_those_taken(toddler_class):
    programme = ProgrammeFactory(centres=[toddler_class.centre])
    agreement = PlaceAgreementFactory(
        programme=programme, centre=toddler_class.centre, places=5, places_taken=3
    )

    fields = refusal(
        lambda: services.place_agreement_update(agreement=agreement, actor=None, places=2)
    )

    assert fields == {"places": ["Buy at least 3 places."]}
    agreement.refresh_from_db()
    assert agreement.places == 5


def test_agreement_update_changes_places_within_capacity(toddler_class):
    programme = ProgrammeFactory(centres=[toddler_class.centre])
    agreement = PlaceAgreementFactory(programme=programme, centre=toddler_class.centre, places=5)

    services.place_agreement_update(agreement=agreement, actor=None, places=15)

    agreement.refresh_from_db()
    assert agreement.places == 15
    assert AuditRecord.objects.get().changes == {"places": "15"}
