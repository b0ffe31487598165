"""The worker's counters before entry (issue #23 item 1) on a real PostgreSQL: the counter
is what a registration is refused at, as of a business date, scoped per organiser."""

import uuid
from datetime import date

import pytest

from prestaties.service_layer.consumenten.evaluaties import HANDLERS as EVALUATIE_HANDLERS
from prestaties.service_layer.uow import PrestatiesUnitOfWork
from wijkwerk.events import Envelope
from wijkwerk.events.evaluatie import EvaluatieGecorrigeerd, EvaluatieUitgevoerd

pytestmark = pytest.mark.integration

PAD = "/v1/wijkwerkers/{}/tellers"


async def _tellers(env, w, op: str | None = None, **token) -> dict:
    r = await env.client.get(PAD.format(w.wijkwerker_id), params={"op": op} if op else None,
                             headers=env.h("prestaties:read", **token) if token else env.h())
    assert r.status_code == 200, r.text
    return r.json()


async def _registreer(env, w, datum: str, minuten: int):
    return await env.client.post("/v1/prestaties", json=w.prestatie(datum=datum, minuten=minuten), headers=env.h())


async def test_register_up_to_the_month_cap_counter_shows_zero_and_the_next_is_refused(env, wereld):
    w = await wereld()
    for dag in range(3, 9):  # 6 × 10 started hours in March 2025
        assert (await _registreer(env, w, f"2025-03-{dag:02d}", 600)).status_code == 201
    uren = (await _tellers(env, w, "2025-03-10"))["uren"]
    assert uren == {"plafond_maand": 60, "plafond_jaar": 630, "gebruikt_maand": 60, "gebruikt_jaar": 60,
                    "over_maand": 0, "over_jaar": 570, "max_registreerbaar": 0}
    r = await _registreer(env, w, "2025-03-10", 30)
    assert r.status_code == 422 and r.json()["rule"] == "max-60-uur-per-maand"
    assert r.json()["uren_over"] == uren["over_maand"]


async def test_the_counter_is_exactly_the_largest_registration_that_passes(env, wereld):
    w = await wereld()
    for dag in range(1, 6):  # 5 × 11 started hours
        assert (await _registreer(env, w, f"2025-04-{dag:02d}", 11 * 60)).status_code == 201
    teller = (await _tellers(env, w, "2025-04-07"))["uren"]["max_registreerbaar"]
    assert teller == 5
    te_veel = await _registreer(env, w, "2025-04-07", teller * 60 + 1)  # one started hour more
    assert te_veel.status_code == 422 and te_veel.json()["rule"] == "max-60-uur-per-maand"
    assert (await _registreer(env, w, "2025-04-07", teller * 60)).status_code == 201
    assert (await _tellers(env, w, "2025-04-07"))["uren"]["max_registreerbaar"] == 0


async def test_as_of_a_date_a_fact_dated_after_it_does_not_count(env, wereld):
    w = await wereld()
    assert (await _registreer(env, w, "2025-05-20", 130)).status_code == 201  # 3 started hours
    voor = (await _tellers(env, w, "2025-05-19"))["uren"]
    assert (voor["gebruikt_maand"], voor["gebruikt_jaar"], voor["over_maand"]) == (0, 0, 60)
    op = (await _tellers(env, w, "2025-05-20"))["uren"]
    assert (op["gebruikt_maand"], op["gebruikt_jaar"], op["over_maand"]) == (3, 3, 57)


async def test_month_and_year_boundaries(env, wereld):
    w = await wereld()
    assert (await _registreer(env, w, "2025-06-30", 240)).status_code == 201
    juli = (await _tellers(env, w, "2025-07-01"))["uren"]
    assert (juli["gebruikt_maand"], juli["gebruikt_jaar"]) == (0, 4)  # a new month, the same year
    volgend_jaar = await _tellers(env, w, "2026-01-01")
    assert (volgend_jaar["uren"]["gebruikt_maand"], volgend_jaar["uren"]["gebruikt_jaar"]) == (0, 0)


async def test_a_cancelled_prestatie_frees_its_hours(env, wereld):
    w = await wereld()
    r = await _registreer(env, w, "2025-08-04", 60)
    assert r.status_code == 201
    a = await env.client.post(f"/v1/prestaties/{r.json()['id']}/annulering",
                              json={"door": "organisator", "reden": "dubbel ingevoerd", "geannuleerd_op": "2025-08-05"},
                              headers=env.h())
    assert a.status_code == 200, a.text
    assert (await _tellers(env, w, "2025-08-05"))["uren"]["gebruikt_maand"] == 0


async def _evaluatie(env, w, datum: date, evaluatie_id: uuid.UUID | None = None, gecorrigeerd: bool = False) -> None:
    soort = EvaluatieGecorrigeerd if gecorrigeerd else EvaluatieUitgevoerd
    event = soort(evaluatie_id=evaluatie_id or uuid.uuid4(), wijkwerker_id=uuid.UUID(w.wijkwerker_id),
                  traject_id=uuid.UUID(w.traject_id), organisator_id=uuid.UUID(w.organisator_id), datum=datum,
                  uitkomst="zelfde_klus", **({"gecorrigeerd_op": datum} if gecorrigeerd else {}))
    async with env.sessions() as session, session.begin():
        uow = PrestatiesUnitOfWork.joined(session, envelope=Envelope.wrap(event, producer="evaluatie"))
        await EVALUATIE_HANDLERS[soort](event, uow)


