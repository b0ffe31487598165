"""Issue #23 item 4 on a real PostgreSQL and broker: overlapping hours raise flags when the
prestaties reach cheques through the real inbox consumer; the flagged earnings are held from
the payout run; a released flag is paid by the next run, a rejected one is reversed with a
storno and never paid; the recompute equals the ledger to the cent. The ops API's data
scope and its problem documents."""

from __future__ import annotations

import importlib.util
import uuid
from datetime import date, time
from pathlib import Path

import pytest

from cheques.adapters.toeleiding import Bankrekening
from cheques.domain.signaal import Drempels
from cheques.service_layer import terugdraaien
from cheques.service_layer.consumenten import prestaties, referentie
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk import vingerafdruk
from wijkwerk.db import session_factory
from wijkwerk.events import Envelope
from wijkwerk.events.prestaties import GebruikerGeregistreerd
from wijkwerk.events.toeleiding import WijkwerkerIngeschreven
from wijkwerk.messaging.consumer import pas_toe

pytestmark = pytest.mark.integration

# The reversal tests' world, loaded as a module of its own, fed through the handlers with the
# flags' rules (as bootstrap wires them).
_spec = importlib.util.spec_from_file_location("_terugdraaien_signalen",
                                               Path(__file__).with_name("test_terugdraaien.py"))
assert _spec is not None and _spec.loader is not None
_terugdraaien = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_terugdraaien)
_terugdraaien.HANDLERS = prestaties.handlers(Drempels())
Wereld, instellingen = _terugdraaien.Wereld, _terugdraaien.instellingen

DAG = 3 * 410 + 300  # three cheques' worker share and the day's travel allowance


@pytest.fixture
async def wereld(omgeving, instellingen) -> Wereld:  # noqa: F811
    w = Wereld(omgeving, instellingen)
    await w.start()
    omgeving.toeleiding.rekeningen = {w.w: Bankrekening("An Peeters", "BE68539007547034")}
    return w


async def _run(w: Wereld, periode: str) -> int:
    r = await w.o.client.post(f"/v1/uitbetalingen/{periode}", headers=w.o.tokens.headers("cheques:payout"))
    assert r.status_code == 200, r.text
    return sum(int(u["bedrag"].replace(".", "")) for u in r.json()["uitbetalingen"])


def _h(w: Wereld, org_type: str = "vdab", org: str | None = None) -> dict:
    return w.o.tokens.headers("cheques:signalen", org_type=org_type, org=org)


async def _beslis(w: Wereld, signaal_id, beslissing: str, op: str, headers=None, reden: str = "nagekeken"):
    return await w.o.client.post(f"/v1/signalen/{signaal_id}/beslissing", headers=headers or _h(w),
                                 json={"beslissing": beslissing, "besloten_op": op, "reden": reden})


