"""Races with real PostgreSQL connections: the guard against overbooking is in the database."""

import threading
import time

import pytest
from django.db import connection
from django.db.models import Max, Sum

from apps.admissions.errors import AdmissionsError
from apps.admissions.models import Application
from apps.admissions.services.applications import application_submit
from apps.admissions.services.offers import application_offer
from apps.centres.models import CentreClass
from apps.employers.models import PlaceAgreement
from tests.admissions.factories import (
    application,
    as_seen,
    centre_admin,
    family,
    place,
    start_month,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
State = Application.State
THREADS = 40  # plus one watcher: well under the 50 connections the tests may use


def run_together(jobs: list[list], call) -> tuple[list, list]:
    """Each inner list of jobs runs in its own thread, all threads released at once; every
    thread closes its connection. Returns (results, errors)."""
    barrier = threading.Barrier(len(jobs))
    results, errors, lock = [], [], threading.Lock()

    def worker(batch):
        try:
            barrier.wait()
            for job in batch:
                try:
                    outcome = call(job)
                except AdmissionsError as error:
                    outcome = error
                with lock:
                    results.append(outcome)
        except Exception as error:  # noqa: BLE001 - the test reports any crash as a failure
            with lock:
                errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(batch,)) for batch in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


class Watcher(threading.Thread):
    """Reads the place counters over and over on its own connection while the race runs."""

    def __init__(self, class_ids, agreement_id):
        super().__init__()
        self.class_ids, self.agreement_id = class_ids, agreement_id
        self.stop, self.over_capacity, self.highest = threading.Event(), [], 0

    def run(self):
        try:
            while not self.stop.is_set():
                for row in CentreClass.objects.filter(pk__in=self.class_ids).values(
                    "places_taken", "capacity"
                ):
                    if row["places_taken"] > row["capacity"]:
                        self.over_capacity.append(row)
                taken = PlaceAgreement.objects.get(pk=self.agreement_id).places_taken
                self.highest = max(self.highest, taken)
                time.sleep(0.005)
        finally:
            connection.close()


def test_200_parents_applying_at_once_for_50_places_give_50_offers_and_150_waiting():
    setting = place(capacity=15, classes=4, bought=50)
    families = [family(setting.employer) for _ in range(200)]
    watcher = Watcher([c.pk for c in setting.classes], setting.agreement.pk)

    def submit(kin):
        return application_submit(
            member=kin.member,
            child=kin.child,
            programme=setting.programme,
            centre=setting.centre,
            age_class=setting.age_class,
            start_month=start_month(),
            actor=kin.user,
        )

    watcher.start()
    started = time.monotonic()
    results, errors = run_together([families[i::THREADS] for i in range(THREADS)], submit)
    elapsed = time.monotonic() - started
    watcher.stop.set()
    watcher.join()

    states = [getattr(r, "state", r) for r in results]
    assert errors == []
    assert (states.count(State.OFFERED), states.count(State.WAITING), len(states)) == (50, 150, 200)
    assert Application.objects.filter(state=State.OFFERED).count() == 50
    assert Application.objects.filter(state=State.WAITING).count() == 150
    assert CentreClass.objects.filter(centre=setting.centre).aggregate(n=Sum("places_taken")) == {
        "n": 50
    }
    assert PlaceAgreement.objects.get(pk=setting.agreement.pk).places_taken == 50
    assert (watcher.over_capacity, watcher.highest <= 50) == ([], True)
    # First come, first served: every offer went to an earlier submission than any waiting one.
    last_offered = Application.objects.filter(state=State.OFFERED).aggregate(t=Max("submitted_at"))
    assert not Application.objects.filter(
        state=State.WAITING, submitted_at__lt=last_offered["t"]
    ).exists()
    assert elapsed < 60


def test_two_centre_admins_offering_the_last_place_at_once_one_succeeds_one_is_refused():
    setting = place(capacity=1)
    first, second = application(setting, State.WAITING), application(setting, State.WAITING)
    admins = [centre_admin(setting.centre), centre_admin(setting.centre)]

    def offer(job):
        row, admin = job
        return application_offer(application=row, actor=admin)

    results, errors = run_together([[(first, admins[0])], [(second, admins[1])]], offer)

    refused = [r for r in results if isinstance(r, AdmissionsError)]
    offered = [r for r in results if isinstance(r, Application)]
    assert errors == []
    assert (len(offered), len(refused)) == (1, 1)
    assert (refused[0].code, refused[0].status_code) == ("no_place", 409)
    assert refused[0].message == as_seen(
        "No %(age_class)s at %(centre)s has a free place.",
        age_class=as_seen("toddler class (12–24 months)"),
        centre=setting.centre.name,
    )
    assert CentreClass.objects.get(pk=setting.centre_class.pk).places_taken == 1
    assert sorted(Application.objects.values_list("state", flat=True)) == [
        State.OFFERED,
        State.WAITING,
    ]


def test_one_child_submitted_twice_at_once_gets_one_application():
    setting = place(capacity=5)
    kin = family(setting.employer)

    def submit(_job):
        return application_submit(
            member=kin.member,
            child=kin.child,
            programme=setting.programme,
            centre=setting.centre,
            age_class=setting.age_class,
            start_month=start_month(),
            actor=kin.user,
        )

    results, errors = run_together([[1], [2], [3]], submit)

    codes = sorted(getattr(r, "code", "created") for r in results)
    assert errors == []
    assert codes == ["created", "duplicate_application", "duplicate_application"]
    assert Application.objects.count() == 1
    assert CentreClass.objects.get(pk=setting.centre_class.pk).places_taken == 1
