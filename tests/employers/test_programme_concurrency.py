"""Place agreements bought at the same moment cannot together exceed a centre's capacity."""

import threading
from datetime import date

import pytest
from django.db import connection

from apps.employers.models import PlaceAgreement
from apps.employers.services.programmes import ProgrammeError, place_agreement_create
from tests.centres.factories import CentreClassFactory
from tests.employers.test_programme_factories import ProgrammeFactory


@pytest.mark.django_db(transaction=True)
def test_two_employers_buying_the_last_places_at_once_cannot_overbook():
    centre_class = CentreClassFactory(capacity=15, age_class="toddler")
    programmes = [ProgrammeFactory(centres=[centre_class.centre]) for _ in range(2)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def buy(programme) -> None:
        try:
            start.wait()
            place_agreement_create(
                programme=programme,
                actor=None,
                centre=centre_class.centre,
                age_class="toddler",
                places=10,
                start_month=date(2026, 3, 1),
                payment_mode="per_child",
            )
            outcomes.append("bought")
        except ProgrammeError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(p,)) for p in programmes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["bought", "no_capacity"]
    assert PlaceAgreement.objects.get().places == 10
