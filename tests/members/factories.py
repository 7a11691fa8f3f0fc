from datetime import date

import factory

from apps.accounts.models import Role
from apps.core.pii import set_sensitive
from apps.core.validators import make_id_number, normalize_id_number
from apps.members.models import Child, GuardianConsent, Guardianship, Member, Union
from tests.accounts.factories import UserFactory


class UnionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Union

    name = factory.Sequence(lambda n: f"基层工会{n}")
    kind = Union.Kind.GRASSROOTS


class MemberFactory(factory.django.DjangoModelFactory):
    """A union member with a parent account and a valid, fictitious ID number."""

    class Meta:
        model = Member
        exclude = ["raw_id_number"]

    user = factory.SubFactory(UserFactory, role=Role.PARENT)
    full_name = factory.Faker("name", locale="zh_CN")
    raw_id_number = factory.Sequence(
        lambda n: make_id_number(
            birth=date(1985 + n % 15, 1 + n % 12, 1 + n % 28), sequence=n % 1000
        )
    )
    mobile = factory.Sequence(lambda n: f"139{n:08d}")

    @factory.lazy_attribute
    def id_number(self):
        return self.raw_id_number

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        instance = model_class(**{k: v for k, v in kwargs.items() if k != "id_number"})
        set_sensitive(instance, "id_number", kwargs["id_number"], normalize=normalize_id_number)
        instance.save()
        return instance


class GuardianConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuardianConsent

    guardian = factory.SubFactory(MemberFactory)
    notice_version = "2026-01"


class ChildFactory(factory.django.DjangoModelFactory):
    """A child with one guardian (pass `guardian=`), stored after that guardian's consent."""

    class Meta:
        model = Child
        exclude = ["guardian"]
        skip_postgeneration_save = True

    guardian = factory.SubFactory(MemberFactory)
    full_name = factory.Faker("name", locale="zh_CN")
    birth_date = date(2025, 3, 1)
    sex = Child.Sex.FEMALE
    consent = factory.LazyAttribute(lambda o: GuardianConsentFactory(guardian=o.guardian))

    @factory.post_generation
    def guardianship(obj, create, extracted, **kwargs):
        if create:
            guardian = obj.consent.guardian
            Guardianship.objects.create(child=obj, guardian=guardian, relation="mother")
