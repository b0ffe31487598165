"""Dossier maintenance for partners (issue #21 item 10) through the API on a real
PostgreSQL: dated changes of IBAN, name and address with their history, a search by INSZ
in the body, the existing dossier's id in a duplicate's 409, the PWA referrer and the
"advised period over" end reason."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from wijkwerk import vingerafdruk

SLEUTEL = "vingerafdruk-test"  # as the conftest's env gives the app

pytestmark = pytest.mark.integration

ADMIN = ("toeleiding:admin", "toeleiding:read", "toeleiding:write")
INSZ = "85073003328"
GEBIED = [{"nis_code": "31005", "naam": "Brugge"}, {"nis_code": "31022", "naam": "Oostkamp"}]


async def _organisator(client, tokens, gemeenten=GEBIED) -> str:
    r = await client.post("/v1/organisatoren", headers=tokens.headers(*ADMIN), json={
        "naam": f"Wijk-werken {gemeenten[0]['naam']}", "samenwerkingsverband": "W10", "gemeenten": gemeenten,
        "tarief": "7.45", "tarief_vanaf": "2018-01-01"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _dossier(oid: str, **kw) -> dict:
    return {"insz": INSZ, "voornaam": "An", "achternaam": "Peeters", "domicilie_nis_code": "31005",
            "organisator_id": oid, "uitkeringsstatus": "leefloon", "vdab_ingeschreven": True,
            "iban": "BE68539007547034", "ingeschreven_op": "2026-01-05",
            "adres": {"straat": "Ooststraat", "huisnummer": "7", "postcode": "8000"}, **kw}


async def _ingeschreven(client, tokens, oid: str, **kw) -> str:
    r = await client.post("/v1/wijkwerkers", json=_dossier(oid, **kw), headers=tokens.headers(*ADMIN))
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _outbox(engine, sql: str = "SELECT event_type, value FROM outbox ORDER BY id"):
    async with engine.connect() as conn:
        return (await conn.execute(text(sql))).all()


async def test_a_duplicate_insz_answers_409_with_the_existing_dossiers_id(env, tokens):
    client, engine = env
    oid = await _organisator(client, tokens)
    wid = await _ingeschreven(client, tokens, oid)
    voor = len(await _outbox(engine))
    r = await client.post("/v1/wijkwerkers", json=_dossier(oid, voornaam="Bert"), headers=tokens.headers(*ADMIN))
    assert (r.status_code, r.json()["rule"], r.json()["wijkwerker_id"]) == (409, "insz-bestaat-al", wid)
    assert r.headers["content-type"] == "application/problem+json"
    # The referrer, who refers anyone (T-1), and the dossier's own organiser learn it too.
    referrer = tokens.headers("toeleiding:write", org="ocmw-brugge", org_type="toeleider")
    r = await client.post("/v1/wijkwerkers", json=_dossier(oid), headers=referrer)
    assert (r.status_code, r.json()["wijkwerker_id"]) == (409, wid)
    eigen = tokens.headers("toeleiding:write", org=oid, org_type="organisator")
    assert (await client.post("/v1/wijkwerkers", json=_dossier(oid), headers=eigen)).json()["wijkwerker_id"] == wid
    # Another organiser only learns the conflict, not the other organiser's pseudonym.
    ander = await _organisator(client, tokens, [{"nis_code": "36015", "naam": "Roeselare"}])
    r = await client.post("/v1/wijkwerkers", json=_dossier(ander, domicilie_nis_code="36015"),
                          headers=tokens.headers("toeleiding:write", org=ander, org_type="organisator"))
    assert (r.status_code, r.json()["rule"]) == (409, "insz-bestaat-al") and "wijkwerker_id" not in r.json()
    assert len(await _outbox(engine)) == voor + 2  # only the second organiser's two events


async def test_a_dossier_is_found_by_insz_in_the_body_within_the_callers_scope(env, tokens):
    client, _ = env
    oid = await _organisator(client, tokens)
    ander = await _organisator(client, tokens, [{"nis_code": "36015", "naam": "Roeselare"}])
    wid = await _ingeschreven(client, tokens, oid)
    r = await client.post("/v1/wijkwerkers/zoeken", json={"insz": "85.07.30-033.28"},
                          headers=tokens.headers("toeleiding:read"))
    assert r.status_code == 200 and [d["id"] for d in r.json()] == [wid]
    assert r.json()[0]["adres"] == {"straat": "Ooststraat", "huisnummer": "7", "postcode": "8000",
                                    "domicilie_nis_code": "31005"}
    eigen = tokens.headers("toeleiding:read", org=oid, org_type="organisator")
    assert [d["id"] for d in (await client.post("/v1/wijkwerkers/zoeken", json={"insz": INSZ}, headers=eigen)).json()] == [wid]
    for niet in (tokens.headers("toeleiding:read", org=ander, org_type="organisator"),
                 tokens.headers("toeleiding:read", org="ocmw-brugge", org_type="toeleider")):
        assert (await client.post("/v1/wijkwerkers/zoeken", json={"insz": INSZ}, headers=niet)).json() == []
    onbekend = await client.post("/v1/wijkwerkers/zoeken", json={"insz": "90020112305"},
                                 headers=tokens.headers("toeleiding:read"))
    assert (onbekend.status_code, onbekend.json()) == (200, [])
    fout = await client.post("/v1/wijkwerkers/zoeken", json={"insz": "85073003329"},
                             headers=tokens.headers("toeleiding:read"))
    assert (fout.status_code, fout.json()["rule"]) == (422, "insz-ongeldig")


async def test_dated_changes_keep_their_history_and_the_latest_date_wins_whatever_the_order(env, tokens):
    client, engine = env
    oid = await _organisator(client, tokens)
    wid = await _ingeschreven(client, tokens, oid)
    h = tokens.headers(*ADMIN, sub="bemiddelaar-7")
    r = await client.post(f"/v1/wijkwerkers/{wid}/wijzigingen", headers=h, json={
        "gewijzigd_op": "2026-03-01", "iban": "BE71 0961 2345 6769", "reden": "nieuwe rekening"})
    assert r.status_code == 201, r.text
    # A back-office import sends an older change afterwards: kept, but March stays in force.
    r = await client.post(f"/v1/wijkwerkers/{wid}/wijzigingen", headers=h, json={
        "gewijzigd_op": "2026-02-01", "iban": "BE62510007547061",
        "naam": {"voornaam": "An", "achternaam": "Peeters-Janssens"},
        "adres": {"straat": "Markt", "huisnummer": "1", "postcode": "8020", "domicilie_nis_code": "31022"}})
    assert r.status_code == 201, r.text
    dossier = r.json()
    assert (dossier["voornaam"], dossier["achternaam"]) == ("An", "Peeters-Janssens")
    assert dossier["adres"] == {"straat": "Markt", "huisnummer": "1", "postcode": "8020", "domicilie_nis_code": "31022"}
    payout = tokens.headers("cheques:payout")
    bank = lambda **p: client.get(f"/v1/wijkwerkers/{wid}/bankgegevens", params=p, headers=payout)  # noqa: E731
    assert (await bank()).json()["iban"] == "BE71096123456769"
    assert (await bank(op="2026-01-31")).json()["iban"] == "BE68539007547034"
    assert (await bank(op="2026-02-15")).json()["iban"] == "BE62510007547061"
    assert (await bank(op="2026-03-01")).json()["iban"] == "BE71096123456769"
    assert (await bank()).json()["naam"] == "An Peeters-Janssens"

    historiek = (await client.get(f"/v1/wijkwerkers/{wid}/wijzigingen", headers=tokens.headers("toeleiding:read"))).json()
    assert [(x["gegevens"], x["gewijzigd_op"], x["reden"]) for x in historiek] == [
        ("iban", "2026-01-05", "inschrijving"), ("naam", "2026-01-05", "inschrijving"),
        ("adres", "2026-01-05", "inschrijving"),
        ("iban", "2026-02-01", None), ("naam", "2026-02-01", None), ("adres", "2026-02-01", None),
        ("iban", "2026-03-01", "nieuwe rekening")]
    assert [x["waarde"]["iban"] for x in historiek if x["gegevens"] == "iban"] == [
        "BE68…7034", "BE62…7061", "BE71…6769"]  # a reader never sees a whole account
    assert historiek[-1]["door"] == "bemiddelaar-7"

    events = [(t, v) for t, v in await _outbox(engine) if t == "WijkwerkerGewijzigd"]
    assert len(events) == 2
    for _, value in events:  # that the dossier changed, never the values (ADR 0024: keyed fingerprints)
        for waarde in (b"BE71", b"BE62", b"Janssens", b"Markt", b"8020", b"31022", b"naam"):
            assert waarde not in value
    # the IBAN and address in force after each change: the older change left March's IBAN in force
    sleutel = SLEUTEL.encode()
    assert vingerafdruk.iban_vingerafdruk(sleutel, "BE71096123456769").encode() in events[1][1]
    assert vingerafdruk.adres_vingerafdruk(sleutel, "Markt", "1", "8020").encode() in events[1][1]
    assert vingerafdruk.adres_vingerafdruk(sleutel, "Ooststraat", "7", "8000").encode() in events[0][1]


@pytest.mark.parametrize(("body", "status", "rule"), [
    ({"gewijzigd_op": "2026-03-01"}, 422, "wijziging-leeg"),
    ({"gewijzigd_op": "2026-01-04", "iban": "BE71096123456769"}, 422, "wijziging-voor-inschrijving"),
    ({"gewijzigd_op": "2026-03-01", "iban": "BE00539007547034"}, 422, "iban-ongeldig"),
    ({"gewijzigd_op": "2026-03-01", "iban": "BE71096123456769", "adres": {
        "straat": "Ieperstraat", "huisnummer": "3", "postcode": "8800", "domicilie_nis_code": "36015"}},
     422, "buiten-werkingsgebied"),
])
async def test_a_refused_change_writes_nothing(env, tokens, body, status, rule):
    client, engine = env
    oid = await _organisator(client, tokens)
    wid = await _ingeschreven(client, tokens, oid)
    voor = len(await _outbox(engine))
    r = await client.post(f"/v1/wijkwerkers/{wid}/wijzigingen", json=body, headers=tokens.headers(*ADMIN))
    assert (r.status_code, r.json()["rule"]) == (status, rule)
    assert (await _outbox(engine, "SELECT count(*) FROM dossierwijzigingen"))[0][0] == 0
    assert len(await _outbox(engine)) == voor
    bank = await client.get(f"/v1/wijkwerkers/{wid}/bankgegevens", headers=tokens.headers("cheques:payout"))
    assert bank.json()["iban"] == "BE68539007547034"


async def test_another_organiser_cannot_change_or_read_the_history(env, tokens):
    client, engine = env
    oid = await _organisator(client, tokens)
    ander = await _organisator(client, tokens, [{"nis_code": "36015", "naam": "Roeselare"}])
    wid = await _ingeschreven(client, tokens, oid)
    h = tokens.headers("toeleiding:read", "toeleiding:write", org=ander, org_type="organisator")
    r = await client.post(f"/v1/wijkwerkers/{wid}/wijzigingen", headers=h,
                          json={"gewijzigd_op": "2026-03-01", "iban": "BE71096123456769"})
    assert (r.status_code, r.json()["rule"]) == (404, "wijkwerker-onbekend")
    assert (await client.get(f"/v1/wijkwerkers/{wid}/wijzigingen", headers=h)).status_code == 404
    assert (await _outbox(engine, "SELECT count(*) FROM dossierwijzigingen"))[0][0] == 0


async def test_a_pwa_transfer_is_a_referrer_of_its_own_for_ex_pwa_dossiers_only(env, tokens):
    client, engine = env
    oid = await _organisator(client, tokens)
    nieuw = await _ingeschreven(client, tokens, oid)
    ex_pwa = await _ingeschreven(client, tokens, oid, insz="90020112305", ex_pwa=True)
    body = {"organisator_id": oid, "toeleider_type": "PWA", "advies_maanden": 12, "ontvangen_op": "2026-01-06"}
    r = await client.post("/v1/toeleidingen", json={**body, "wijkwerker_id": nieuw}, headers=tokens.headers(*ADMIN))
    assert (r.status_code, r.json()["rule"]) == (422, "pwa-overdracht-zonder-ex-pwa")
    r = await client.post("/v1/toeleidingen", json={**body, "wijkwerker_id": ex_pwa}, headers=tokens.headers(*ADMIN))
    assert (r.status_code, r.json()["toeleider_type"]) == (201, "PWA")
    async with engine.connect() as conn:
        value = await conn.scalar(text("SELECT value FROM outbox WHERE event_type = 'ToeleidingOntvangen'"))
    assert b'"toeleider_type":"PWA"' in value.replace(b" ", b"")


async def test_a_referrers_referral_carries_its_organisation_in_the_event(env, tokens):
    client, engine = env
    oid = await _organisator(client, tokens)
    wid = await _ingeschreven(client, tokens, oid)
    referrer = tokens.headers("toeleiding:write", org="ocmw-brugge", org_type="toeleider")
    r = await client.post("/v1/toeleidingen", headers=referrer, json={
        "wijkwerker_id": wid, "organisator_id": oid, "toeleider_type": "OCMW", "advies_maanden": 6,
        "ontvangen_op": "2026-01-06"})
    assert r.status_code == 201, r.text
    async with engine.connect() as conn:
        value = await conn.scalar(text("SELECT value FROM outbox WHERE event_type = 'ToeleidingOntvangen'"))
    assert b'"toeleider_org":"ocmw-brugge"' in value.replace(b" ", b"")


async def test_the_advised_period_over_is_an_end_reason_partners_can_give(env, tokens):
    client, _ = env
    oid = await _organisator(client, tokens)
    wid = await _ingeschreven(client, tokens, oid)
    t = await client.post("/v1/toeleidingen", headers=tokens.headers(*ADMIN), json={
        "wijkwerker_id": wid, "organisator_id": oid, "toeleider_type": "VDAB", "advies_maanden": 6,
        "ontvangen_op": "2026-01-06"})
    r = await client.post(f"/v1/trajecten/{t.json()['id']}/beeindiging", headers=tokens.headers(*ADMIN),
                          json={"einde": "2026-07-05", "reden": "einde_advies"})
    assert r.status_code == 200, r.text
    assert (r.json()["werkelijk_einde"], r.json()["einde_reden"]) == ("2026-07-05", "einde_advies")
    onbeperkt = await _ingeschreven(client, tokens, oid, insz="90020112305", ex_pwa=True, onbeperkt_recht=True)
    t = await client.post("/v1/toeleidingen", headers=tokens.headers(*ADMIN), json={
        "wijkwerker_id": onbeperkt, "organisator_id": oid, "toeleider_type": "PWA", "ontvangen_op": "2026-01-06"})
    r = await client.post(f"/v1/trajecten/{t.json()['id']}/beeindiging", headers=tokens.headers(*ADMIN),
                          json={"einde": "2026-07-05", "reden": "einde_advies"})
    assert (r.status_code, r.json()["rule"]) == (422, "traject-onbeperkt")
