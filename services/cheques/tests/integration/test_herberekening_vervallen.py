"""Issue #23 item 2: the recompute on a real PostgreSQL and broker still shows zero
difference once the ledger holds refunds, expiries recorded by the platform's own job (run
late, and twice) and the storno of an expiry when a lapsed cheque pays a prestatie within
its validity — every cheques event delivered twice."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import text

from wijkwerk.events import Envelope
from wijkwerk_platform.testkit import archiveer

from .test_herberekening import _produceer, _relay_tweemaal, instellingen  # noqa: F401  (the module's topics)

pytestmark = pytest.mark.integration

G = uuid.uuid4()


async def test_the_recompute_folds_refunds_expiries_and_their_reversal_to_zero_difference(
    omgeving, instellingen, kafka_bootstrap  # noqa: F811
):
    o = omgeving
    prestaties_topic, cheques_topic = instellingen["prestaties_topic"], instellingen["cheques_topic"]
    suffix = cheques_topic.rsplit(".", 1)[1]
    oid = await o.organisator(745)
    w = uuid.uuid4()
    vroeg = o.prestatie_event(w, G, oid, uuid.uuid4(), date(2025, 3, 2), uren=2, minuten=90, vergoeding=300)
    laat = o.prestatie_event(w, G, oid, uuid.uuid4(), date(2026, 1, 4), uren=1, minuten=45, vergoeding=0)
    berichten = [(prestaties_topic, str(e.partition_key()).encode(), Envelope.wrap(e, producer="prestaties").to_bytes())
                 for e in (vroeg, laat)]
    await _produceer(kafka_bootstrap, berichten)
    await archiveer(o.prestaties_archief, [(k.decode(), v) for _, k, v in berichten])
    for p in (vroeg, laat):  # as the prestaties consumer would have
        await o.prestatie(p)

    bid = str(uuid.uuid4())
    await o.ok({"type": "bestelling.betaald", "bestelling_id": bid, "gebruiker_id": str(G), "organisator_id": str(oid),
                "aantal": 7, "drager": "elektronisch", "besteld_op": "2025-01-05"})
    s = [f"X{suffix}{i}" for i in range(7)]
    await o.ok({"type": "cheques.uitgegeven", "bestelling_id": bid, "serienummers": s, "uitgegeven_op": "2025-01-06"})
    for serie in s[:2]:
        await o.ok({"type": "cheque.gevalideerd", "serienummer": serie, "prestatie_id": str(vroeg.prestatie_id),
                    "gevalideerd_op": "2025-03-04"})
    gebruiker = o.tokens.headers("cheques:refund", org=str(G), org_type="gebruiker")
    admin = o.tokens.headers("cheques:admin")
    aanvraag = (await o.client.post(f"/v1/cheques/{s[2]}/terugbetalingsaanvragen", json={"gevraagd_op": "2025-06-01"},
                                    headers=gebruiker)).json()["id"]
    r = await o.client.post(f"/v1/terugbetalingsaanvragen/{aanvraag}/beslissing", headers=admin,
                            json={"beslissing": "goedgekeurd", "beslist_op": "2025-06-03"})
    assert r.status_code == 200, r.text
    await o.ok({"type": "cheque.terugbetaald", "serienummer": s[3], "terugbetaald_op": "2025-07-01"})  # by the issuer
    for tot in ("2026-02-01", "2026-02-01", "2026-04-30"):  # late, twice, and later still: the same facts
        r = await o.client.post("/v1/cheques/vervallingen", json={"tot": tot}, headers=admin)
        assert r.status_code == 200, r.text
    assert r.json()["aantal"] == 0
    await o.ok({"type": "cheque.vervallen", "serienummer": s[4], "vervallen_op": "2026-01-09"})  # nothing new
    await o.ok({"type": "cheque.gevalideerd", "serienummer": s[5], "prestatie_id": str(laat.prestatie_id),
                "gevalideerd_op": "2026-02-10"})  # lapsed, submitted late for a prestatie in its validity

    await _relay_tweemaal(o, kafka_bootstrap, cheques_topic)
    r = await o.client.post("/v1/grootboek/herberekening", headers=admin)
    assert r.status_code == 200, r.text
    rapport = r.json()
    assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], [])
    soorten = "SELECT soort, count(*) FROM grootboek_transacties GROUP BY 1"
    async with o.engine.connect() as conn:
        telling = dict((await conn.execute(text(soorten))).all())
    assert {k: telling.get(k) for k in ("cheque", "terugbetaling", "verval", "storno")} == {
        "cheque": 3, "terugbetaling": 2, "verval": 3, "storno": 1}
    assert rapport["vergeleken"] >= 6
