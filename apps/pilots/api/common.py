from apps.accounts.models import Role
from apps.accounts.permissions import role_permission

AnySignedInRole = role_permission(*Role.values)
UnitOrStaff = role_permission(Role.EMPLOYER_ADMIN, Role.UNION_STAFF)
ReviewerOrStaff = role_permission(Role.REVIEWER, Role.UNION_STAFF)
ParticipantOrStaff = role_permission(Role.EMPLOYER_ADMIN, Role.REVIEWER, Role.UNION_STAFF)
