"""Issue #21 item 12 on a real PostgreSQL: a gebruiker's cheque stock per organiser and
carrier as of a date (ordered, issued, validated, refunded, expired, outstanding; only
facts dated by then), and the issuer validating by serials + the prestatie reference the
gebruiker sees, without the platform's internal id."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from cheques.service_layer import terugdraaien
from cheques.service_layer.consumenten import prestaties
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk import prestatiecode
from wijkwerk.db import session_factory
from wijkwerk.events import Envelope
from wijkwerk.events.prestaties import PrestatieGeannuleerd
from wijkwerk.messaging.consumer import pas_toe

pytestmark = pytest.mark.integration

G = uuid.uuid4()
REFERENTIE = prestatiecode.maak(1)  # P-000001-Y


async def _wereld(o):
    """Order A: 5 paper cheques issued 6 Jan 2026 (valid through 5 Jan 2027); order B: 3
    electronic issued 2 Feb (through 1 Feb 2027); order C: 2 paper ordered 1 Jun, not issued.
    A prestatie of 3 started hours on 2 Mar takes 2 paper cheques (by its reference, 5 Mar)
    and 1 electronic (by its id, 6 Mar); one paper cheque is refunded on 1 Apr; the prestatie
    is cancelled on 10 Apr, which reverses its three validations."""
    oid = await o.organisator(745)
    a, b, c = (str(uuid.uuid4()) for _ in range(3))
    for bid, aantal, drager, op in ((a, 5, "papier", "2026-01-05"), (b, 3, "elektronisch", "2026-02-01"),
                                    (c, 2, "papier", "2026-06-01")):
        await o.ok({"type": "bestelling.betaald", "bestelling_id": bid, "gebruiker_id": str(G),
                    "organisator_id": str(oid), "aantal": aantal, "drager": drager, "besteld_op": op})
    papier = [f"PA{i}-{uuid.uuid4().hex[:6]}" for i in range(5)]
    elektronisch = [f"EL{i}-{uuid.uuid4().hex[:6]}" for i in range(3)]
    await o.ok({"type": "cheques.uitgegeven", "bestelling_id": a, "serienummers": papier, "uitgegeven_op": "2026-01-06"})
    await o.ok({"type": "cheques.uitgegeven", "bestelling_id": b, "serienummers": elektronisch,
                "uitgegeven_op": "2026-02-02"})
    p = o.prestatie_event(uuid.uuid4(), G, oid, uuid.uuid4(), date(2026, 3, 2), uren=3).model_copy(
        update={"referentie": REFERENTIE})
    await o.prestatie(p)
    return oid, papier, elektronisch, p


async def test_validation_by_the_prestatie_reference_the_gebruiker_sees(omgeving):
    o = omgeving
    oid, papier, elektronisch, p = await _wereld(o)
    # As a gebruiker would read it off its screen: lower case, spaces instead of hyphens.
    r = await o.ok({"type": "cheques.gevalideerd", "serienummers": papier[:2],
                    "prestatie_referentie": REFERENTIE.lower().replace("-", " "), "gevalideerd_op": "2026-03-05"})
    assert r["verwerkt"] is True
    for serie in papier[:2]:
        cheque = (await o.client.get(f"/v1/cheques/{serie}", headers=o.tokens.headers("cheques:read"))).json()
        assert (cheque["status"], cheque["prestatie_id"]) == ("gevalideerd", str(p.prestatie_id))
    voor = await o.tellingen()
    fout = REFERENTIE[:-1] + ("A" if REFERENTIE[-1] != "A" else "B")
    for body, rule in (
        ({"prestatie_referentie": fout}, (422, "prestatie-referentie-ongeldig")),
        # a well-formed reference not known here yet may still be on its way: retryable
        ({"prestatie_referentie": prestatiecode.maak(2)}, (409, "prestatie-nog-onbekend")),
        ({"prestatie_referentie": REFERENTIE, "prestatie_id": str(p.prestatie_id)}, (422, "prestatie-of-referentie")),
        ({}, (422, "prestatie-of-referentie")),
    ):
        r = await o.webhook({"type": "cheque.gevalideerd", "serienummer": papier[2], "gevalideerd_op": "2026-03-05",
                             **body})
        assert (r.status_code, r.json()["rule"]) == rule, r.text
    assert await o.tellingen() == voor  # a refused delivery leaves nothing behind
    # The third started hour, by reference too: the usual rules apply (a fourth is one too many).
    await o.ok({"type": "cheque.gevalideerd", "serienummer": elektronisch[0], "prestatie_referentie": REFERENTIE,
                "gevalideerd_op": "2026-03-06"})
    r = await o.webhook({"type": "cheque.gevalideerd", "serienummer": papier[2], "prestatie_referentie": REFERENTIE,
                         "gevalideerd_op": "2026-03-06"})
    assert (r.status_code, r.json()["rule"]) == (422, "meer-cheques-dan-uren")


async def _stock(o, pad: str, op: str, headers=None) -> dict:
    r = await o.client.get(pad, params={"op": op}, headers=headers or o.tokens.headers("cheques:read"))
    assert r.status_code == 200, r.text
    return {rij["drager"]: {k: rij[k] for k in ("besteld", "uitgegeven", "gevalideerd", "terugbetaald", "vervallen",
                                                "openstaand")}
            for rij in r.json()["rijen"]}


def _rij(besteld, uitgegeven, gevalideerd, terugbetaald, vervallen, openstaand) -> dict:
    return {"besteld": besteld, "uitgegeven": uitgegeven, "gevalideerd": gevalideerd, "terugbetaald": terugbetaald,
            "vervallen": vervallen, "openstaand": openstaand}


async def test_the_cheque_stock_as_of_a_date_counts_only_facts_dated_by_then(omgeving):
    o = omgeving
    oid, papier, elektronisch, p = await _wereld(o)
    await o.ok({"type": "cheques.gevalideerd", "serienummers": papier[:2], "prestatie_referentie": REFERENTIE,
                "gevalideerd_op": "2026-03-05"})
    await o.ok({"type": "cheque.gevalideerd", "serienummer": elektronisch[0], "prestatie_id": str(p.prestatie_id),
                "gevalideerd_op": "2026-03-06"})
    await o.ok({"type": "cheque.terugbetaald", "serienummer": papier[4], "terugbetaald_op": "2026-04-01"})
    annulering = PrestatieGeannuleerd(
        prestatie_id=p.prestatie_id, wijkwerker_id=p.wijkwerker_id, gebruiker_id=G, organisator_id=oid,
        koppeling_id=p.koppeling_id, datum=p.datum, door="organisator", begonnen_uren=3, reden="niet doorgegaan")
    envelope = Envelope.wrap(annulering, producer="prestaties",
                             occurred_at=datetime(2026, 4, 10, 9, 0, tzinfo=UTC))
    async with o.sessions() as session, session.begin():
        await pas_toe(prestaties.prestatie_geannuleerd, annulering, ChequesUnitOfWork.joined(session, envelope=envelope))
    await terugdraaien.voer_uit(lambda: ChequesUnitOfWork(session_factory(o.engine)))

    pad = f"/v1/gebruikers/{G}/chequevoorraad"
    # Every answer below is asked after all of the above happened: a past date is reproduced.
    assert await _stock(o, pad, "2026-01-05") == {"papier": _rij(5, 0, 0, 0, 0, 0)}
    assert await _stock(o, pad, "2026-03-31") == {"papier": _rij(5, 5, 2, 0, 0, 3),
                                                  "elektronisch": _rij(3, 3, 1, 0, 0, 2)}
    assert await _stock(o, pad, "2026-04-05") == {"papier": _rij(5, 5, 2, 1, 0, 2),
                                                  "elektronisch": _rij(3, 3, 1, 0, 0, 2)}
    assert await _stock(o, pad, "2026-04-30") == {"papier": _rij(5, 5, 0, 1, 0, 4),
                                                  "elektronisch": _rij(3, 3, 0, 0, 0, 3)}
    assert await _stock(o, pad, "2026-06-15") == {"papier": _rij(7, 5, 0, 1, 0, 4),
                                                  "elektronisch": _rij(3, 3, 0, 0, 0, 3)}
    # paper valid through 5 Jan 2027, electronic through 1 Feb 2027.
    assert await _stock(o, pad, "2027-01-05") == {"papier": _rij(7, 5, 0, 1, 0, 4),
                                                  "elektronisch": _rij(3, 3, 0, 0, 0, 3)}
    assert await _stock(o, pad, "2027-01-06") == {"papier": _rij(7, 5, 0, 1, 4, 0),
                                                  "elektronisch": _rij(3, 3, 0, 0, 0, 3)}
    assert await _stock(o, pad, "2027-02-02") == {"papier": _rij(7, 5, 0, 1, 4, 0),
                                                  "elektronisch": _rij(3, 3, 0, 0, 3, 0)}

    per_organisator = await o.client.get(f"/v1/organisatoren/{oid}/chequevoorraad", params={"op": "2026-03-31"},
                                         headers=o.tokens.headers("cheques:read"))
    body = per_organisator.json()
    assert {r["gebruiker_id"] for r in body["rijen"]} == {str(G)}
    assert body["totalen"] == _rij(8, 8, 3, 0, 0, 5)


async def test_the_stock_is_scoped_to_the_organiser_and_the_gebruiker(omgeving):
    o = omgeving
    oid, papier, _, _ = await _wereld(o)
    eigen = o.tokens.headers("cheques:read", org=str(oid), org_type="organisator")
    ander = o.tokens.headers("cheques:read", org=str(uuid.uuid4()), org_type="organisator")
    gebruiker = o.tokens.headers("cheques:read", org=str(G), org_type="gebruiker")
    andere_gebruiker = o.tokens.headers("cheques:read", org=str(uuid.uuid4()), org_type="gebruiker")
    verwacht = {"papier": _rij(5, 5, 0, 0, 0, 5), "elektronisch": _rij(3, 3, 0, 0, 0, 3)}
    for h in (eigen, gebruiker):
        assert await _stock(o, f"/v1/gebruikers/{G}/chequevoorraad", "2026-03-31", h) == verwacht
        assert await _stock(o, f"/v1/organisatoren/{oid}/chequevoorraad", "2026-03-31", h) == verwacht
    for h in (ander, andere_gebruiker):
        for pad in (f"/v1/gebruikers/{G}/chequevoorraad", f"/v1/organisatoren/{oid}/chequevoorraad"):
            r = await o.client.get(pad, params={"op": "2026-03-31"}, headers=h)
            assert (r.status_code, r.json()["rijen"]) == (200, [])
            assert set(r.json()["totalen"].values()) == {0}