async def test_trajectory_days_and_the_next_evaluation_as_of_a_date(env, wereld):
    w = await wereld()  # trajectory 6 Jan – 31 Dec 2025
    traject = (await _tellers(env, w, "2025-03-01"))["traject"]
    assert traject["traject_id"] == w.traject_id and traject["loopt"]
    assert (traject["dagen_over"], traject["laatste_evaluatie"], traject["volgende_evaluatie"]) == (
        306, None, "2025-07-06")
    evaluatie_id = uuid.uuid4()
    await _evaluatie(env, w, date(2025, 7, 1), evaluatie_id)
    assert (await _tellers(env, w, "2025-06-30"))["traject"]["volgende_evaluatie"] == "2025-07-06"  # not yet held
    na = (await _tellers(env, w, "2025-07-01"))["traject"]
    # Next due 1 Jan 2026, after the trajectory's last day (31 Dec 2025): none to plan.
    assert (na["laatste_evaluatie"], na["volgende_evaluatie"], na["evaluatie_achterstallig"]) == (
        "2025-07-01", None, False)
    await _evaluatie(env, w, date(2025, 7, 3), evaluatie_id, gecorrigeerd=True)  # the date corrected
    assert (await _tellers(env, w, "2025-07-02"))["traject"]["laatste_evaluatie"] is None
    einde = (await _tellers(env, w, "2026-01-05"))["traject"]
    assert (einde["loopt"], einde["dagen_over"], einde["volgende_evaluatie"]) == (False, 0, None)


async def test_before_the_trajectory_started_there_is_none_yet(env, wereld):
    w = await wereld()
    assert (await _tellers(env, w, "2024-12-31"))["traject"] is None


async def test_an_organiser_sees_only_its_own_workers(env, wereld):
    w = await wereld()
    eigen = await _tellers(env, w, "2025-03-01", org_type="organisator", org=w.organisator_id)
    assert eigen["traject"]["organisator_id"] == w.organisator_id
    vreemd = await env.client.get(PAD.format(w.wijkwerker_id), headers=env.h(
        "prestaties:read", org_type="organisator", org=str(uuid.uuid4())))
    assert vreemd.status_code == 404 and vreemd.json()["rule"] == "wijkwerker-onbekend"
    gebruiker = await env.client.get(PAD.format(w.wijkwerker_id), headers=env.h(
        "prestaties:read", org_type="gebruiker", org=w.gebruiker_id))
    assert gebruiker.status_code == 404
    dashboard = await env.client.get(PAD.format(w.wijkwerker_id), headers=env.h(
        "rapportering:read", org_type="organisator", org=w.organisator_id))
    assert dashboard.status_code == 200  # the organiser's dashboard asks with its reporting token


async def test_a_worker_token_sees_its_own_counters_and_no_other_workers(env, wereld):
    """The worker's own page (issue #23 item 7) asks with the worker's token."""
    w = await wereld()
    eigen = await env.client.get(PAD.format(w.wijkwerker_id), params={"op": "2025-03-01"}, headers=env.h(
        "wijkwerker:lezen", org_type="wijkwerker", org=w.wijkwerker_id))
    assert eigen.status_code == 200 and eigen.json()["traject"]["organisator_id"] == w.organisator_id
    for token in ({"org_type": "wijkwerker", "org": str(uuid.uuid4())}, {"org_type": "gebruiker", "org": w.gebruiker_id}):
        vreemd = await env.client.get(PAD.format(w.wijkwerker_id), headers=env.h("wijkwerker:lezen", **token))
        assert (vreemd.status_code, vreemd.json()["rule"]) == (404, "wijkwerker-onbekend"), token


async def test_unknown_worker_is_404_with_rule(env):
    r = await env.client.get(PAD.format(uuid.uuid4()), headers=env.h())
    assert r.status_code == 404 and r.json()["rule"] == "wijkwerker-onbekend"


async def test_register_up_to_the_year_cap_counter_shows_zero_and_the_next_is_refused(env, wereld):
    w = await wereld()
    for maand in range(1, 12):  # 60 started hours a month Jan–Oct, 30 in November: 630
        for dag in range(10, 16 if maand < 11 else 13):
            assert (await _registreer(env, w, f"2025-{maand:02d}-{dag:02d}", 600)).status_code == 201
    uren = (await _tellers(env, w, "2025-11-20"))["uren"]
    assert (uren["gebruikt_maand"], uren["over_maand"], uren["gebruikt_jaar"], uren["over_jaar"]) == (30, 30, 630, 0)
    assert uren["max_registreerbaar"] == 0
    r = await _registreer(env, w, "2025-11-20", 60)
    assert r.status_code == 422 and r.json()["rule"] == "max-630-uur-per-jaar"
