"""Centre sign-up: the centre and its first admin account, in one transaction.

Kept in the centres app (not with the employers' sign-ups) because the centre portal's pages
use it and centres may not import from employers.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role, User
from apps.accounts.services import user_create
from apps.core.services import notice_send

from .models import Centre
from .services import _credit_code, centre_admin_add, centre_create

_fill_in = lazy(lambda text, params: str(text) % params, str)


@transaction.atomic
def centre_signup(
    *,
    name: str,
    credit_code: str,
    operator: str,
    address: str,
    area,
    latitude: Decimal,
    longitude: Decimal,
    contact_phone: str,
    username: str,
    password: str,
    admin_full_name: str,
    filing_status: str = Centre.Filing.NOT_FILED,
    filing_number: str = "",
) -> tuple[Centre, User]:
    """A centre pending approval and its admin account; union staff are told."""
    _credit_code(credit_code)  # refuse a bad or taken code before the account is made
    user = user_create(
        username=username.strip(),
        password=password,
        role=Role.CENTRE_ADMIN,
        full_name=admin_full_name.strip(),
    )
    centre = centre_create(
        name=name.strip(),
        credit_code=credit_code,
        operator=operator.strip(),
        address=address.strip(),
        area=area,
        latitude=latitude,
        longitude=longitude,
        contact_phone=contact_phone.strip(),
        filing_status=filing_status,
        filing_number=filing_number.strip(),
        actor=user,
    )
    centre_admin_add(centre=centre, user=user, actor=user)
    title = _fill_in(_("%(name)s signed up as a childcare centre"), {"name": centre.name})
    for staff in User.objects.filter(role=Role.UNION_STAFF, is_active=True).order_by("pk"):
        notice_send(recipient=staff, title=title, link=f"/admin/centres/centre/{centre.pk}/change/")
    return centre, user
