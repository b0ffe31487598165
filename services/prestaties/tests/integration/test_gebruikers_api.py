"""Gebruikers, erkenningen and fees, the catalogue with matrix and deviations, contacts,
scopes and data scope, through the API on a real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from prestaties.config import Settings
from prestaties.domain.tarieven import Inschrijvingsrecht
from prestaties.entrypoints.api import create_app
from wijkwerk import vingerafdruk
from wijkwerk_platform.testkit import api_client

SLEUTEL = "vingerafdruk-test"  # as the conftest's env gives the app

pytestmark = pytest.mark.integration


async def _erkenning(env, w, client=None, **kw) -> dict:
    client = client or env.client
    body = {"organisator_id": w.organisator_id, "geldig_vanaf": "2025-03-01", **kw}
    gebruiker = (await client.post("/v1/gebruikers", headers=env.h(), json={
        "categorie": "vzw", "naam": "Vzw De Brug", "aangemeld_op": "2025-03-01", "aangemeld_bij": w.organisator_id,
    })).json()
    r = await client.post(f"/v1/gebruikers/{gebruiker['id']}/erkenningen", json=body, headers=env.h())
    assert r.status_code == 201, r.text
    return r.json()


async def test_an_erkenning_becomes_active_when_signed_and_paid_and_is_renewed(env, wereld):
    w = await wereld()
    e = await _erkenning(env, w)
    assert (e["perioden"][0]["geldig_tot"], e["perioden"][0]["inschrijvingsrecht"]) == ("2026-02-28", "7.50")
    url = f"/v1/erkenningen/{e['id']}"
    assert (await env.client.get(url + "?op=2025-03-01", headers=env.h())).json()["status"] == "niet_ondertekend"
    await env.client.post(url + "/ondertekening", json={"getekend_op": "2025-03-01"}, headers=env.h())
    alleen_schrijven = await env.client.post(url + "/betalingen", json={"betaald_op": "2025-03-02"},
                                             headers=env.h("prestaties:write"))
    assert (alleen_schrijven.status_code, alleen_schrijven.json()["rule"]) == (403, "scope-ontbreekt")
    await env.client.post(url + "/betalingen", json={"betaald_op": "2025-03-02"}, headers=env.h())
    assert (await env.client.get(url + "?op=2025-03-02", headers=env.h())).json()["status"] == "actief"
    assert (await env.client.get(url + "?op=2026-03-01", headers=env.h())).json()["status"] == "vervallen"
    hernieuwd = (await env.client.post(url + "/hernieuwing", json={}, headers=env.h())).json()
    assert [p["geldig_van"] for p in hernieuwd["perioden"]] == ["2025-03-01", "2026-03-01"]
    betaald = await env.scalar(
        "SELECT count(*) FROM outbox WHERE event_type = 'InschrijvingsrechtBetaald' AND key = :g", g=e["gebruiker_id"]
    )
    assert betaald == 1


async def test_one_erkenning_per_organiser(env, wereld):
    w = await wereld()
    voor = await env.scalar("SELECT count(*) FROM outbox")
    r = await env.client.post(f"/v1/gebruikers/{w.gebruiker_id}/erkenningen", headers=env.h(),
                              json={"organisator_id": w.organisator_id, "geldig_vanaf": "2025-06-01"})
    assert (r.status_code, r.json()["rule"]) == (409, "erkenning-bestaat-al")
    assert await env.scalar("SELECT count(*) FROM outbox") == voor


async def test_a_zero_fee_from_a_date_needs_no_payment(env, wereld, tokens):
    # PR-21: the fee is an effective-dated setting; abolishing it is configuration.
    settings = Settings(
        database_url=env.url, run_workers=False, auth=tokens.auth_settings(),
        inschrijvingsrecht=(Inschrijvingsrecht(date(2018, 1, 1), 750), Inschrijvingsrecht(date(2025, 3, 1), 0)),
    )
    w = await wereld()
    async with api_client(create_app(settings)) as client:
        tarief = (await client.get("/v1/inschrijvingsrecht?op=2025-03-01", headers=env.h())).json()
        e = await _erkenning(env, w, client, overeenkomst_op="2025-03-01")
    assert tarief["bedrag"] == "0.00"
    assert (e["perioden"][0]["inschrijvingsrecht"], e["perioden"][0]["betaald_op"]) == ("0.00", "2025-03-01")
    r = await env.client.get(f"/v1/erkenningen/{e['id']}?op=2025-03-01", headers=env.h())
    assert r.json()["status"] == "actief"
    betaald = await env.scalar(
        "SELECT count(*) FROM outbox WHERE event_type = 'InschrijvingsrechtBetaald' AND key = :g", g=e["gebruiker_id"]
    )
    assert betaald == 1  # published as paid, so reports need no special case


async def test_a_local_governments_deviation_opens_an_activity_the_matrix_refuses(env, wereld):
    w = await wereld()
    gemeente = (await env.client.post("/v1/gebruikers", headers=env.h(), json={
        "categorie": "lokaal_bestuur", "naam": "Gemeente Oostkamp", "aangemeld_op": "2025-01-06",
        "aangemeld_bij": w.organisator_id,
    })).json()
    await env.client.post(f"/v1/gebruikers/{gemeente['id']}/erkenningen", headers=env.h(), json={
        "organisator_id": w.organisator_id, "geldig_vanaf": "2025-01-06", "overeenkomst_op": "2025-01-06"})
    koppeling = {"wijkwerker_id": w.wijkwerker_id, "gebruiker_id": gemeente["id"], "organisator_id": w.organisator_id,
                 "activiteit_id": w.activiteit_id, "locatie_nis_code": "31022", "afstand_km": 2, "start": "2025-03-01"}
    geweigerd = await env.client.post("/v1/koppelingen", json=koppeling, headers=env.h())
    assert (geweigerd.status_code, geweigerd.json()["rule"]) == (422, "activiteit-niet-toegelaten")
    afwijking = {"gebruiker_id": gemeente["id"], "aangevraagd_op": "2025-02-01", "goedgekeurd_op": "2025-02-15",
                 "geldig_van": "2025-03-01", "motivering": "aanvullend op de eigen diensten"}
    school = await env.client.post(f"/v1/activiteiten/{w.activiteit_id}/afwijkingen", headers=env.h(),
                                   json={**afwijking, "gebruiker_id": w.gebruiker_id})
    assert (school.status_code, school.json()["rule"]) == (422, "afwijking-alleen-lokaal-bestuur")
    r = await env.client.post(f"/v1/activiteiten/{w.activiteit_id}/afwijkingen", json=afwijking, headers=env.h())
    assert r.json()["afwijkingen"][0]["goedgekeurd_op"] == "2025-02-15"
    assert (await env.client.post("/v1/koppelingen", json=koppeling, headers=env.h())).status_code == 201


async def test_a_placement_outside_the_area_or_without_trajectory_is_refused(env, wereld):
    w = await wereld()
    body = {"wijkwerker_id": w.wijkwerker_id, "gebruiker_id": w.gebruiker_id, "organisator_id": w.organisator_id,
            "activiteit_id": w.activiteit_id, "locatie_nis_code": "36015", "afstand_km": 2, "start": "2025-03-01"}
    r = await env.client.post("/v1/koppelingen", json=body, headers=env.h())
    assert (r.status_code, r.json()["rule"]) == (422, "buiten-werkingsgebied")
    # A worker whose trajectory has not reached prestaties (yet): retryable, not a refusal.
    r = await env.client.post("/v1/koppelingen", json={**body, "wijkwerker_id": str(uuid.uuid4())}, headers=env.h())
    assert (r.status_code, r.json()["rule"], r.headers["retry-after"]) == (409, "traject-nog-onbekend", "2")


async def test_contacts_with_a_gebruiker_are_recorded_and_published(env, wereld):
    w = await wereld()
    body = {"organisator_id": w.organisator_id, "datum": "2025-03-10", "door": "bemiddelaar-0042",
            "kanaal": "telefoon", "reden": "geen_koppeling"}
    r = await env.client.post(f"/v1/gebruikers/{w.gebruiker_id}/contacten", json=body, headers=env.h())
    assert r.status_code == 201, r.text
    lijst = (await env.client.get(f"/v1/gebruikers/{w.gebruiker_id}/contacten", headers=env.h())).json()
    assert [(c["reden"], c["door_rol"]) for c in lijst] == [("geen_koppeling", "bemiddelaar")]
    waarde = await env.scalar("SELECT value FROM outbox WHERE event_type = 'ContactGeregistreerd' AND key = :g",
                              g=w.gebruiker_id)
    assert b"geen_koppeling" in waarde and b"bemiddelaar-0042" not in waarde


async def test_events_carry_no_personal_data(env, wereld):
    w = await wereld()
    waarde = await env.scalar("SELECT value FROM outbox WHERE event_type = 'GebruikerGeregistreerd' AND key = :g",
                              g=w.gebruiker_id)
    assert b"De Linde" not in waarde and b"school" in waarde


async def test_an_organiser_sees_only_its_own_area(env, wereld):
    eigen, andere = await wereld(), await wereld()
    p = (await env.client.post("/v1/prestaties", json=andere.prestatie(), headers=env.h())).json()
    org = env.h(org=eigen.organisator_id, org_type="organisator")
    for url in (f"/v1/prestaties/{p['id']}", f"/v1/koppelingen/{andere.koppeling_id}",
                f"/v1/gebruikers/{andere.gebruiker_id}", f"/v1/activiteiten/{andere.activiteit_id}",
                f"/v1/wijkwerkers/{andere.wijkwerker_id}/uren"):
        assert (await env.client.get(url, headers=org)).status_code == 404, url
    assert (await env.client.get("/v1/prestaties", headers=org)).json() == []
    assert (await env.client.get(f"/v1/prestaties?organisator_id={andere.organisator_id}", headers=org)).json() == []
    r = await env.client.post("/v1/prestaties", json=andere.prestatie("2025-02-05"), headers=org)
    assert (r.status_code, r.json()["rule"]) == (404, "koppeling-onbekend")
    theirs = env.h(org=andere.organisator_id, org_type="organisator")
    assert [x["id"] for x in (await env.client.get("/v1/prestaties", headers=theirs)).json()] == [p["id"]]


async def test_a_gebruiker_sees_and_confirms_only_its_own_prestaties(env, wereld):
    w, andere = await wereld(), await wereld()
    eigen = (await env.client.post("/v1/prestaties", json=w.prestatie(), headers=env.h())).json()
    vreemd = (await env.client.post("/v1/prestaties", json=andere.prestatie(), headers=env.h())).json()
    gebruiker = env.h(org=w.gebruiker_id, org_type="gebruiker")
    assert [x["id"] for x in (await env.client.get("/v1/prestaties", headers=gebruiker)).json()] == [eigen["id"]]
    assert (await env.client.get(f"/v1/prestaties/{vreemd['id']}", headers=gebruiker)).status_code == 404
    namens = await env.client.post(f"/v1/prestaties/{eigen['id']}/bevestiging", json={"door": "wijkwerker"},
                                   headers=gebruiker)
    assert (namens.status_code, namens.json()["rule"]) == (403, "partij-past-niet-bij-token")
    ok = await env.client.post(f"/v1/prestaties/{eigen['id']}/bevestiging", json={"door": "gebruiker"}, headers=gebruiker)
    assert ok.json()["status"] == "bevestigd"
    assert (await env.client.get(f"/v1/gebruikers/{w.gebruiker_id}/contacten", headers=gebruiker)).status_code == 404


async def test_without_a_token_or_scope_nothing_is_served(env, wereld):
    w = await wereld()
    assert (await env.client.get(f"/v1/prestaties/{uuid.uuid4()}")).status_code == 401
    r = await env.client.post(f"/v1/organisatoren/{w.organisator_id}/activiteiten", headers=env.h("prestaties:write"),
                              json={"naam": "x", "categorie": "groenonderhoud", "toegelaten_categorieen": []})
    assert (r.status_code, r.json()["rule"]) == (403, "scope-ontbreekt")
    r = await env.client.post("/v1/prestaties", json=w.prestatie(), headers=env.h("prestaties:read"))
    assert (r.status_code, r.json()["rule"]) == (403, "scope-ontbreekt")


async def test_a_gebruikers_iban_and_address_stay_here_the_event_carries_their_fingerprints(env, wereld):
    """ADR 0024: optional, the IBAN validated (a bad one refused, nothing written); the event
    carries keyed fingerprints, never the values."""
    w = await wereld()
    body = {"categorie": "particulier", "naam": "Maria Claes", "aangemeld_op": "2025-03-01",
            "aangemeld_bij": w.organisator_id}
    voor = await env.scalar("SELECT count(*) FROM gebruikers"), await env.scalar("SELECT count(*) FROM outbox")
    r = await env.client.post("/v1/gebruikers", headers=env.h(), json={**body, "iban": "BE68539007547035"})
    assert (r.status_code, r.json()["rule"]) == (422, "iban-ongeldig")
    assert (await env.scalar("SELECT count(*) FROM gebruikers"), await env.scalar("SELECT count(*) FROM outbox")) == voor
    adres = {"straat": "Kerkstraat", "huisnummer": "12", "postcode": "9000"}
    r = await env.client.post("/v1/gebruikers", headers=env.h(),
                              json={**body, "iban": "be68 5390 0754 7034", "adres": adres})
    assert r.status_code == 201, r.text
    g = r.json()
    assert (g["iban"], g["adres"]) == ("BE68539007547034", adres)
    assert (await env.client.get(f"/v1/gebruikers/{g['id']}", headers=env.h())).json() == g
    event = await env.scalar("SELECT convert_from(value, 'UTF8') FROM outbox WHERE event_type = "
                             "'GebruikerGeregistreerd' AND key = :g", g=g["id"])
    assert "BE68539007547034" not in event and "Kerkstraat" not in event
    assert vingerafdruk.iban_vingerafdruk(SLEUTEL.encode(), "BE68539007547034") in event
    assert vingerafdruk.adres_vingerafdruk(SLEUTEL.encode(), "kerkstraat", "12", "9000") in event
