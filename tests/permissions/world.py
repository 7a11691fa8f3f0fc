"""Two sides of everything, for the authorisation matrix."""

from types import SimpleNamespace

from apps.accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.centres.factories import CentreAdminFactory, CentreClassFactory
from tests.employers.factories import EmployerAdminFactory, EmploymentFactory
from tests.members.factories import ChildFactory, MemberFactory


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.member_a, w.member_b = MemberFactory(), MemberFactory()
    w.employment_a = EmploymentFactory(member=w.member_a)
    w.employment_b = EmploymentFactory(member=w.member_b)
    w.employer_a, w.employer_b = w.employment_a.employer, w.employment_b.employer
    w.child_a, w.child_b = ChildFactory(guardian=w.member_a), ChildFactory(guardian=w.member_b)
    w.class_a, w.class_b = CentreClassFactory(), CentreClassFactory()
    w.centre_a, w.centre_b = w.class_a.centre, w.class_b.centre
    w.users = {
        "anonymous": None,
        "parent": w.member_a.user,
        "other_parent": w.member_b.user,
        "employer_admin": EmployerAdminFactory(employer=w.employer_a).user,
        "other_employer_admin": EmployerAdminFactory(employer=w.employer_b).user,
        "centre_admin": CentreAdminFactory(centre=w.centre_a).user,
        "union_staff": UserFactory(role=Role.UNION_STAFF),
        "reviewer": UserFactory(role=Role.REVIEWER),
    }
    for name, hook in WORLD_EXTENSIONS:
        setattr(w, name, hook(w))
    return w


# Later apps add their objects here: (attribute name, function(world) -> value).
WORLD_EXTENSIONS: list = []
