from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from apps.accounts.models import Role
from apps.centres.models import RegistrationStatus

STAFF = (Role.UNION_STAFF,)
STAFF_OR_EMPLOYER = (Role.UNION_STAFF, Role.EMPLOYER_ADMIN)


class RolesByMethod(BasePermission):
    """Signed-in, active users whose role may read (safe methods) or write."""

    read: tuple[str, ...] = ()
    write: tuple[str, ...] = ()

    def has_permission(self, request, view) -> bool:
        user = request.user
        roles = self.read if request.method in SAFE_METHODS else self.write
        return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def roles_by_method(*, read: tuple[str, ...], write: tuple[str, ...]) -> type[RolesByMethod]:
    return type("RolesByMethod", (RolesByMethod,), {"read": read, "write": write})


def own_employer(user):
    """The employer an employer admin acts for; an account without an approved one may not write
    (a pending, refused or suspended employer's admins are locked out, as in the registries)."""
    link = getattr(user, "employer_admin", None)
    if link is None or link.employer.status != RegistrationStatus.APPROVED:
        raise PermissionDenied
    return link.employer


def is_staff(user) -> bool:
    return user.role == Role.UNION_STAFF
