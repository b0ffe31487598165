"""The confirmation window on real PostgreSQL (issue #23 item 3): confirm and dispute
within N working days, the refusals, the organiser's resolution, and the job that records
reminders and confirmations by silence as dated facts, the same whenever it runs."""

from __future__ import annotations

import json
import uuid
from datetime import date

from prestaties.service_layer.bevestiging import verwerk_termijnen
from prestaties.service_layer.uow import PrestatiesUnitOfWork

# Registered on Tuesday 4 February 2025: 5 working days → the window closes Tuesday 11
# February (inclusive); the reminder is dated Monday 10 February.
GEREGISTREERD_OP, TOT, HERINNERING = "2025-02-04", "2025-02-11", "2025-02-10"


async def _registreer(env, wereld, **kw) -> dict:
    r = await env.client.post("/v1/prestaties", json=wereld.prestatie(geregistreerd_op=GEREGISTREERD_OP, **kw),
                              headers=env.h())
    assert r.status_code == 201, r.text
    return r.json()


async def _events(env, prestatie_id: str) -> list[tuple[str, dict]]:
    async with env.engine.connect() as conn:
        from sqlalchemy import text
        rows = (await conn.execute(text("SELECT event_type, value FROM outbox ORDER BY txid, id"))).all()
    uit = []
    for soort, waarde in rows:
        payload = json.loads(bytes(waarde))["payload"]
        if payload.get("prestatie_id") == prestatie_id:
            uit.append((soort, payload))
    return uit


async def test_confirm_and_dispute_within_the_window(env, wereld):
    w = await wereld()
    p = await _registreer(env, w)
    assert (p["termijn_vanaf"], p["bevestigen_tot"], p["herinnering_op"]) == (GEREGISTREERD_OP, TOT, HERINNERING)
    pad = f"/v1/prestaties/{p['id']}"
    r = await env.client.post(f"{pad}/bevestiging", json={"door": "wijkwerker", "bevestigd_op": TOT}, headers=env.h())
    assert (r.status_code, r.json()["rule"]) == (422, "andere-partij-bevestigt")
    r = await env.client.post(f"{pad}/bevestiging", json={"door": "gebruiker", "bevestigd_op": "2025-02-12"},
                              headers=env.h())
    assert (r.status_code, r.json()["rule"], r.json()["bevestigen_tot"]) == (409, "bevestigingstermijn-verstreken", TOT)
    r = await env.client.post(f"{pad}/betwisting", json={"door": "gebruiker", "reden": "Maar twee uur.",
                                                          "betwist_op": "2025-02-03"}, headers=env.h())
    assert (r.status_code, r.json()["rule"]) == (422, "datum-voor-termijn")
    r = await env.client.post(f"{pad}/betwisting", json={"door": "gebruiker", "reden": "Maar twee uur.",
                                                          "betwist_op": TOT}, headers=env.h())
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["beoordeeld_op"], r.json()["betwisting_reden"]) == (
        "betwist", TOT, "Maar twee uur.")
    r = await env.client.post(f"{pad}/bevestiging", json={"door": "gebruiker", "bevestigd_op": TOT}, headers=env.h())
    assert (r.status_code, r.json()["rule"]) == (409, "prestatie-niet-open")  # disputed already
    betwist = await env.client.get("/v1/prestaties/betwist", params={"organisator_id": w.organisator_id},
                                   headers=env.h())
    assert [x["id"] for x in betwist.json()] == [p["id"]]
    assert [s for s, _ in await _events(env, p["id"])] == ["PrestatieGeregistreerd", "PrestatieBetwist"]
    assert (await _events(env, p["id"]))[1][1]["betwist_op"] == TOT


