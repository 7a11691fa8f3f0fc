"""Factories for schemes, budgets, bank accounts, and the programmes and enrolments they pay."""

from datetime import date
from decimal import Decimal

import factory

from apps.admissions.models import Application, Enrolment
from apps.core.pii import set_sensitive
from apps.employers.models import PlaceAgreement, Programme
from apps.subsidies.models import BankAccount, Budget, SubsidyScheme
from apps.subsidies.services.accounts import normalize_account_number
from tests.centres.factories import CentreClassFactory
from tests.employers.factories import EmployerFactory
from tests.members.factories import ChildFactory, MemberFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"职工子女托育项目{n}")
    delivery_model = Programme.DeliveryModel.OWN_CENTRE
    lead_employer = factory.SubFactory(EmployerFactory)
    parent_share_percent = Decimal("50")
    subsidy_amount = Decimal("200.00")
    subsidy_basis = Programme.SubsidyBasis.PER_CHILD
    subsidy_funder = Programme.Funder.EMPLOYER
    start_date = date(2024, 1, 1)
    status = Programme.Status.APPROVED


class PlaceAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlaceAgreement

    programme = factory.SubFactory(ProgrammeFactory)
    buyer_employer = factory.LazyAttribute(lambda o: o.programme.lead_employer)
    centre = factory.LazyAttribute(lambda o: CentreClassFactory().centre)
    age_class = "toddler"
    places = 10
    start_month = date(2024, 1, 1)
    payment_mode = PlaceAgreement.PaymentMode.PER_BOUGHT_PLACE
    agreed_monthly_price = Decimal("1500.00")


class SchemeFactory(factory.django.DjangoModelFactory):
    """A monthly subsidy from employer funds; pass `programmes=[...]` to cover some."""

    class Meta:
        model = SubsidyScheme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"托育补贴方案{n}")
    kind = SubsidyScheme.Kind.MONTHLY_SUBSIDY
    funder = SubsidyScheme.Funder.EMPLOYER
    valid_from = date(2024, 1, 1)

    @factory.post_generation
    def programmes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.programmes.set(extracted)


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    scheme = factory.SubFactory(SchemeFactory)
    year = 2026
    amount = Decimal("100000.00")


class BankAccountFactory(factory.django.DjangoModelFactory):
    """A parent's account (pass `centre=` or `employer=` with `member=None` for others)."""

    class Meta:
        model = BankAccount

    member = factory.SubFactory(MemberFactory)
    bank_name = "中国工商银行迁安支行"
    account_name = "张三"
    account_number = factory.Sequence(lambda n: f"6217000315{n:09d}")
    status = BankAccount.Status.PENDING

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        number = kwargs.pop("account_number")
        account = model_class(**kwargs)
        set_sensitive(account, "account_number", number, normalize=normalize_account_number)
        account.save()
        return account


def enrol(
    *,
    programme: Programme,
    applicant=None,
    child=None,
    start: date = date(2026, 1, 1),
    end: date | None = None,
    centre_class=None,
    place_agreement: PlaceAgreement | None = None,
    subsidy_amount: Decimal = Decimal("200.00"),
    employer_part: Decimal = Decimal("900.00"),
) -> Enrolment:
    """An enrolment with its application, written directly (the admissions services are tested
    in their own app); the price snapshot follows the programme."""
    applicant = applicant or MemberFactory()
    child = child or ChildFactory(guardian=applicant)
    centre_class = centre_class or CentreClassFactory()
    status = Enrolment.Status.ENDED if end else Enrolment.Status.ACTIVE
    application = Application.objects.create(
        child=child,
        applicant=applicant,
        programme=programme,
        centre=centre_class.centre,
        age_class=centre_class.age_class,
        start_month=start.replace(day=1),
        state=Application.State.ENDED if end else Application.State.ENROLLED,
        centre_class=None if end else centre_class,
        place_agreement=place_agreement,
    )
    return Enrolment.objects.create(
        application=application,
        child=child,
        programme=programme,
        centre=centre_class.centre,
        centre_class=centre_class,
        place_agreement=place_agreement,
        employer=programme.lead_employer,
        status=status,
        start_date=start,
        end_date=end,
        market_price=Decimal("1800.00"),
        parent_share_percent=programme.parent_share_percent,
        parent_fee=Decimal("1800.00") - employer_part,
        employer_part=employer_part,
        subsidy_amount=subsidy_amount,
        subsidy_basis=programme.subsidy_basis,
        subsidy_funder=programme.subsidy_funder,
        payment_mode=place_agreement.payment_mode if place_agreement else "",
    )
