from datetime import date, time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from apps.welfare.models import (
    CareClass,
    CareClassSession,
    CollectiveContract,
    Level,
    MotherRoom,
)
from tests.areas import first_area
from tests.members.factories import UnionFactory

# A fixed point in Qian'an; 1° of latitude is 6371 km × π/180 = 111.19493 km on our sphere.
ORIGIN = (Decimal("40.000000"), Decimal("118.700000"))


class MotherRoomFactory(factory.django.DjangoModelFactory):
    """An approved public room at Tangshan level, at the test origin."""

    class Meta:
        model = MotherRoom

    name = factory.Sequence(lambda n: f"爱心妈妈小屋{n}")
    host_union = factory.SubFactory(UnionFactory)
    version = MotherRoom.Version.PUBLIC
    status = MotherRoom.Status.APPROVED
    level = Level.TANGSHAN
    recognised_on = date(2023, 5, 10)
    address = factory.Sequence(lambda n: f"迁安市兴安街道{n}号")
    area = factory.LazyFunction(first_area)
    floor_area_m2 = Decimal("12.0")
    latitude = ORIGIN[0]
    longitude = ORIGIN[1]
    opening_hours = "周一至周五 8:30–17:30"
    offers_feeding = True


class CareClassFactory(factory.django.DjangoModelFactory):
    """An open, free holiday class with one session 30 days from now."""

    class Meta:
        model = CareClass
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"爱心托管班{n}")
    organiser_union = factory.SubFactory(UnionFactory)
    kind = CareClass.Kind.HOLIDAY
    status = CareClass.Status.OPEN
    place = "迁安市职工服务中心"
    area = factory.LazyFunction(first_area)
    capacity = 10

    @factory.post_generation
    def first_session(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            CareClassSession.objects.create(
                care_class=obj,
                date=extracted or timezone.localdate() + timedelta(days=30),
                starts_at=time(8, 30),
                ends_at=time(11, 30),
            )


class CollectiveContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectiveContract

    employer = factory.SubFactory("tests.employers.factories.EmployerFactory")
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    starts_on = factory.LazyAttribute(lambda o: o.signed_on)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=3 * 365 - 1))
    maternity_leave_days = 158
    spouse_care_leave_days = 15
    nursing_minutes_per_day = 60
    nursing_until_months = 12
    parental_leave_days = 10
