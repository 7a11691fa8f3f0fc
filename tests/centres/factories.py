from decimal import Decimal

import factory

from apps.centres.models import AgeClass, Caregiver, Centre, CentreAdmin, CentreClass
from apps.core.validators import make_credit_code
from apps.members.models import Union
from tests.accounts.factories import UserFactory
from tests.areas import first_area
from tests.members.factories import UnionFactory


def credit_code(n: int) -> str:
    return make_credit_code(f"52130283MJ{n:07d}")


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre

    name = factory.Sequence(lambda n: f"爱心托育中心{n}")
    credit_code = factory.Sequence(credit_code)
    operator = "迁安市某托育服务有限公司"
    address = factory.Sequence(lambda n: f"迁安市永顺街道{n}号")
    area = factory.LazyFunction(first_area)
    latitude = Decimal("40.011800")
    longitude = Decimal("118.701200")
    status = "approved"


class CaregiverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Caregiver

    centre = factory.SubFactory(CentreFactory)
    full_name = factory.Faker("name", locale="zh_CN")


class CentreClassFactory(factory.django.DjangoModelFactory):
    """A class; `staffed=N` also assigns N active caregivers of its centre."""

    class Meta:
        model = CentreClass
        skip_postgeneration_save = True

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"托小{n}班")
    age_class = AgeClass.TODDLER
    capacity = 15
    monthly_price = Decimal("1800.00")

    @factory.post_generation
    def staffed(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.caregivers.set(CaregiverFactory.create_batch(extracted, centre=obj.centre))


class CentreAdminFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CentreAdmin

    user = factory.SubFactory(UserFactory, role="centre_admin")
    centre = factory.SubFactory(CentreFactory)


class FederationFactory(UnionFactory):
    name = factory.Sequence(lambda n: f"迁安市托育行业工会联合会{n}")
    kind = Union.Kind.INDUSTRY_FEDERATION
