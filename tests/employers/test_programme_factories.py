"""Factories for programmes and place agreements (kept here until the shared factories module
takes them), and a check that what they build passes the services' own checks."""

from datetime import date
from decimal import Decimal

import factory
import pytest

from apps.employers.models import Employer, PlaceAgreement, Programme
from apps.employers.services.programmes import place_agreement_check, programme_check
from tests.centres.factories import CentreClassFactory, CentreFactory, FederationFactory
from tests.employers.factories import EmployerFactory

LONG_AGO = date(2024, 1, 1)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """An approved own-centre programme running since 2024; pass `centres=[...]` and
    `employers=[...]` to fill the lists."""

    class Meta:
        model = Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"职工子女爱心托育项目{n}")
    delivery_model = Programme.DeliveryModel.OWN_CENTRE
    lead_employer = factory.SubFactory(EmployerFactory)
    parent_share_percent = Decimal("85.00")
    subsidy_amount = Decimal("200.00")
    subsidy_basis = Programme.SubsidyBasis.PER_CHILD
    subsidy_funder = Programme.Funder.EMPLOYER
    start_date = LONG_AGO
    status = Programme.Status.APPROVED

    class Params:
        federation_run = factory.Trait(
            delivery_model=Programme.DeliveryModel.FEDERATION,
            lead_employer=None,
            federation=factory.SubFactory(FederationFactory),
            subsidy_funder=Programme.Funder.UNION,
        )

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
    buyer_union = factory.LazyAttribute(
        lambda o: None if o.programme.lead_employer else o.programme.federation
    )
    centre = factory.SubFactory(CentreFactory)
    age_class = "toddler"
    places = 5
    start_month = LONG_AGO
    payment_mode = PlaceAgreement.PaymentMode.PER_ENROLLED_CHILD


def tenant(**kwargs) -> Employer:
    return EmployerFactory(kind=Employer.Kind.TENANT_BUSINESS, **kwargs)


@pytest.mark.django_db
def test_programme_factory_builds_a_programme_the_services_accept():
    centre = CentreFactory()
    programme = ProgrammeFactory(centres=[centre])

    programme_check(programme, employers=[], centres=[centre])

    assert programme.lead_employer.status == "approved"


@pytest.mark.django_db
def test_place_agreement_factory_builds_an_agreement_within_capacity():
    centre_class = CentreClassFactory(capacity=15)
    programme = ProgrammeFactory(centres=[centre_class.centre])
    agreement = PlaceAgreementFactory.build(programme=programme, centre=centre_class.centre)

    place_agreement_check(agreement)

    assert (agreement.places, agreement.buyer_employer) == (5, programme.lead_employer)
