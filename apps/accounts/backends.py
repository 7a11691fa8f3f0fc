from django.conf import settings
from django.contrib.auth.backends import BaseBackend

from .models import Role


class UnionStaffBackend(BaseBackend):
    """Union staff may use every admin page of the portal's own apps; nobody else gets them.

    Role-based rather than group-based so a new app's models need no permission sync step.
    """

    def _applies(self, user_obj) -> bool:
        return bool(
            user_obj and user_obj.is_active and getattr(user_obj, "role", None) == Role.UNION_STAFF
        )

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return self._applies(user_obj) and perm.split(".", 1)[0] in settings.UNION_STAFF_APP_LABELS

    def has_module_perms(self, user_obj, app_label) -> bool:
        return self._applies(user_obj) and app_label in settings.UNION_STAFF_APP_LABELS