async def test_overlapping_hours_are_held_released_or_rejected_and_the_recompute_agrees(wereld):
    w = wereld
    p1 = w.prestatie(date(2026, 3, 2))  # 09:00, 170 minutes
    p2 = w.prestatie(date(2026, 3, 2), uren=2, vergoeding=0, koppeling=uuid.uuid4()).model_copy(
        update={"start": time(10), "minuten": 110})
    p3 = w.prestatie(date(2026, 3, 9))
    await w.publiceer(p1, p2, p3)
    for serie, p in zip(w.series[:8], [p1] * 3 + [p2] * 2 + [p3] * 3, strict=True):
        await w.valideer(serie, p, date(2026, 3, 10))

    r = await w.o.client.get("/v1/signalen", headers=_h(w))
    assert r.status_code == 200, r.text
    open_ = {s["prestatie_id"]: s for s in r.json()}
    assert set(open_) == {str(p1.prestatie_id), str(p2.prestatie_id)}
    assert {s["regel"] for s in open_.values()} == {"overlappende-uren"}
    assert open_[str(p1.prestatie_id)]["bedrag"] == "15.30"  # 3 × 4.10 + 3.00 travel
    assert await _run(w, "2026-03") == DAG  # only the unflagged day

    s1, s2 = open_[str(p1.prestatie_id)]["id"], open_[str(p2.prestatie_id)]["id"]
    assert (await _beslis(w, s1, "vrijgegeven", "2026-03-01")).json()["rule"] == "beslissing-voor-signaal"
    assert (await _beslis(w, s1, "vrijgegeven", "2026-04-02")).status_code == 200
    tweede = await _beslis(w, s1, "afgewezen", "2026-04-03")
    assert (tweede.status_code, tweede.json()["rule"]) == (409, "signaal-al-beslist")
    afgewezen = await _beslis(w, s2, "afgewezen", "2026-04-02", reden="dubbel ingegeven")
    assert afgewezen.json()["status"] == "afgewezen", afgewezen.text
    # The rejection's reversal order, applied as the periodic job does.
    await terugdraaien.voer_uit(lambda: ChequesUnitOfWork(session_factory(w.o.engine)))
    assert len(await w.stornos()) == 2  # p2's two cheques (no travel allowance), in April

    assert await _run(w, "2026-04") == DAG  # the released day; the rejected one never
    assert await w.saldo() == 0
    teruggedraaid = await w.o.scalar(
        "SELECT count(*) FROM outbox WHERE event_type = 'ChequeValidatieTeruggedraaid' "
        "AND convert_from(value, 'UTF8') LIKE '%signaal-afgewezen%'")
    assert teruggedraaid == 2
    soorten = await w.o.scalar("SELECT string_agg(event_type, ',' ORDER BY id) FROM outbox "
                               "WHERE event_type LIKE 'Signaal%'")
    assert soorten == "SignaalGemeld,SignaalGemeld,SignaalVrijgegeven,SignaalAfgewezen"
    audit = await w.o.scalar("SELECT besloten_door || '|' || reden FROM signalen WHERE id = :i", i=uuid.UUID(s2))
    assert audit == "test|dubbel ingegeven"
    rapport = await w.herbereken()
    assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], [])


async def test_the_review_queue_is_scoped_and_refuses_others(wereld):
    w = wereld
    p1 = w.prestatie(date(2026, 3, 2), uren=5).model_copy(update={"minuten": 290})
    p2 = w.prestatie(date(2026, 3, 2), uren=4, koppeling=uuid.uuid4()).model_copy(
        update={"start": time(14), "minuten": 230})
    await w.publiceer(p1, p2)  # 9 started hours on one day, no overlap
    eigen = await w.o.client.get("/v1/signalen", headers=_h(w, "organisator", str(w.oid)))
    assert [s["regel"] for s in eigen.json()] == ["te-veel-uren-op-een-dag"] * 2
    # a page at a time, in the queue's order
    paginas = [(await w.o.client.get("/v1/signalen", params={"limit": 1, "offset": k}, headers=_h(w))).json()
               for k in (0, 1, 2)]
    assert [[s["id"] for s in p] for p in paginas] == [[eigen.json()[0]["id"]], [eigen.json()[1]["id"]], []]
    te_veel = await w.o.client.get("/v1/signalen", params={"limit": 501}, headers=_h(w))
    assert te_veel.status_code == 422
    ander = _h(w, "organisator", str(uuid.uuid4()))
    assert (await w.o.client.get("/v1/signalen", headers=ander)).json() == []
    r = await _beslis(w, eigen.json()[0]["id"], "vrijgegeven", "2026-04-02", headers=ander)
    assert (r.status_code, r.json()["rule"]) == (404, "signaal-onbekend")
    r = await w.o.client.get("/v1/signalen", headers=_h(w, "gebruiker", str(uuid.uuid4())))
    assert (r.status_code, r.json()["rule"]) == (403, "alleen-ops")
    r = await _beslis(w, uuid.uuid4(), "vrijgegeven", "2026-04-02")
    assert (r.status_code, r.json()["rule"]) == (404, "signaal-onbekend")
    r = await _beslis(w, eigen.json()[0]["id"], "vrijgegeven", "2999-01-01")
    assert (r.status_code, r.json()["rule"]) == (422, "datum-in-de-toekomst")


