"""Prestaties through the API on a real PostgreSQL: every rule a problem document with
nothing half written, the caps under concurrent requests, and the confirm / dispute /
correct / cancel life cycle with its events."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import date

import pytest
from sqlalchemy import text

from wijkwerk import prestatiecode
from wijkwerk.events.toeleiding import OvereenkomstGetekend, TrajectBeeindigd, TrajectGeschorst, TrajectGestart

pytestmark = pytest.mark.integration


async def _events(env, wijkwerker_id: str, event_type: str) -> list[dict]:
    async with env.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT key, value FROM outbox WHERE event_type = :t AND key = :k ORDER BY id"),
            {"t": event_type, "k": wijkwerker_id},
        )
        return [json.loads(value)["payload"] for _, value in rows]


async def test_a_prestatie_is_registered_with_its_event_keyed_by_the_worker(env, wereld):
    w = await wereld()
    r = await env.client.post("/v1/prestaties", json=w.prestatie(minuten=130), headers=env.h())
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["begonnen_uren"], body["traject_id"], body["status"]) == (3, w.traject_id, "geregistreerd")
    assert (body["recht_op_verplaatsingsvergoeding"], body["verplaatsingsvergoeding_dag"]) == (True, "2.40")
    [event] = await _events(env, w.wijkwerker_id, "PrestatieGeregistreerd")
    assert event["prestatie_id"] == body["id"]
    assert (event["begonnen_uren"], event["minuten"], event["gebruiker_categorie"]) == (3, 130, "school")
    assert (event["activiteit_categorie"], event["afstand_km"], event["traject_id"]) == (
        "onderwijs_en_kinderopvang", 8, w.traject_id,
    )


async def test_each_prestatie_gets_a_short_reference_the_gebruiker_sees_and_the_event_carries(env, wereld):
    w = await wereld()
    eerste = (await env.client.post("/v1/prestaties", json=w.prestatie("2025-02-04"), headers=env.h())).json()
    tweede = (await env.client.post("/v1/prestaties", json=w.prestatie("2025-02-05"), headers=env.h())).json()
    assert prestatiecode.lees(eerste["referentie"]) == eerste["referentie"] != tweede["referentie"]
    assert len(eerste["referentie"]) == len("P-000000-0")
    gelezen = await env.client.get(f"/v1/prestaties/{eerste['id']}", headers=env.h())
    assert gelezen.json()["referentie"] == eerste["referentie"]
    events = await _events(env, w.wijkwerker_id, "PrestatieGeregistreerd")
    assert [e["referentie"] for e in events] == [eerste["referentie"], tweede["referentie"]]


async def test_five_km_is_not_enough_for_travel_allowance(env, wereld):
    w = await wereld(afstand_km=5)
    body = (await env.client.post("/v1/prestaties", json=w.prestatie(), headers=env.h())).json()
    assert (body["recht_op_verplaatsingsvergoeding"], body["verplaatsingsvergoeding_dag"]) == (False, "0.00")


async def _geweigerd(env, w, body: dict, status: int, rule: str) -> dict:
    voor = await env.telling(w.wijkwerker_id)
    r = await env.client.post("/v1/prestaties", json=body, headers=env.h())
    assert (r.status_code, r.json()["rule"]) == (status, rule), r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert await env.telling(w.wijkwerker_id) == voor  # no row, no outbox row
    return r.json()


@pytest.mark.parametrize(("change", "rule"), [
    ({"datum": "2026-01-05"}, "buiten-traject"),
    ({"datum": "2025-01-05"}, "buiten-koppeling"),  # before the placement started
    ({"datum": "2025-03-05"}, "traject-geschorst"),
    ({"minuten": 0}, "duur-niet-positief"),
    ({"start": "23:30", "minuten": 31}, "niet-binnen-een-dag"),
    ({"datum": "2999-01-01"}, "datum-in-de-toekomst"),
    ({"door": "iemand"}, "ongeldige-invoer"),
    ({"onbekend": 1}, "ongeldige-invoer"),
])
async def test_each_broken_rule_is_a_problem_document_and_writes_nothing(env, wereld, change, rule):
    w = await wereld()
    await env.fold(TrajectGeschorst(
        traject_id=w.traject_id, wijkwerker_id=w.wijkwerker_id, van=date(2025, 3, 1), tot=date(2025, 3, 10),
        reden="ziekte met attest", gepland_einde=date(2025, 12, 31), max_einde=date(2025, 12, 31),
    ))
    await _geweigerd(env, w, w.prestatie(**change), 422, rule)


async def test_each_trajectory_of_a_worker_keeps_its_own_suspensions(env, wereld):
    """The registration reads every window of the worker with its suspensions in one
    statement: a suspension belongs to its own trajectory only. The first trajectory ends
    during a suspension that was planned to run on into the second one's window."""
    w = await wereld()
    tweede = uuid.uuid4()
    await env.fold(
        TrajectGeschorst(
            traject_id=w.traject_id, wijkwerker_id=w.wijkwerker_id, van=date(2025, 4, 20), tot=date(2025, 6, 10),
            reden="ziekte met attest", gepland_einde=date(2025, 12, 31), max_einde=date(2025, 12, 31),
        ),
        TrajectBeeindigd(traject_id=w.traject_id, wijkwerker_id=w.wijkwerker_id, organisator_id=w.organisator_id,
                         einde=date(2025, 4, 30), reden="gestopt"),
        TrajectGestart(
            traject_id=tweede, toeleiding_id=uuid.uuid4(), wijkwerker_id=w.wijkwerker_id,
            organisator_id=w.organisator_id, start=date(2025, 6, 2), gepland_einde=date(2025, 12, 31),
            max_einde=date(2025, 12, 31),
        ),
        OvereenkomstGetekend(traject_id=tweede, wijkwerker_id=w.wijkwerker_id, organisator_id=w.organisator_id,
                             getekend_op=date(2025, 6, 2)),
        TrajectGeschorst(
            traject_id=tweede, wijkwerker_id=w.wijkwerker_id, van=date(2025, 7, 1), tot=date(2025, 7, 10),
            reden="ziekte met attest", gepland_einde=date(2025, 12, 31), max_einde=date(2025, 12, 31),
        ),
    )
    for datum, rule in (("2025-04-25", "traject-geschorst"), ("2025-07-05", "traject-geschorst"),
                        ("2025-05-15", "buiten-traject")):
        await _geweigerd(env, w, w.prestatie(datum=datum), 422, rule)
    for datum, traject in (("2025-03-12", w.traject_id), ("2025-06-05", str(tweede)), ("2025-07-11", str(tweede))):
        r = await env.client.post("/v1/prestaties", json=w.prestatie(datum=datum, minuten=60), headers=env.h())
        assert (r.status_code, r.json().get("traject_id")) == (201, traject), r.text


