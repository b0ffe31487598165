"""The audit trail (issue #18) through toeleiding's API on a real PostgreSQL: every change
is recorded with the principal that made it, in the change's transaction and in the event's
metadata; reads of an INSZ, a dossier and bank details are recorded with the dossier read;
the trail is served to central callers only, paged and filtered."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from wijkwerk.events import Envelope

pytestmark = pytest.mark.integration

ADMIN = ("toeleiding:admin", "toeleiding:read", "toeleiding:write")
GEBIED = [{"nis_code": "31005", "naam": "Brugge"}]
DOSSIER = {"insz": "85073003328", "voornaam": "An", "achternaam": "Peeters", "domicilie_nis_code": "31005",
           "uitkeringsstatus": "leefloon", "vdab_ingeschreven": True, "iban": "BE68539007547034",
           "ingeschreven_op": "2026-01-05"}


async def _wereld(client, tokens) -> tuple[str, str]:
    r = await client.post("/v1/organisatoren", headers=tokens.headers(*ADMIN, sub="beheerder-7"), json={
        "naam": "Wijk-werken Brugge", "samenwerkingsverband": "W10", "gemeenten": GEBIED,
        "tarief": "7.45", "tarief_vanaf": "2018-01-01"})
    assert r.status_code == 201, r.text
    oid = r.json()["id"]
    eigen = tokens.headers("toeleiding:write", org=oid, org_type="organisator", sub="consulent-3")
    r = await client.post("/v1/wijkwerkers", json=DOSSIER | {"organisator_id": oid}, headers=eigen)
    assert r.status_code == 201, r.text
    return oid, r.json()["id"]


async def _audit(client, tokens, **params) -> list[dict]:
    r = await client.get("/v1/audit", params=params, headers=tokens.headers("audit:lezen", sub="auditor"))
    assert r.status_code == 200, r.text
    return r.json()


async def test_every_change_names_its_principal_in_the_trail_and_in_the_events_metadata(env, tokens):
    client, engine = env
    oid, wid = await _wereld(client, tokens)
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT event_id, value FROM outbox ORDER BY id"))).all()
    envelopes = [Envelope.from_bytes(v) for _, v in rows]
    actors = {e.event_type: e.actor for e in envelopes}
    assert actors["OrganisatorGeregistreerd"].model_dump() == {"subject": "beheerder-7", "org": None,
                                                               "org_type": "vdab"}
    assert actors["WijkwerkerIngeschreven"].model_dump() == {"subject": "consulent-3", "org": oid,
                                                             "org_type": "organisator"}
    for e in envelopes:  # the metadata names who, never the person the dossier is about
        assert "85073003328" not in e.to_bytes().decode() and "BE68539007547034" not in e.to_bytes().decode()

    trail = await _audit(client, tokens, soort="wijziging")
    assert {r["event_id"] for r in trail} == {str(e.event_id) for e in envelopes}  # one record per event
    ingeschreven = next(r for r in trail if r["handeling"] == "WijkwerkerIngeschreven")
    assert (ingeschreven["subject"], ingeschreven["org"], ingeschreven["org_type"], ingeschreven["wijkwerker_id"]) == (
        "consulent-3", oid, "organisator", wid)
    assert {r["handeling"] for r in await _audit(client, tokens, subject="beheerder-7")} == {
        e.event_type for e in envelopes if e.actor.subject == "beheerder-7"}


async def test_reads_of_insz_dossier_and_bank_details_are_recorded_with_the_dossier(env, tokens):
    client, _ = env
    oid, wid = await _wereld(client, tokens)
    lezer = tokens.headers("toeleiding:read", sub="consulent-3", org=oid, org_type="organisator")
    assert (await client.post("/v1/wijkwerkers/zoeken", json={"insz": "85073003328"}, headers=lezer)).json()[0]["id"] == wid
    assert (await client.post("/v1/wijkwerkers/zoeken", json={"insz": "85073003427"}, headers=lezer)).json() == []
    assert (await client.get(f"/v1/wijkwerkers/{wid}", headers=lezer)).status_code == 200
    bank = await client.get(f"/v1/wijkwerkers/{wid}/bankgegevens",
                            headers=tokens.headers("cheques:payout", sub="cheques", org_type="service"))
    assert bank.json()["iban"] == "BE68539007547034"
    # another organiser's attempt reads nothing and is not a read of the dossier
    ander = tokens.headers("toeleiding:read", sub="ander", org=str(uuid.uuid4()), org_type="organisator")
    assert (await client.get(f"/v1/wijkwerkers/{wid}", headers=ander)).status_code == 404

    inzage = await _audit(client, tokens, soort="inzage")
    assert [(r["handeling"], r["subject"], r["wijkwerker_id"]) for r in reversed(inzage)] == [
        ("insz-gezocht", "consulent-3", wid), ("insz-gezocht", "consulent-3", None),
        ("dossier-gelezen", "consulent-3", wid), ("bankgegevens-gelezen", "cheques", wid)]
    van_dossier = await _audit(client, tokens, wijkwerker_id=wid, soort="inzage")
    assert len(van_dossier) == 3
    assert [r["handeling"] for r in await _audit(client, tokens, wijkwerker_id=wid, limit=1, offset=0)] == [
        "bankgegevens-gelezen"]  # newest first, paged


async def test_the_trail_is_for_central_callers_only_and_by_period(env, tokens):
    client, _ = env
    oid, _ = await _wereld(client, tokens)
    organisator = tokens.headers("audit:lezen", org=oid, org_type="organisator")
    r = await client.get("/v1/audit", headers=organisator)
    assert (r.status_code, r.json()["rule"]) == (403, "alleen-centraal")
    r = await client.get("/v1/audit", headers=tokens.headers("toeleiding:admin"))
    assert (r.status_code, r.json()["rule"]) == (403, "scope-ontbreekt")
    assert await _audit(client, tokens, van="2000-01-01", tot="2000-12-31") == []
    assert len(await _audit(client, tokens, van="2000-01-01")) == len(await _audit(client, tokens)) > 0
    r = await client.get("/v1/audit", params={"van": "2026-02-01", "tot": "2026-01-01"},
                         headers=tokens.headers("audit:lezen"))
    assert (r.status_code, r.json()["rule"]) == (422, "periode-ongeldig")


async def test_the_service_cannot_rewrite_its_trail(env, tokens):
    client, engine = env
    await _wereld(client, tokens)
    voor = await _audit(client, tokens)
    for statement in ("UPDATE audit SET subject = 'iemand-anders'", "DELETE FROM audit", "TRUNCATE audit"):
        with pytest.raises(DBAPIError, match="permission denied"):
            async with engine.begin() as conn:
                await conn.execute(text(statement))
    assert await _audit(client, tokens) == voor
