"""The quote a parent sees before applying, built from the employers app's pricing and offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from apps.centres.models import Centre
from apps.employers.models import Programme
from apps.employers.pricing import Quote, format_month, programme_quote
from apps.employers.selectors.programmes import programme_offer
from apps.members.models import Member

from ..models import Application


def quote_as_json(quote: Quote, *, month: date, free_places: int, several_prices: bool) -> dict:
    """The figures as strings (JSON keeps Decimal exact only as text)."""

    def text(value):
        return None if value is None else str(value)

    return {
        "month": format_month(month),
        "market_price": text(quote.market_price),
        "parent_share_percent": text(quote.parent_share_percent),
        "parent_fee": text(quote.parent_fee),
        "employer_part": text(quote.employer_part),
        "subsidy": text(quote.subsidy),
        "subsidy_basis": quote.subsidy_basis,
        "subsidy_funder": quote.subsidy_funder,
        "net_monthly_cost": text(quote.net_monthly_cost),
        "payment_mode": quote.payment_mode,
        "free_places": free_places,
        "several_prices": several_prices,
    }


def other_children_subsidised(*, member: Member, programme: Programme, child_id: int | None) -> int:
    """The worker's other children holding an offer or a place in the programme, which matters
    only for a per-worker subsidy (paid once per worker)."""
    if programme.subsidy_basis != Programme.SubsidyBasis.PER_WORKER:
        return 0
    holding = Application.objects.filter(
        applicant=member, programme=programme, state__in=Application.HOLDING_STATES
    )
    if child_id is not None:
        holding = holding.exclude(child_id=child_id)
    return holding.values("child_id").distinct().count()


@dataclass(frozen=True)
class QuotedOffer:
    quote: dict
    agreement_ids: tuple[int, ...]  # where taking the place looks first, oldest first


def application_offer(
    *,
    member: Member,
    programme: Programme,
    centre: Centre,
    age_class: str,
    month: date,
    child_id: int | None = None,
    figures: dict | None = None,
) -> QuotedOffer | None:
    """The month's quote for a place and the agreements it comes from, or None when the
    programme offers none there. `figures`: see `programme_offer`."""
    offer = programme_offer(
        programme=programme, centre=centre, age_class=age_class, month=month, figures=figures
    )
    if offer is None:
        return None
    others = other_children_subsidised(member=member, programme=programme, child_id=child_id)
    quote = programme_quote(
        programme=programme,
        market_price=offer.market_price,
        other_children_subsidised=others,
        agreement=offer.agreement,
    )
    figures = quote_as_json(
        quote, month=month, free_places=offer.free_places, several_prices=offer.several_prices
    )
    return QuotedOffer(figures, offer.agreement_ids)