async def test_an_unpaid_erkenning_is_not_active(env, wereld):
    w = await wereld(betaald=False)
    await _geweigerd(env, w, w.prestatie(), 422, "geen-actieve-erkenning")


async def test_a_refusal_lists_every_broken_rule_the_first_named(env, wereld):
    """A-23: a suspended day at a gebruiker without a paid erkenning: the trajectory rule
    comes first, the erkenning is listed too."""
    w = await wereld(betaald=False)
    await env.fold(TrajectGeschorst(
        traject_id=w.traject_id, wijkwerker_id=w.wijkwerker_id, van=date(2025, 3, 1), tot=date(2025, 3, 10),
        reden="ziekte met attest", gepland_einde=date(2025, 12, 31), max_einde=date(2025, 12, 31),
    ))
    problem = await _geweigerd(env, w, w.prestatie(datum="2025-03-05"), 422, "traject-geschorst")
    assert [r["rule"] for r in problem["geschonden_regels"]] == ["traject-geschorst", "geen-actieve-erkenning"]


async def test_an_activity_the_organiser_took_out_of_the_matrix_is_refused(env, wereld):
    w = await wereld()
    r = await env.client.put(f"/v1/activiteiten/{w.activiteit_id}/toegelaten-categorieen",
                             json={"toegelaten_categorieen": ["vzw"]}, headers=env.h())
    assert r.status_code == 200, r.text
    await _geweigerd(env, w, w.prestatie(), 422, "activiteit-niet-toegelaten")


async def test_the_monthly_cap_says_how_many_hours_are_left(env, wereld):
    w = await wereld()
    for dag in ("2025-02-03", "2025-02-04"):
        r = await env.client.post("/v1/prestaties", json=w.prestatie(dag, minuten=1440, start="00:00"), headers=env.h())
        assert r.status_code == 201, r.text
    problem = await _geweigerd(env, w, w.prestatie("2025-02-05", minuten=721), 422, "max-60-uur-per-maand")
    # 2 × 24 = 48 used, 721 minutes asked = 13 started hours, 60 − 48 = 12 left.
    assert {k: problem[k] for k in ("uren_gebruikt", "uren_gevraagd", "uren_over", "plafond")} == {
        "uren_gebruikt": 48, "uren_gevraagd": 13, "uren_over": 12, "plafond": 60}
    assert (await env.client.post("/v1/prestaties", json=w.prestatie("2025-03-03"), headers=env.h())).status_code == 201


