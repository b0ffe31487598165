"""The refund flow for unused cheques on a real PostgreSQL (issue #23 item 2): a request,
a decision, a problem document for every broken rule, and the refund in the ledger."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import text

pytestmark = pytest.mark.integration

ADMIN = ("cheques:admin", "cheques:read")
G = uuid.uuid4()


def validatie(serie: str, prestatie_id: uuid.UUID, op: str) -> dict:
    return {"type": "cheque.gevalideerd", "serienummer": serie, "prestatie_id": str(prestatie_id), "gevalideerd_op": op}


async def _uitgegeven(o, oid, aantal: int, op: str) -> list[str]:
    bid = str(uuid.uuid4())
    await o.ok({"type": "bestelling.betaald", "bestelling_id": bid, "gebruiker_id": str(G), "organisator_id": str(oid),
                "aantal": aantal, "drager": "papier", "besteld_op": op})
    series = [f"T{uuid.uuid4().hex[:10]}" for _ in range(aantal)]
    await o.ok({"type": "cheques.uitgegeven", "bestelling_id": bid, "serienummers": series, "uitgegeven_op": op})
    return series


async def _job(o, tot: str) -> dict:
    r = await o.client.post("/v1/cheques/vervallingen", json={"tot": tot}, headers=o.tokens.headers(*ADMIN))
    assert r.status_code == 200, r.text
    return r.json()


async def _saldi(o, soort: str) -> dict[tuple[str, str], int]:
    async with o.engine.connect() as conn:
        rows = await conn.execute(text(
            "SELECT b.rekening, t.boekmaand, sum(b.debet_cent - b.credit_cent) FROM grootboek_boekingen b "
            "JOIN grootboek_transacties t ON t.id = b.transactie_id WHERE t.soort = :s GROUP BY 1, 2"), {"s": soort})
        return {(r[0], str(r[1])): int(r[2]) for r in rows}


def _gebruiker(o, gebruiker_id=G) -> dict:
    return o.tokens.headers("cheques:refund", "cheques:read", org=str(gebruiker_id), org_type="gebruiker")


async def _vraag(o, serie: str, op: str, headers: dict):
    return await o.client.post(f"/v1/cheques/{serie}/terugbetalingsaanvragen", json={"gevraagd_op": op},
                               headers=headers)


async def _beslis(o, aanvraag_id: str, beslissing: str, op: str, headers: dict | None = None):
    return await o.client.post(f"/v1/terugbetalingsaanvragen/{aanvraag_id}/beslissing",
                               json={"beslissing": beslissing, "beslist_op": op},
                               headers=headers or o.tokens.headers(*ADMIN))


def _regel(r) -> tuple[int, str]:
    return r.status_code, r.json().get("rule", "")


async def test_an_approved_refund_pays_the_whole_price_back_to_the_gebruiker(omgeving):
    o = omgeving
    oid = await o.organisator(745)
    series = await _uitgegeven(o, oid, 2, "2025-01-06")
    r = await _vraag(o, series[0], "2025-05-02", _gebruiker(o))
    assert r.status_code == 201, r.text
    aanvraag = r.json()
    assert (aanvraag["status"], aanvraag["prijs"], aanvraag["geldig_tot"]) == ("gevraagd", "7.45", "2026-01-05")
    gelezen = await o.client.get(f"/v1/terugbetalingsaanvragen/{aanvraag['id']}", headers=_gebruiker(o))
    assert gelezen.json() == aanvraag

    r = await _beslis(o, aanvraag["id"], "goedgekeurd", "2025-05-04")
    assert (r.status_code, r.json()["status"], r.json()["cheque_status"]) == (200, "goedgekeurd", "terugbetaald")
    assert await _saldi(o, "terugbetaling") == {("chequegelden", "2025-05-01"): 745,
                                                (f"gebruiker:{G}", "2025-05-01"): -745}
    async with o.engine.connect() as conn:
        soorten = (await conn.scalars(text("SELECT event_type FROM outbox ORDER BY id"))).all()
    assert soorten[-2:] == ["ChequeTerugbetalingGevraagd", "ChequeTerugbetaald"]
    # A refunded cheque neither lapses nor pays anything any more.
    assert series[0] not in (await _job(o, "2026-02-01"))["serienummers"]
    assert _regel(await _vraag(o, series[0], "2025-05-10", _gebruiker(o))) == (409, "cheque-terugbetaald")


async def test_every_broken_refund_rule_is_a_problem_document_and_writes_nothing(omgeving):
    o = omgeving
    oid, ander = await o.organisator(745), await o.organisator(595)
    series = await _uitgegeven(o, oid, 5, "2025-01-06")
    p = o.prestatie_event(uuid.uuid4(), G, oid, uuid.uuid4(), date(2025, 3, 2), vergoeding=0)
    await o.prestatie(p)
    await o.ok(validatie(series[0], p.prestatie_id, op="2025-03-05"))
    open_ = (await _vraag(o, series[1], "2025-04-01", _gebruiker(o))).json()["id"]
    geweigerd = (await _vraag(o, series[2], "2025-04-01", _gebruiker(o))).json()["id"]
    assert (await _beslis(o, geweigerd, "geweigerd", "2025-04-02")).status_code == 200
    await _job(o, "2026-01-06")  # series[2] (refused) … [4] lapse; [1] is held by its open request

    organisator_b = o.tokens.headers("cheques:refund", "cheques:admin", org=str(ander), org_type="organisator")
    before = await o.tellingen()
    gevallen = [
        (_vraag(o, series[0], "2025-04-01", _gebruiker(o)), (409, "cheque-al-gebruikt")),
        (_vraag(o, series[1], "2025-04-03", _gebruiker(o)), (409, "aanvraag-bestaat-al")),
        (_vraag(o, series[3], "2026-01-10", _gebruiker(o)), (422, "cheque-vervallen")),
        (_vraag(o, series[1], "2024-12-31", _gebruiker(o)), (422, "aanvraag-voor-uitgifte")),
        (_vraag(o, series[3], "2025-04-01", organisator_b), (404, "cheque-onbekend")),  # another organisation
        (_vraag(o, series[3], "2025-04-01", _gebruiker(o, uuid.uuid4())), (404, "cheque-onbekend")),  # another's
        (_vraag(o, "ONBEKEND1", "2025-04-01", _gebruiker(o)), (404, "cheque-onbekend")),
        (_beslis(o, geweigerd, "goedgekeurd", "2025-04-05"), (409, "aanvraag-al-beslist")),
        (_beslis(o, open_, "goedgekeurd", "2025-03-30"), (422, "beslissing-voor-aanvraag")),
        (_beslis(o, open_, "goedgekeurd", "2025-04-05", organisator_b), (403, "alleen-centraal")),
        (_beslis(o, str(uuid.uuid4()), "goedgekeurd", "2025-04-05"), (404, "aanvraag-onbekend")),
    ]
    for verzoek, verwacht in gevallen:
        assert _regel(await verzoek) == verwacht
    r = await o.client.get(f"/v1/terugbetalingsaanvragen/{open_}", headers=o.tokens.headers(
        "cheques:read", org=str(ander), org_type="organisator"))
    assert _regel(r) == (404, "aanvraag-onbekend")
    assert await o.tellingen() == before

    # Outside the refund window (after the last valid day), before the job lapsed it.
    late = await _uitgegeven(o, oid, 1, "2025-01-06")
    assert _regel(await _vraag(o, late[0], "2026-01-06", _gebruiker(o))) == (422, "buiten-terugbetalingstermijn")
    # The open request, filed in time, is approved after the validity: refunded, not lapsed.
    r = await _beslis(o, open_, "goedgekeurd", "2026-01-20")
    assert (r.status_code, r.json()["cheque_status"]) == (200, "terugbetaald")
    # A cheque used after its request was filed: the approval is refused.
    derde = await _uitgegeven(o, oid, 1, "2025-01-06")
    aanvraag = (await _vraag(o, derde[0], "2025-03-01", _gebruiker(o))).json()["id"]
    await o.ok(validatie(derde[0], p.prestatie_id, op="2025-03-06"))
    assert _regel(await _beslis(o, aanvraag, "goedgekeurd", "2025-03-07")) == (409, "cheque-al-gebruikt")
