from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.pii import EncryptedTextField, mask


class Union(models.Model):
    """A trade union: the city federation, an industry federation or a grassroots union."""

    class Kind(models.TextChoices):
        CITY_FEDERATION = "city_federation", _("city federation of trade unions")
        INDUSTRY_FEDERATION = "industry_federation", _("industry union federation")
        GRASSROOTS = "grassroots", _("grassroots union")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    area = models.ForeignKey(
        "core.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("union")
        verbose_name_plural = _("unions")
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="union_not_own_parent")
        ]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A worker who uses the parent portal. ID number encrypted, found by its hash, shown masked."""

    class Membership(models.TextChoices):
        NONE = "none", _("not a union member")
        CLAIMED = "claimed", _("union member, not verified")
        VERIFIED = "verified", _("verified union member")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member",
    )
    full_name = models.CharField(_("full name"), max_length=50)
    id_number = EncryptedTextField(_("resident ID number"))
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    mobile = models.CharField(_("mobile number"), max_length=11)
    union = models.ForeignKey(
        Union,
        verbose_name=_("union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    membership = models.CharField(
        _("union membership"), max_length=20, choices=Membership.choices, default=Membership.NONE
    )
    membership_verified_at = models.DateTimeField(
        _("membership verified at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["id_number", "id_number_hash", "mobile"])

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("union member")
        verbose_name_plural = _("union members")

    def __str__(self) -> str:
        return self.full_name

    @property
    def id_number_masked(self) -> str:
        return mask(self.id_number)

    @property
    def mobile_masked(self) -> str:
        return mask(self.mobile, keep_start=3, keep_end=4)


class GuardianConsent(models.Model):
    """A guardian's consent to store a child's data (PIPL Art. 31), kept before the child is."""

    guardian = models.ForeignKey(
        Member, verbose_name=_("guardian"), on_delete=models.PROTECT, related_name="consents"
    )
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("guardian consent")
        verbose_name_plural = _("guardian consents")

    def __str__(self) -> str:
        return f"{self.guardian} · {self.notice_version}"


class Child(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "F", _("girl")
        MALE = "M", _("boy")

    full_name = models.CharField(_("full name"), max_length=50)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    id_number = EncryptedTextField(_("resident ID number"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    guardians = models.ManyToManyField(
        Member, verbose_name=_("guardians"), through="Guardianship", related_name="children"
    )
    # PROTECT and NOT NULL: no child row can exist without the consent that allowed it.
    consent = models.ForeignKey(
        GuardianConsent, verbose_name=_("consent"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["id_number", "id_number_hash"])

    class Meta:
        ordering = ["birth_date", "id"]
        verbose_name = _("child")
        verbose_name_plural = _("children")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="child_id_number_unique",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def id_number_masked(self) -> str:
        return mask(self.id_number)


class Guardianship(models.Model):
    class Relation(models.TextChoices):
        MOTHER = "mother", _("mother")
        FATHER = "father", _("father")
        OTHER = "other", _("other guardian")

    child = models.ForeignKey(
        Child, verbose_name=_("child"), on_delete=models.CASCADE, related_name="guardianships"
    )
    guardian = models.ForeignKey(
        Member, verbose_name=_("guardian"), on_delete=models.PROTECT, related_name="guardianships"
    )
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(fields=["child", "guardian"], name="guardianship_unique")
        ]

    def __str__(self) -> str:
        return f"{self.guardian} · {self.child}"
