"""Builders for the admissions tests: a running programme at a centre, families of workers, and
applications put straight into a state (with the place they hold counted) for the move tests."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import factory
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext

from apps.admissions.models import Application, Enrolment
from apps.centres.models import AgeClass, CentreClass
from apps.core.models import Area
from apps.employers.models import Employment, PlaceAgreement, Programme
from apps.employers.pricing import month_start, next_month
from apps.members.models import Member
from tests.areas import first_area
from tests.centres.factories import (
    CentreAdminFactory,
    CentreClassFactory,
    CentreFactory,
    FederationFactory,
)
from tests.employers.factories import EmployerAdminFactory, EmployerFactory, EmploymentFactory
from tests.members.factories import ChildFactory, MemberFactory

State = Application.State


def ensure_area() -> Area:
    return first_area()


def start_month() -> date:
    """The month applications in these tests start: next month."""
    return next_month(timezone.localdate())


def months_before(month: date, months: int) -> date:
    total = month.year * 12 + month.month - 1 - months
    return date(total // 12, total % 12 + 1, 1)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"爱心托育项目{n}")
    delivery_model = Programme.DeliveryModel.OWN_CENTRE
    lead_employer = factory.SubFactory(EmployerFactory)
    parent_share_percent = Decimal("50.00")
    subsidy_amount = Decimal("200.00")
    start_date = date(2024, 1, 1)
    status = Programme.Status.APPROVED

    @factory.post_generation
    def centres(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.centres.set(extracted)

    @factory.post_generation
    def employers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.employers.set(extracted)


class PlaceAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlaceAgreement

    programme = factory.SubFactory(ProgrammeFactory)
    buyer_employer = factory.LazyAttribute(lambda o: o.programme.lead_employer)
    centre = factory.SubFactory(CentreFactory)
    age_class = AgeClass.TODDLER
    places = 10
    start_month = date(2024, 1, 1)
    payment_mode = PlaceAgreement.PaymentMode.PER_ENROLLED_CHILD


def place(
    *,
    capacity: int = 15,
    classes: int = 1,
    age_class: str = AgeClass.TODDLER,
    bought: int | None = None,
    price: Decimal = Decimal("1800.00"),
    **programme_fields,
) -> SimpleNamespace:
    """A centre with `classes` classes of `age_class` and an approved own-centre programme
    placing children there; with `bought`, a purchased programme with an agreement instead."""
    ensure_area()
    centre = CentreFactory()
    made = [
        CentreClassFactory(
            centre=centre, age_class=age_class, capacity=capacity, monthly_price=price
        )
        for _ in range(classes)
    ]
    if bought is not None:
        programme_fields.setdefault("delivery_model", Programme.DeliveryModel.PURCHASED)
    if programme_fields.get("delivery_model") == Programme.DeliveryModel.FEDERATION:
        programme_fields.update(lead_employer=None, federation=FederationFactory())
    programme = ProgrammeFactory(centres=[centre], **programme_fields)
    agreement = None
    if bought is not None:
        agreement = PlaceAgreementFactory(
            programme=programme,
            centre=centre,
            age_class=age_class,
            places=bought,
            buyer_union=programme.federation,
        )
    return SimpleNamespace(
        programme=programme,
        centre=centre,
        centre_class=made[0],
        classes=made,
        employer=programme.lead_employer,
        agreement=agreement,
        age_class=age_class,
    )


def family(
    employer,
    *,
    months_old: int = 18,
    verified_by: str = Employment.VerifiedBy.ROSTER,
    membership: str = Member.Membership.VERIFIED,
    member: Member | None = None,
) -> SimpleNamespace:
    """A worker of `employer` (roster-verified unless told) with one child who is `months_old`
    on the first day of next month."""
    if member is None:
        member = MemberFactory(membership=membership)
        if employer is not None:
            EmploymentFactory(member=member, employer=employer, verified_by=verified_by)
    child = ChildFactory(guardian=member, birth_date=months_before(start_month(), months_old))
    return SimpleNamespace(member=member, user=member.user, child=child)


def centre_admin(centre):
    return CentreAdminFactory(centre=centre).user


def employer_admin(employer):
    return EmployerAdminFactory(employer=employer).user


def application(
    setting: SimpleNamespace,
    state: str = State.SUBMITTED,
    *,
    kin: SimpleNamespace | None = None,
    expires_in: timedelta = timedelta(days=7),
    **fields,
) -> Application:
    """An application put straight into `state`; in offered or enrolled it holds a place in
    the setting's first class (and agreement), counted as the services would."""
    kin = kin or family(setting.employer)
    holding = state in Application.HOLDING_STATES
    row = Application.objects.create(
        child=kin.child,
        applicant=kin.member,
        employer=setting.employer,
        programme=setting.programme,
        centre=setting.centre,
        age_class=setting.age_class,
        start_month=start_month(),
        state=state,
        centre_class=setting.centre_class if holding else None,
        place_agreement=setting.agreement if holding else None,
        offer_expires_at=timezone.now() + expires_in if state == State.OFFERED else None,
        quote={"parent_fee": "900.00"},
        **fields,
    )
    if holding:
        CentreClass.objects.filter(pk=setting.centre_class.pk).update(
            places_taken=F("places_taken") + 1
        )
        if setting.agreement is not None:
            PlaceAgreement.objects.filter(pk=setting.agreement.pk).update(
                places_taken=F("places_taken") + 1
            )
    if state == State.ENROLLED:
        enrolment_for(row)
    return row


def enrolment_for(row: Application, **fields) -> Enrolment:
    values = {
        "application": row,
        "child": row.child,
        "programme": row.programme,
        "centre": row.centre,
        "centre_class": row.centre_class,
        "place_agreement": row.place_agreement,
        "employer": row.employer,
        "start_date": month_start(row.start_month),
        "market_price": Decimal("1800.00"),
        "parent_share_percent": Decimal("50.00"),
        "parent_fee": Decimal("900.00"),
        "employer_part": Decimal("900.00"),
        "subsidy_amount": Decimal("200.00"),
        "subsidy_basis": "per_child",
        "subsidy_funder": "employer",
    }
    return Enrolment.objects.create(**(values | fields))


def as_seen(message: str, **values) -> str:
    """`message` as a user of the portal's language (zh-hans) sees it, filled with `values`."""
    with translation.override("zh-hans"):
        text = gettext(message)
    return text % values if values else text