async def test_the_yearly_cap_counts_every_month(env, wereld):
    w = await wereld()
    for maand in range(1, 11):  # 10 × 60 = 600 started hours
        for dag, minuten in ((13, 1440), (14, 1440), (15, 720)):
            body = w.prestatie(f"2025-{maand:02d}-{dag}", minuten=minuten, start="00:00")
            assert (await env.client.post("/v1/prestaties", json=body, headers=env.h())).status_code == 201
    uren = (await env.client.get(f"/v1/wijkwerkers/{w.wijkwerker_id}/uren?op=2025-11-01", headers=env.h())).json()
    assert (uren["uren_in_jaar"], uren["uren_over_in_jaar"], uren["uren_over_in_maand"]) == (600, 30, 60)
    body = w.prestatie("2025-11-03", minuten=1440, start="00:00")
    assert (await env.client.post("/v1/prestaties", json=body, headers=env.h())).status_code == 201
    # 624 of 630: seven more started hours pass the month's cap but not the year's.
    problem = await _geweigerd(env, w, w.prestatie("2025-11-04", minuten=361), 422, "max-630-uur-per-jaar")
    assert {k: problem[k] for k in ("uren_gebruikt", "uren_gevraagd", "uren_over", "plafond")} == {
        "uren_gebruikt": 624, "uren_gevraagd": 7, "uren_over": 6, "plafond": 630}


async def test_a_refusal_outside_the_trajectory_names_its_start_and_end(env, wereld):
    w = await wereld()
    problem = await _geweigerd(env, w, w.prestatie("2026-01-05"), 422, "buiten-traject")
    assert (problem["traject_start"], problem["traject_einde"]) == ("2025-01-06", "2025-12-31")


async def test_a_refusal_for_the_erkenning_names_its_end_and_the_renewals_start(env, wereld):
    """Erkenning from 6 Jan 2025: valid through 5 Jan 2026; renewed only from 1 Feb 2026."""
    w = await wereld(gepland_einde=date(2026, 6, 30))
    r = await env.client.post(f"/v1/erkenningen/{w.erkenning_id}/hernieuwing", json={"vanaf": "2026-02-01"},
                              headers=env.h())
    assert r.status_code == 200, r.text
    problem = await _geweigerd(env, w, w.prestatie("2026-01-15"), 422, "geen-actieve-erkenning")
    assert (problem["erkenning_status"], problem["erkenning_einde"], problem["hernieuwing_start"]) == (
        "vervallen", "2026-01-05", "2026-02-01")
    # The renewal's fee is not paid yet: refused inside the new period too, now with no later period.
    problem = await _geweigerd(env, w, w.prestatie("2026-02-02"), 422, "geen-actieve-erkenning")
    assert (problem["erkenning_status"], problem["erkenning_einde"], problem["hernieuwing_start"]) == (
        "niet_betaald", "2027-01-31", None)


async def test_parallel_registrations_for_one_worker_never_pass_the_monthly_cap(env, wereld):
    w = await wereld()
    bodies = [w.prestatie(f"2025-04-{dag:02d}", minuten=540) for dag in range(1, 9)]  # 8 × 9 started hours
    antwoorden = await asyncio.gather(*(env.client.post("/v1/prestaties", json=b, headers=env.h()) for b in bodies))
    statussen = sorted(r.status_code for r in antwoorden)
    assert statussen == [201] * 6 + [422] * 2
    assert {r.json()["rule"] for r in antwoorden if r.status_code == 422} == {"max-60-uur-per-maand"}
    totaal = await env.scalar(
        "SELECT sum(begonnen_uren) FROM prestaties WHERE wijkwerker_id = :w AND status <> 'geannuleerd'",
        w=w.wijkwerker_id,
    )
    assert totaal == 54
    assert len(await _events(env, w.wijkwerker_id, "PrestatieGeregistreerd")) == 6


