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


class LoginAttempt(models.Model):
    """One sign-in event, for the lockout rules. The name typed is kept only as a keyed hash."""

    class Kind(models.TextChoices):
        FAILURE = "failure", _("failed")
        SUCCESS = "success", _("succeeded")
        UNLOCK = "unlock", _("unlocked by union staff")

    user = models.ForeignKey(
        User,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="login_attempts",
    )
    username_hash = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    kind = models.CharField(_("result"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")
        indexes = [
            models.Index(fields=["username_hash", "at"]),
            models.Index(fields=["ip_address", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
