import factory

from apps.core.validators import make_credit_code
from apps.employers.models import Employer, EmployerAdmin, Employment
from tests.accounts.factories import UserFactory
from tests.areas import first_area
from tests.members.factories import MemberFactory, UnionFactory


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"迁安示范企业{n}有限公司")
    credit_code = factory.Sequence(lambda n: make_credit_code(f"91130283MA{n:07d}"))
    kind = Employer.Kind.ENTERPRISE
    address = factory.Sequence(lambda n: f"迁安市兴安街道{n}号")
    area = factory.LazyFunction(first_area)
    union = factory.SubFactory(UnionFactory)
    status = "approved"


class EmployerAdminFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmployerAdmin

    user = factory.SubFactory(UserFactory, role="employer_admin")
    employer = factory.SubFactory(EmployerFactory)


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    member = factory.SubFactory(MemberFactory)
    employer = factory.SubFactory(EmployerFactory)
    status = Employment.Status.ACTIVE
    verified_by = Employment.VerifiedBy.ROSTER