async def test_confirm_dispute_correct_and_cancel_are_new_events(env, wereld):
    w = await wereld()
    p = (await env.client.post("/v1/prestaties", json=w.prestatie(minuten=130), headers=env.h())).json()
    url = f"/v1/prestaties/{p['id']}"
    zelf = await env.client.post(url + "/bevestiging", json={"door": "wijkwerker"}, headers=env.h())
    assert (zelf.status_code, zelf.json()["rule"]) == (422, "andere-partij-bevestigt")
    betwist = await env.client.post(url + "/betwisting", json={"door": "gebruiker", "reden": "maar 2 uur"}, headers=env.h())
    assert betwist.json()["status"] == "betwist"
    correctie = await env.client.post(url + "/correctie", headers=env.h(),
                                      json={"door": "organisator", "start": "09:00", "minuten": 120, "reden": "tikfout"})
    assert (correctie.json()["begonnen_uren"], correctie.json()["status"]) == (2, "geregistreerd")
    assert (await env.client.post(url + "/bevestiging", json={"door": "gebruiker"}, headers=env.h())).json()["status"] == "bevestigd"
    annulering = await env.client.post(url + "/annulering", json={"door": "organisator", "reden": "dubbel"}, headers=env.h())
    assert annulering.json()["status"] == "geannuleerd"
    weer = await env.client.post(url + "/annulering", json={"door": "organisator", "reden": "dubbel"}, headers=env.h())
    assert (weer.status_code, weer.json()["rule"]) == (409, "prestatie-geannuleerd")
    [gecorrigeerd] = await _events(env, w.wijkwerker_id, "PrestatieGecorrigeerd")
    assert (gecorrigeerd["begonnen_uren"], gecorrigeerd["vorige_begonnen_uren"], gecorrigeerd["reden"]) == (2, 3, "tikfout")
    [geannuleerd] = await _events(env, w.wijkwerker_id, "PrestatieGeannuleerd")
    assert geannuleerd["begonnen_uren"] == 2
    historiek = (await env.client.get(url + "/historiek", headers=env.h())).json()
    assert [h["actie"] for h in historiek] == ["geregistreerd", "betwist", "gecorrigeerd", "bevestigd", "geannuleerd"]
    uren = (await env.client.get(f"/v1/wijkwerkers/{w.wijkwerker_id}/uren?op=2025-02-04", headers=env.h())).json()
    assert uren["uren_in_maand"] == 0  # a cancelled prestatie no longer counts


async def test_a_correction_and_a_cancellation_carry_their_business_date(env, wereld):
    """A-20: the date the storno is booked by; not before the prestatie, not in the future;
    by default today."""
    w = await wereld()
    p = (await env.client.post("/v1/prestaties", json=w.prestatie(minuten=130), headers=env.h())).json()
    url = f"/v1/prestaties/{p['id']}"
    correctie = {"door": "organisator", "start": "09:00", "minuten": 120, "reden": "tikfout"}
    for datum, rule in (("2025-02-03", "wijziging-voor-prestatie"), ("2999-01-01", "datum-in-de-toekomst")):
        r = await env.client.post(url + "/correctie", headers=env.h(), json={**correctie, "gecorrigeerd_op": datum})
        assert (r.status_code, r.json()["rule"]) == (422, rule), r.text
    r = await env.client.post(url + "/correctie", headers=env.h(), json=correctie)
    assert r.status_code == 200, r.text
    r = await env.client.post(url + "/annulering", headers=env.h(),
                              json={"door": "organisator", "reden": "dubbel", "geannuleerd_op": "2025-03-10"})
    assert r.status_code == 200, r.text
    [gecorrigeerd] = await _events(env, w.wijkwerker_id, "PrestatieGecorrigeerd")
    [geannuleerd] = await _events(env, w.wijkwerker_id, "PrestatieGeannuleerd")
    assert gecorrigeerd["gecorrigeerd_op"] is not None and gecorrigeerd["gecorrigeerd_op"] > "2025-02-04"
    assert geannuleerd["geannuleerd_op"] == "2025-03-10"


async def test_a_correction_may_not_pass_the_cap_and_then_changes_nothing(env, wereld):
    w = await wereld()
    for dag in ("2025-05-05", "2025-05-06"):
        body = w.prestatie(dag, minuten=1440, start="00:00")
        assert (await env.client.post("/v1/prestaties", json=body, headers=env.h())).status_code == 201
    derde = (await env.client.post("/v1/prestaties", json=w.prestatie("2025-05-07", minuten=720), headers=env.h())).json()
    voor = await env.telling(w.wijkwerker_id)
    r = await env.client.post(f"/v1/prestaties/{derde['id']}/correctie", headers=env.h(), json={
        "door": "organisator", "start": "08:00", "minuten": 721, "reden": "langer gewerkt"})
    assert (r.status_code, r.json()["rule"], r.json()["uren_over"]) == (422, "max-60-uur-per-maand", 12)
    assert await env.telling(w.wijkwerker_id) == voor
    assert (await env.client.get(f"/v1/prestaties/{derde['id']}", headers=env.h())).json()["minuten"] == 720
