"""Issue #21 in toeleiding: an evaluation decides the end and carries its date, an explicit
end wins over it (defect 1); the housekeeping job gives the same result whenever it fires
(defect 6); the referral list filters in its query (defect 7)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from toeleiding.service_layer.consumenten.evaluaties import evaluatie_uitgevoerd
from toeleiding.service_layer.trajecten import sluit_verlopen_trajecten
from toeleiding.service_layer.uow import ToeleidingUnitOfWork
from wijkwerk.db import session_factory
from wijkwerk.events import Envelope
from wijkwerk.events.evaluatie import EvaluatieUitgevoerd
from wijkwerk.messaging.consumer import pas_toe

pytestmark = pytest.mark.integration

ADMIN = ("toeleiding:admin", "toeleiding:read", "toeleiding:write")


async def _organisator(client, tokens, naam="Perspectief", nis="35013") -> str:
    org = await client.post("/v1/organisatoren", headers=tokens.headers(*ADMIN), json={
        "naam": naam, "samenwerkingsverband": naam, "tarief": "7.45", "tarief_vanaf": "2018-01-01",
        "gemeenten": [{"nis_code": nis, "naam": naam}],
    })
    assert org.status_code == 201, org.text
    return org.json()["id"]


async def _dossier(client, tokens, oid, nis="35013", insz="85073003328") -> str:
    w = await client.post("/v1/wijkwerkers", headers=tokens.headers(*ADMIN), json={
        "insz": insz, "voornaam": "Els", "achternaam": "Maes", "domicilie_nis_code": nis,
        "organisator_id": oid, "uitkeringsstatus": "volledig_werkzoekend", "vdab_ingeschreven": True,
        "iban": "BE68539007547034", "ingeschreven_op": "2025-01-02",
    })
    assert w.status_code == 201, w.text
    return w.json()["id"]


async def _traject(client, tokens, oid, wid, start="2026-01-10", advies=12) -> str:
    r = await client.post("/v1/toeleidingen", headers=tokens.headers(*ADMIN), json={
        "wijkwerker_id": wid, "organisator_id": oid, "toeleider_type": "VDAB", "advies_maanden": advies,
        "ontvangen_op": start, "start": start})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _evaluatie(engine, oid, wid, tid, datum: date, uitkomst: str, **kw) -> None:
    event = EvaluatieUitgevoerd(
        evaluatie_id=uuid.uuid4(), wijkwerker_id=uuid.UUID(wid), traject_id=uuid.UUID(tid),
        organisator_id=uuid.UUID(oid), datum=datum, uitkomst=uitkomst, **kw)
    async with session_factory(engine)() as session, session.begin():
        await pas_toe(evaluatie_uitgevoerd, event, ToeleidingUnitOfWork.joined(session, envelope=Envelope.wrap(event, producer="evaluatie")))


async def _historiek(client, tokens, wid) -> list[dict]:
    return (await client.get(f"/v1/wijkwerkers/{wid}/trajecten", headers=tokens.headers(*ADMIN))).json()


async def test_an_evaluation_ends_the_trajectory_on_the_end_date_it_carries(env, tokens):
    client, engine = env
    oid = await _organisator(client, tokens)
    wid = await _dossier(client, tokens, oid)
    tid = await _traject(client, tokens, oid, wid)
    await _evaluatie(engine, oid, wid, tid, date(2026, 7, 1), "ander_traject", vervolg="IBO", einde=date(2026, 7, 31))
    [t] = await _historiek(client, tokens, wid)
    assert (t["werkelijk_einde"], t["einde_reden"], t["vervolg"]) == ("2026-07-31", "ander_traject", "IBO")


async def test_an_evaluation_without_an_end_date_ends_on_the_evaluation_date(env, tokens):
    client, engine = env
    oid = await _organisator(client, tokens)
    wid = await _dossier(client, tokens, oid)
    tid = await _traject(client, tokens, oid, wid)
    await _evaluatie(engine, oid, wid, tid, date(2026, 7, 1), "uitstroom_werk")
    [t] = await _historiek(client, tokens, wid)
    assert (t["werkelijk_einde"], t["einde_reden"]) == ("2026-07-01", "uitstroom_werk")


async def test_an_explicit_end_after_the_evaluation_wins(env, tokens):
    client, engine = env
    oid = await _organisator(client, tokens)
    wid = await _dossier(client, tokens, oid)
    tid = await _traject(client, tokens, oid, wid)
    await _evaluatie(engine, oid, wid, tid, date(2026, 7, 1), "ander_traject", vervolg="IBO")
    r = await client.post(f"/v1/trajecten/{tid}/beeindiging", headers=tokens.headers(*ADMIN),
                          json={"einde": "2026-08-14", "reden": "ander_traject", "vervolg": "TWE"})
    assert r.status_code == 200, r.text
    [t] = await _historiek(client, tokens, wid)
    assert (t["werkelijk_einde"], t["einde_reden"], t["vervolg"]) == ("2026-08-14", "ander_traject", "TWE")
    again = await client.post(f"/v1/trajecten/{tid}/beeindiging", headers=tokens.headers(*ADMIN),
                              json={"einde": "2026-08-20", "reden": "gestopt"})
    assert (again.status_code, again.json()["rule"]) == (422, "traject-beeindigd")


async def _geschiedenis(client, tokens, oid, wid, tid, job) -> list[dict]:
    """A back-office import of a 2025 trajectory, in business-date order; ``job`` runs the
    housekeeping (or not) after every call."""
    h = tokens.headers(*ADMIN)
    await job()
    assert (await client.post(f"/v1/trajecten/{tid}/overeenkomst", json={"getekend_op": "2025-01-06"},
                              headers=h)).status_code == 200
    await job()
    assert (await client.post(f"/v1/trajecten/{tid}/schorsingen", headers=h, json={
        "van": "2025-03-01", "tot": "2025-03-10", "reden": "ziekte met attest", "verlengt_einde": True})).status_code == 200
    await job()
    assert (await client.post(f"/v1/trajecten/{tid}/verlenging", json={"nieuw_einde": "2025-10-31"},
                              headers=h)).status_code == 200
    await job()
    return await _historiek(client, tokens, wid)


async def test_the_housekeeping_job_gives_the_same_result_whenever_it_fires(env, tokens):
    client, engine = env
    sessions = session_factory(engine)

    async def job() -> None:
        await sluit_verlopen_trajecten(ToeleidingUnitOfWork(sessions), date(2026, 12, 1))

    async def geen_job() -> None:
        return None

    oid = await _organisator(client, tokens)
    met, zonder = await _dossier(client, tokens, oid), await _dossier(client, tokens, oid, insz="80050101224")
    met_tid = await _traject(client, tokens, oid, met, start="2025-01-06", advies=6)
    zonder_tid = await _traject(client, tokens, oid, zonder, start="2025-01-06", advies=6)
    [a] = await _geschiedenis(client, tokens, oid, met, met_tid, job)
    [b] = await _geschiedenis(client, tokens, oid, zonder, zonder_tid, geen_job)
    await job()  # the job fires once in the end for both
    [b] = await _historiek(client, tokens, zonder)
    velden = ("overeenkomst_op", "gepland_einde", "werkelijk_einde", "einde_reden")
    assert [a[v] for v in velden] == [b[v] for v in velden] == ["2025-01-06", "2025-10-31", "2025-10-31", "einde_advies"]
    # and an explicit end of the import arriving after the job closed it wins
    r = await client.post(f"/v1/trajecten/{met_tid}/beeindiging", headers=tokens.headers(*ADMIN),
                          json={"einde": "2025-09-30", "reden": "uitstroom_werk"})
    assert r.status_code == 200, r.text
    assert (r.json()["werkelijk_einde"], r.json()["einde_reden"]) == ("2025-09-30", "uitstroom_werk")


async def test_an_organisers_referral_list_pages_over_its_own_rows(env, tokens):
    client, _ = env
    eigen = await _organisator(client, tokens)
    ander = await _organisator(client, tokens, naam="Westhoek", nis="38014")
    # the other organiser's referrals come first in the list's order
    for i, insz in enumerate(("85073003328", "80050101224")):
        await _traject(client, tokens, ander, await _dossier(client, tokens, ander, nis="38014", insz=insz),
                       start=f"2026-01-0{i + 1}")
    mijn = await _traject(client, tokens, eigen, await _dossier(client, tokens, eigen, insz="80050201291"),
                          start="2026-02-01")
    h = tokens.headers("toeleiding:read", org=eigen, org_type="organisator")
    r = await client.get("/v1/toeleidingen", params={"limit": 1}, headers=h)
    assert [t["id"] for t in r.json()] == [mijn]


@pytest.mark.parametrize("maanden", [0, 13, -1])
async def test_an_advice_outside_1_to_12_months_answers_the_domain_rule(env, tokens, maanden):
    """Defect 5: a bound DOMAIN.md names (T-2: 1 to 12 months) answers its own rule, not
    the generic ongeldige-invoer."""
    client, _ = env
    oid = await _organisator(client, tokens)
    wid = await _dossier(client, tokens, oid)
    r = await client.post("/v1/toeleidingen", headers=tokens.headers(*ADMIN), json={
        "wijkwerker_id": wid, "organisator_id": oid, "toeleider_type": "VDAB", "advies_maanden": maanden,
        "ontvangen_op": "2026-01-05"})
    assert (r.status_code, r.json()["rule"]) == (422, "traject-max-12-maanden")


async def test_the_dossier_status_is_derived_as_of_a_date_from_dated_facts(env, tokens):
    """Defect 6 (A-09): voorlopig until the agreement, actief while the trajectory runs,
    afgesloten after its end; as of any date, not as computed on the day of the last write."""
    client, _ = env
    oid = await _organisator(client, tokens)
    wid = await _dossier(client, tokens, oid)
    tid = await _traject(client, tokens, oid, wid, start="2025-01-06", advies=6)
    h = tokens.headers(*ADMIN)
    assert (await client.post(f"/v1/trajecten/{tid}/overeenkomst", json={"getekend_op": "2025-01-08"},
                              headers=h)).status_code == 200
    for op, status in (("2025-01-07", "voorlopig"), ("2025-03-01", "actief"), ("2025-07-05", "actief"),
                       ("2025-07-06", "afgesloten")):
        r = await client.get(f"/v1/wijkwerkers/{wid}", params={"op": op}, headers=h)
        assert (op, r.json()["status"]) == (op, status)
        lijst = await client.get("/v1/wijkwerkers", params={"organisator_id": oid, "status": status, "op": op},
                                 headers=h)
        assert [w["id"] for w in lijst.json()] == [wid], op
    # a re-referral later does not make the past voorlopig
    assert (await client.post(f"/v1/trajecten/{tid}/beeindiging", json={"einde": "2025-05-31", "reden": "gestopt"},
                              headers=h)).status_code == 200
    await _traject(client, tokens, oid, wid, start="2025-10-01", advies=6)
    assert (await client.get(f"/v1/wijkwerkers/{wid}", params={"op": "2025-08-01"}, headers=h)).json()["status"] == \
        "afgesloten"
    assert (await client.get(f"/v1/wijkwerkers/{wid}", params={"op": "2025-10-02"}, headers=h)).json()["status"] == \
        "voorlopig"
