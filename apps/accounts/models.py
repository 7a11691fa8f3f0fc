from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    UNION_STAFF = "union_staff", _("union staff")
    EMPLOYER_ADMIN = "employer_admin", _("employer admin")
    CENTRE_ADMIN = "centre_admin", _("centre admin")
    PARENT = "parent", _("parent")
    REVIEWER = "reviewer", _("reviewer")


# Where each role starts after signing in.
ROLE_HOME = {
    Role.UNION_STAFF: "/dashboard/",
    Role.EMPLOYER_ADMIN: "/employer/",
    Role.CENTRE_ADMIN: "/centre/",
    Role.PARENT: "/parent/",
    Role.REVIEWER: "/reviewer/",
}


class User(AbstractUser):
    """A person who signs in. Links to organisations live on the organisations' side."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARENT)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="user_role_known"
            )
        ]

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_username()

    @property
    def home_url(self) -> str:
        return ROLE_HOME.get(self.role, "/")

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles
