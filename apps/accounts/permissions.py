"""DRF permission classes by role. Object scoping is the selectors' job, not these classes'."""

from rest_framework.permissions import BasePermission

from .models import Role


class HasRole(BasePermission):
    """Allow signed-in, active users whose role is in `roles`."""

    roles: tuple[str, ...] = ()

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.role in self.roles)


def role_permission(*roles: str) -> type[HasRole]:
    """`permission_classes = [role_permission(Role.PARENT, Role.UNION_STAFF)]`."""
    return type(f"HasRole_{'_'.join(roles)}", (HasRole,), {"roles": tuple(roles)})


IsUnionStaff = role_permission(Role.UNION_STAFF)
IsEmployerAdmin = role_permission(Role.EMPLOYER_ADMIN)
IsCentreAdmin = role_permission(Role.CENTRE_ADMIN)
IsParent = role_permission(Role.PARENT)
IsReviewer = role_permission(Role.REVIEWER)
