"""Whose figures: the city (optionally one area or one union), one employer, or one centre.

A scope turns into one `Q` per kind of row. The rules, in one place:
- area: where the childcare happens, i.e. the centre's area; rows without a centre use their
  own area (mother rooms, care classes) or their employer's (pilot units, unit grants).
- union: the organising union: a centre's industry federation; a programme's federation or its
  lead employer's grassroots union (and rows of that programme); a room's or care class's host
  union or host employer's union; a pilot unit's employer's union.
- employer: what the employer leads, takes part in, buys, pays or hosts; applications and
  enrolments of its workers (the employer confirming employment).
- centre: the centre's own classes, agreements, applications, enrolments and payments.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q

from apps.centres.models import Centre
from apps.core.models import Area
from apps.employers.models import Employer, Programme
from apps.members.models import Union

EVERYTHING = Q()


class Kind(StrEnum):
    CITY = "city"
    EMPLOYER = "employer"
    CENTRE = "centre"


def _q(prefix: str, **lookups) -> Q:
    return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})


def _both(*parts: Q) -> Q:
    combined = Q()
    for part in parts:
        combined &= part
    return combined


@dataclass(frozen=True)
class Scope:
    kind: Kind = Kind.CITY
    area: Area | None = None
    union: Union | None = None
    employer: Employer | None = None
    centre: Centre | None = None

    @classmethod
    def city(cls, *, area: Area | None = None, union: Union | None = None) -> Scope:
        return cls(Kind.CITY, area=area, union=union)

    @classmethod
    def for_employer(cls, employer: Employer) -> Scope:
        return cls(Kind.EMPLOYER, employer=employer)

    @classmethod
    def for_centre(cls, centre: Centre) -> Scope:
        return cls(Kind.CENTRE, centre=centre)

    @property
    def label(self) -> str:
        return str(self.employer or self.centre or self.area or self.union or "")

    # Centres and what sits at one centre.

    def centres(self, prefix: str = "") -> Q:
        if self.kind == Kind.CENTRE:
            return _q(prefix, pk=self.centre.pk)
        if self.kind == Kind.EMPLOYER:
            return Q(pk__in=[])
        return _both(
            _q(prefix, area=self.area) if self.area else EVERYTHING,
            _q(prefix, federation=self.union) if self.union else EVERYTHING,
        )

    def classes(self) -> Q:
        return self.centres("centre__")

    # Programmes and the rows that belong to one.

    def programmes(self) -> Q:
        through = Programme.centres.through.objects
        programme = OuterRef("pk")
        if self.kind == Kind.CENTRE:
            return Q(Exists(through.filter(programme=programme, centre=self.centre)))
        if self.kind == Kind.EMPLOYER:
            takes_part = Programme.employers.through.objects.filter(
                programme=programme, employer=self.employer
            )
            return Q(lead_employer=self.employer) | Q(Exists(takes_part))
        parts = []
        if self.area:
            # Where the childcare happens: a programme counts in each area it has a centre in.
            parts.append(Q(Exists(through.filter(programme=programme, centre__area=self.area))))
        if self.union:
            parts.append(self._programme_union(""))
        return _both(*parts)

    def _programme_union(self, prefix: str) -> Q:
        return _q(prefix, federation=self.union) | _q(prefix, lead_employer__union=self.union)

    def _at_centre(self, prefix: str, *, employer_field: str) -> Q:
        """Rows at a centre, of a programme, with an employer (applications, enrolments)."""
        if self.kind == Kind.CENTRE:
            return _q(prefix, centre=self.centre)
        if self.kind == Kind.EMPLOYER:
            return _q(prefix, **{employer_field: self.employer})
        return _both(
            _q(prefix, centre__area=self.area) if self.area else EVERYTHING,
            self._programme_union(f"{prefix}programme__") if self.union else EVERYTHING,
        )

    def agreements(self) -> Q:
        if self.kind == Kind.CENTRE:
            return Q(centre=self.centre)
        if self.kind == Kind.EMPLOYER:
            return Q(buyer_employer=self.employer)
        # A federation buys places itself: its agreements count for it.
        union = self._programme_union("programme__") | Q(buyer_union=self.union)
        return _both(
            Q(centre__area=self.area) if self.area else EVERYTHING,
            union if self.union else EVERYTHING,
        )

    def applications(self, prefix: str = "") -> Q:
        return self._at_centre(prefix, employer_field="employer")

    def enrolments(self, prefix: str = "") -> Q:
        return self._at_centre(prefix, employer_field="employer")

    def attendance(self) -> Q:
        return self.enrolments("enrolment__")

    # Money.

    def payout_lines(self) -> Q:
        if self.kind == Kind.CENTRE:
            return Q(centre=self.centre)
        if self.kind == Kind.EMPLOYER:
            return Q(employer=self.employer)
        parts = []
        if self.area:
            # Lines to a parent or a centre carry the centre; unit grants only the employer.
            parts.append(
                Q(centre__area=self.area) | Q(centre__isnull=True, employer__area=self.area)
            )
        if self.union:
            parts.append(
                Q(employer__union=self.union) | Q(enrolment__programme__federation=self.union)
            )
        return _both(*parts)

    # Organisations' own rows: pilot units, mother rooms, care classes.

    def pilot_results(self) -> Q:
        if self.kind == Kind.CENTRE:
            return Q(pk__in=[])
        if self.kind == Kind.EMPLOYER:
            return Q(application__employer=self.employer)
        return _both(
            Q(application__employer__area=self.area) if self.area else EVERYTHING,
            Q(application__employer__union=self.union) if self.union else EVERYTHING,
        )

    def _hosted(self, *, union_field: str, employer_field: str) -> Q:
        if self.kind == Kind.CENTRE:
            return Q(pk__in=[])
        if self.kind == Kind.EMPLOYER:
            return Q(**{employer_field: self.employer})
        union = Q(**{union_field: self.union}) | Q(**{f"{employer_field}__union": self.union})
        return _both(
            Q(area=self.area) if self.area else EVERYTHING,
            union if self.union else EVERYTHING,
        )

    def mother_rooms(self) -> Q:
        return self._hosted(union_field="host_union", employer_field="host_employer")

    def care_classes(self) -> Q:
        return self._hosted(union_field="organiser_union", employer_field="organiser_employer")
