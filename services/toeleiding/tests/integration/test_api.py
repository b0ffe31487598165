"""The toeleiding API on a real PostgreSQL: rules as problem documents, nothing half
written, events in the outbox in the same transaction, scopes and organisation scope."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

pytestmark = pytest.mark.integration



ADMIN = ("toeleiding:admin", "toeleiding:read")
ORGANISATOR = {
    "naam": "Wijk-werken regio Brugge",
    "samenwerkingsverband": "Werkkracht10",
    "gemeenten": [{"nis_code": "31005", "naam": "Brugge"}, {"nis_code": "31022", "naam": "Oostkamp"}],
    "tarief": "7.45",
    "tarief_vanaf": "2018-01-01",
}


def _dossier(organisator_id: str, **kw) -> dict:
    body = {
        "insz": "85073003328",
        "voornaam": "An",
        "achternaam": "Peeters",
        "domicilie_nis_code": "31005",
        "organisator_id": organisator_id,
        "uitkeringsstatus": "leefloon",
        "vdab_ingeschreven": True,
        "iban": "BE68539007547034",
        "ingeschreven_op": "2026-01-05",
    }
    body.update(kw)
    return body


async def _count(engine, sql: str) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(text(sql))


ANDER_GEBIED = [{"nis_code": "36015", "naam": "Roeselare"}]


async def _organisator(client, tokens, gemeenten=None) -> str:
    body = {**ORGANISATOR, "gemeenten": gemeenten or ORGANISATOR["gemeenten"]}
    r = await client.post("/v1/organisatoren", json=body, headers=tokens.headers(*ADMIN))
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def test_registering_an_organiser_writes_it_and_its_events_in_one_transaction(env, tokens):
    client, engine = env
    oid = await _organisator(client, tokens)
    r = await client.get(f"/v1/organisatoren/{oid}", headers=tokens.headers("toeleiding:read"))
    assert r.json()["tarieven"] == [{"prijs": "7.45", "geldig_vanaf": "2018-01-01"}]
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT event_type, key FROM outbox ORDER BY id"))).all()
    assert [(t, k) for t, k in rows] == [("OrganisatorGeregistreerd", oid), ("TariefVastgelegd", oid)]


async def test_a_new_tariff_keeps_the_old_one(env, tokens):
    client, engine = env
    oid = await _organisator(client, tokens)
    r = await client.post(
        f"/v1/organisatoren/{oid}/tarieven", json={"prijs": "5.95", "geldig_vanaf": "2026-07-01"},
        headers=tokens.headers(*ADMIN),
    )
    assert r.status_code == 201, r.text
    assert [t["prijs"] for t in r.json()["tarieven"]] == ["7.45", "5.95"]


async def test_one_tariff_across_a_samenwerkingsverband(env, tokens):
    """A-18: Werkkracht10 groups two organisers. A member with another tariff, or a tariff
    for one of them that differs from the other's, is refused; set for the whole
    samenwerkingsverband, it reaches both (one TariefVastgelegd each)."""
    client, engine = env
    h = tokens.headers(*ADMIN)
    brugge = await _organisator(client, tokens)
    ander = {**ORGANISATOR, "naam": "Wijk-werken Torhout", "gemeenten": [{"nis_code": "31033", "naam": "Torhout"}]}
    r = await client.post("/v1/organisatoren", json={**ander, "tarief": "5.95"}, headers=h)
    assert (r.status_code, r.json()["rule"], r.json()["datum"]) == (
        409, "tarief-verschilt-in-samenwerkingsverband", "2018-01-01")
    r = await client.post("/v1/organisatoren", json=ander, headers=h)
    assert r.status_code == 201, r.text
    torhout = r.json()["id"]
    voor_een = await client.post(f"/v1/organisatoren/{brugge}/tarieven", json={"prijs": "6.95", "geldig_vanaf": "2027-01-01"},
                                 headers=h)
    assert (voor_een.status_code, voor_een.json()["rule"]) == (409, "tarief-verschilt-in-samenwerkingsverband")
    voor_alle = await client.post(f"/v1/organisatoren/{brugge}/tarieven", headers=h,
                                  json={"prijs": "6.95", "geldig_vanaf": "2027-01-01", "voor_samenwerkingsverband": True})
    assert voor_alle.status_code == 201, voor_alle.text
    for oid in (brugge, torhout):
        tarieven = (await client.get(f"/v1/organisatoren/{oid}", headers=h)).json()["tarieven"]
        assert [t["prijs"] for t in tarieven] == ["7.45", "6.95"]
    assert await _count(engine, "SELECT count(*) FROM outbox WHERE event_type = 'TariefVastgelegd'") == 4
    eigen = tokens.headers(*ADMIN, org=brugge, org_type="organisator")
    r = await client.post(f"/v1/organisatoren/{brugge}/tarieven", headers=eigen,
                          json={"prijs": "7.45", "geldig_vanaf": "2028-01-01", "voor_samenwerkingsverband": True})
    assert (r.status_code, r.json()["rule"]) == (403, "samenwerkingsverband-buiten-bereik")


async def test_a_dossier_is_registered_and_its_event_carries_no_personal_data(env, tokens):
    client, engine = env
    oid = await _organisator(client, tokens)
    r = await client.post("/v1/wijkwerkers", json=_dossier(oid), headers=tokens.headers("toeleiding:write"))
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "voorlopig"
    async with engine.connect() as conn:
        value = await conn.scalar(text("SELECT value FROM outbox WHERE event_type = 'WijkwerkerIngeschreven'"))
    assert b"85073003328" not in value and b"Peeters" not in value and b"BE68" not in value


async def test_a_duplicate_insz_is_a_409_and_writes_nothing(env, tokens):
    client, engine = env
    oid = await _organisator(client, tokens)
    headers = tokens.headers("toeleiding:write")
    assert (await client.post("/v1/wijkwerkers", json=_dossier(oid), headers=headers)).status_code == 201
    before = await _count(engine, "SELECT count(*) FROM outbox")
    r = await client.post("/v1/wijkwerkers", json=_dossier(oid, voornaam="Bert"), headers=headers)
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["rule"] == "insz-bestaat-al"
    assert await _count(engine, "SELECT count(*) FROM wijkwerkers") == 1
    assert await _count(engine, "SELECT count(*) FROM outbox") == before


@pytest.mark.parametrize(
    ("change", "status", "rule"),
    [
        ({"insz": "85073003329"}, 422, "insz-ongeldig"),
        ({"iban": "BE00539007547034"}, 422, "iban-ongeldig"),
        ({"domicilie_nis_code": "11002"}, 422, "buiten-werkingsgebied"),
        ({"uitkeringsstatus": "rentenier"}, 422, "ongeldige-invoer"),
        ({"onbekend_veld": 1}, 422, "ongeldige-invoer"),
        ({"organisator_id": str(uuid.uuid4())}, 404, "organisator-onbekend"),
    ],
)
async def test_bad_input_names_the_rule_and_writes_nothing(env, tokens, change, status, rule):
    client, engine = env
    oid = await _organisator(client, tokens)
    before = await _count(engine, "SELECT count(*) FROM outbox")
    r = await client.post("/v1/wijkwerkers", json={**_dossier(oid), **change}, headers=tokens.headers("toeleiding:write"))
    assert (r.status_code, r.json()["rule"]) == (status, rule)
    assert r.json()["type"].endswith(rule)
    assert await _count(engine, "SELECT count(*) FROM wijkwerkers") == 0
    assert await _count(engine, "SELECT count(*) FROM outbox") == before


async def test_without_a_token_or_scope_nothing_is_served(env, tokens):
    client, _ = env
    assert (await client.get("/v1/organisatoren")).status_code == 401
    r = await client.post("/v1/organisatoren", json=ORGANISATOR, headers=tokens.headers("toeleiding:read"))
    assert (r.status_code, r.json()["rule"]) == (403, "scope-ontbreekt")
    assert (await client.get("/health")).status_code == 200


async def test_an_organiser_sees_only_its_own_dossiers(env, tokens):
    client, _ = env
    eigen, andere = await _organisator(client, tokens, ANDER_GEBIED), await _organisator(client, tokens)
    w = await client.post("/v1/wijkwerkers", json=_dossier(andere), headers=tokens.headers("toeleiding:write"))
    wid = w.json()["id"]
    own = tokens.headers("toeleiding:read", "toeleiding:write", org=eigen, org_type="organisator")
    assert (await client.get(f"/v1/wijkwerkers/{wid}", headers=own)).status_code == 404
    assert (await client.get("/v1/wijkwerkers", headers=own)).json() == []
    listed = await client.get(f"/v1/wijkwerkers?organisator_id={andere}", headers=own)
    assert listed.json() == []
    r = await client.post("/v1/wijkwerkers", json=_dossier(andere, insz="90020112305"), headers=own)
    assert r.status_code == 404
    theirs = tokens.headers("toeleiding:read", org=andere, org_type="organisator")
    assert (await client.get(f"/v1/wijkwerkers/{wid}", headers=theirs)).status_code == 200


async def test_an_oversized_body_is_refused_with_413(env, tokens):
    client, _ = env
    r = await client.post(
        "/v1/wijkwerkers", content=b"{" + b" " * 1_100_000 + b"}",
        headers={**tokens.headers("toeleiding:write"), "content-type": "application/json"},
    )
    assert (r.status_code, r.json()["rule"]) == (413, "verzoek-te-groot")


async def test_a_municipality_belongs_to_one_organiser_only(env, tokens):
    client, engine = env
    await _organisator(client, tokens)
    r = await client.post("/v1/organisatoren", json=ORGANISATOR, headers=tokens.headers(*ADMIN))
    assert (r.status_code, r.json()["rule"]) == (409, "gemeente-al-toegewezen")
    assert await _count(engine, "SELECT count(*) FROM organisatoren") == 1


async def test_the_area_can_be_replaced_and_the_change_is_published(env, tokens):
    client, engine = env
    oid = await _organisator(client, tokens)
    r = await client.put(
        f"/v1/organisatoren/{oid}/werkingsgebied",
        json={"gemeenten": [{"nis_code": "31005", "naam": "Brugge"}, {"nis_code": "31006", "naam": "Damme"}]},
        headers=tokens.headers(*ADMIN),
    )
    assert r.status_code == 200, r.text
    assert [g["nis_code"] for g in r.json()["gemeenten"]] == ["31005", "31006"]
    assert await _count(engine, "SELECT count(*) FROM outbox WHERE event_type = 'WerkingsgebiedGewijzigd'") == 1


async def test_a_referrer_token_does_not_list_or_read_dossiers(env, tokens):
    client, _ = env
    oid = await _organisator(client, tokens)
    w = await client.post("/v1/wijkwerkers", json=_dossier(oid), headers=tokens.headers("toeleiding:write"))
    referrer = tokens.headers("toeleiding:read", org="ocmw-brugge", org_type="toeleider")
    assert (await client.get("/v1/wijkwerkers", headers=referrer)).json() == []
    assert (await client.get(f"/v1/wijkwerkers/{w.json()['id']}", headers=referrer)).status_code == 404