async def test_an_account_shared_by_three_workers_holds_their_payouts_until_released(wereld):
    w = wereld
    anderen = [uuid.uuid4(), uuid.uuid4()]
    prestaties = [w.prestatie(date(2026, 3, 2))] + [
        w.o.prestatie_event(x, _terugdraaien.G, w.oid, uuid.uuid4(), date(2026, 3, 2), uren=3, minuten=170)
        for x in anderen]
    await w.publiceer(*prestaties)
    for i, p in enumerate(prestaties):
        for serie in w.series[3 * i: 3 * i + 3]:
            await w.valideer(serie, p, date(2026, 3, 3))
    gedeeld = Bankrekening("An Peeters", "BE68539007547034")
    w.o.toeleiding.rekeningen = {w.w: gedeeld, **{x: gedeeld for x in anderen}}
    assert await _run(w, "2026-03") == 0  # the three share one account: nobody is paid
    r = await w.o.client.get("/v1/signalen", headers=_h(w))
    gemeld = {s["wijkwerker_id"]: s for s in r.json()}
    assert set(gemeld) == {str(w.w), *map(str, anderen)}
    eigen = gemeld[str(w.w)]
    assert (eigen["regel"], eigen["prestatie_id"], eigen["datum"], eigen["bedrag"]) == (
        "gedeelde-rekening", None, "2026-04-01", "15.30")
    assert "BE68" not in eigen["toelichting"]
    r = await _beslis(w, eigen["id"], "afgewezen", "2026-04-05")
    assert (r.status_code, r.json()["rule"]) == (422, "signaal-alleen-vrijgeven")
    assert (await _beslis(w, eigen["id"], "vrijgegeven", "2026-04-05", reden="rekening van An")).status_code == 200
    assert await _run(w, "2026-04") == DAG  # released: An is paid; the other two still wait
    assert await w.saldo() == 0
    rapport = await w.herbereken()
    assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], [])


async def test_a_worker_at_the_gebruikers_address_is_flagged_and_held_a_neighbour_is_not(wereld):
    """ADR 0024: the fingerprints from toeleiding's and prestaties' events; the prestatie of the
    worker living at the gebruiker's address is flagged (naming "adres", not the address) and
    held from the payout until released; the neighbour's is not."""
    w, buur = wereld, uuid.uuid4()
    sleutel = b"integratie"
    adres = vingerafdruk.adres_vingerafdruk(sleutel, "Kerkstraat", "12", "9000")
    async with w.o.sessions() as session, session.begin():  # as the toeleiding consumer keeps them
        for wid, nummer in ((w.w, "12"), (buur, "14")):
            e = WijkwerkerIngeschreven(
                wijkwerker_id=wid, organisator_id=w.oid, domicilie_nis_code="44021", uitkeringsstatus="leefloon",
                ex_pwa=False, onbeperkt_recht=False, ingeschreven_op=date(2026, 1, 5),
                adres_vingerafdruk=vingerafdruk.adres_vingerafdruk(sleutel, "kerkstraat ", nummer, "9000"))
            await pas_toe(referentie.HANDLERS[WijkwerkerIngeschreven], e,
                          ChequesUnitOfWork.joined(session, envelope=Envelope.wrap(e, producer="toeleiding")))
    gebruiker = GebruikerGeregistreerd(gebruiker_id=_terugdraaien.G, categorie="particulier", geslacht=None,
                                       aangemeld_op=date(2026, 1, 2), aangemeld_bij=w.oid, adres_vingerafdruk=adres)
    p1 = w.prestatie(date(2026, 3, 2))
    p2 = w.o.prestatie_event(buur, _terugdraaien.G, w.oid, uuid.uuid4(), date(2026, 3, 2), minuten=60)
    # the gebruiker first (keyed by gebruiker, the prestaties by worker: on one topic they may
    # land on other partitions; a fingerprint known only after the prestatie flags nothing)
    await w.publiceer(gebruiker)
    await w.publiceer(p1, p2)
    for serie in w.series[:3]:
        await w.valideer(serie, p1, date(2026, 3, 10))

    (s,) = (await w.o.client.get("/v1/signalen", headers=_h(w))).json()
    assert (s["prestatie_id"], s["regel"], s["datum"]) == (str(p1.prestatie_id), "gedeelde-iban-of-adres", "2026-03-02")
    assert s["toelichting"] == "the worker and the gebruiker share: adres"
    assert await _run(w, "2026-03") == 0  # held
    assert (await _beslis(w, s["id"], "vrijgegeven", "2026-04-02")).status_code == 200
    assert await _run(w, "2026-04") == DAG
