"""Account writes: creating users with a role and changing whether they may sign in."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core.errors import DomainError
from apps.core.services import audit_record

from .models import Role, User


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    email: str = "",
    actor: User | None = None,
) -> User:
    """Create a user; union staff get the admin console. Passwords pass Django's validators."""
    user = User(
        username=username,
        role=role,
        full_name=full_name,
        email=email,
        is_staff=role == Role.UNION_STAFF,
    )
    try:
        validate_password(password, user)
        user.set_password(password)
        user.full_clean()
    except ValidationError as error:
        fields = getattr(error, "message_dict", {"password": error.messages})
        raise DomainError.for_field(next(iter(fields)), next(iter(fields.values()))[0]) from error
    user.save()
    audit_record(actor=actor, action="user.create", target=user, to_state=role)
    return user


@transaction.atomic
def user_set_active(*, user: User, active: bool, actor: User, reason: str = "") -> User:
    if user.is_active == active:
        return user
    User.objects.filter(pk=user.pk).update(is_active=active)
    audit_record(
        actor=actor,
        action="user.activate" if active else "user.suspend",
        target=user,
        from_state="active" if user.is_active else "inactive",
        to_state="active" if active else "inactive",
        reason=reason,
    )
    user.is_active = active
    return user