async def test_only_the_organiser_resolves_and_only_a_dispute(env, wereld):
    w = await wereld()
    p, q = await _registreer(env, w), await _registreer(env, w, datum="2025-02-03")
    beslis = {"uitkomst": "afgewezen", "toelichting": "Niet gewerkt volgens de school.", "beslecht_op": "2025-02-14"}
    r = await env.client.post(f"/v1/prestaties/{q['id']}/beslissing", json=beslis,
                              headers=env.h("prestaties:beslechten"))
    assert (r.status_code, r.json()["rule"]) == (409, "prestatie-niet-betwist")
    r = await env.client.post(f"/v1/prestaties/{p['id']}/betwisting",
                              json={"door": "gebruiker", "reden": "Niet gewerkt.", "betwist_op": "2025-02-06"},
                              headers=env.h())
    assert r.status_code == 200, r.text
    gebruiker = env.h("prestaties:beslechten", "prestaties:write", org=w.gebruiker_id, org_type="gebruiker")
    r = await env.client.post(f"/v1/prestaties/{p['id']}/beslissing", json=beslis, headers=gebruiker)
    assert (r.status_code, r.json()["rule"]) == (403, "beslissing-alleen-organisator")
    ander = env.h("prestaties:beslechten", org=str(uuid.uuid4()), org_type="organisator")
    r = await env.client.post(f"/v1/prestaties/{p['id']}/beslissing", json=beslis, headers=ander)
    assert (r.status_code, r.json()["rule"]) == (404, "prestatie-onbekend")
    r = await env.client.post(f"/v1/prestaties/{p['id']}/beslissing", json=beslis, headers=env.h("prestaties:write"))
    assert (r.status_code, r.json()["rule"]) == (403, "scope-ontbreekt")
    eigen = env.h("prestaties:beslechten", org=w.organisator_id, org_type="organisator")
    r = await env.client.post(f"/v1/prestaties/{p['id']}/beslissing", json={**beslis, "beslecht_op": "2025-02-05"},
                              headers=eigen)
    assert (r.status_code, r.json()["rule"]) == (422, "beslissing-voor-betwisting")
    r = await env.client.post(f"/v1/prestaties/{p['id']}/beslissing", json=beslis, headers=eigen)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["uitkomst"], r.json()["beslecht_op"]) == ("geannuleerd", "afgewezen",
                                                                                  "2025-02-14")
    events = await _events(env, p["id"])
    assert [s for s, _ in events][-2:] == ["PrestatieBetwistingBeslecht", "PrestatieGeannuleerd"]
    assert events[-1][1]["geannuleerd_op"] == "2025-02-14" and events[-2][1]["betwist_op"] == "2025-02-06"
    r = await env.client.post(f"/v1/prestaties/{p['id']}/beslissing", json=beslis, headers=eigen)
    assert (r.status_code, r.json()["rule"]) == (409, "prestatie-niet-betwist")  # resolved already


async def test_silence_confirms_on_the_deadline_and_a_late_run_records_the_same_facts(env, wereld):
    w = await wereld()
    tijdig, vroeg = [await _registreer(env, w, datum=d) for d in ("2025-02-03", "2025-02-04")]
    r = await env.client.post(f"/v1/prestaties/{vroeg['id']}/bevestiging",
                              json={"door": "gebruiker", "bevestigd_op": "2025-02-05"}, headers=env.h())
    assert r.status_code == 200, r.text
    nieuw = lambda: PrestatiesUnitOfWork(env.sessions)  # noqa: E731
    # On time: the reminder on its day, the confirmation the day after the deadline.
    await verwerk_termijnen(nieuw, date(2025, 2, 10))
    assert [s for s, _ in await _events(env, tijdig["id"])] == ["PrestatieGeregistreerd",
                                                                "PrestatieBevestigingHerinnerd"]
    await verwerk_termijnen(nieuw, date(2025, 2, 12))
    assert [s for s, _ in await _events(env, tijdig["id"])][-1] == "PrestatieBevestigd"
    # The same window, registered after those runs (its business date is in the request):
    # the job first sees it ten months late, and records the facts a timely run did, once.
    laat = await _registreer(env, w, datum="2025-02-04")
    await verwerk_termijnen(nieuw, date(2025, 12, 1))
    await verwerk_termijnen(nieuw, date(2025, 12, 2))
    for p in (tijdig, laat):
        events = await _events(env, p["id"])
        assert [s for s, _ in events] == ["PrestatieGeregistreerd", "PrestatieBevestigingHerinnerd",
                                          "PrestatieBevestigd"], events
        herinnering, bevestiging = events[1][1], events[2][1]
        assert (herinnering["herinnering_op"], herinnering["bevestigen_tot"]) == (HERINNERING, TOT)
        assert (bevestiging["bevestigd_op"], bevestiging["automatisch"], bevestiging["door"]) == (TOT, True,
                                                                                                  "wijkwerker")
        gelezen = (await env.client.get(f"/v1/prestaties/{p['id']}", headers=env.h())).json()
        assert (gelezen["status"], gelezen["beoordeeld_op"], gelezen["automatisch"]) == ("bevestigd", TOT, True)
    # Answered before the reminder's date: neither a reminder nor a confirmation by silence.
    assert [s for s, _ in await _events(env, vroeg["id"])] == ["PrestatieGeregistreerd", "PrestatieBevestigd"]
    r = await env.client.post(f"/v1/prestaties/{laat['id']}/betwisting",
                              json={"door": "gebruiker", "reden": "Te laat", "betwist_op": TOT}, headers=env.h())
    assert (r.status_code, r.json()["rule"]) == (409, "prestatie-niet-open")
