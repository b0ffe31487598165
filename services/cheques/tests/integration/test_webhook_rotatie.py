"""Rotating an issuer's webhook secret without downtime, through the HTTP route: during the
overlap deliveries signed with the old and with the new secret are both accepted; after the
old secret's window only the new one is, and a refused delivery writes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import orjson
import pytest

from cheques.domain import handtekening
from cheques.entrypoints.deps import get_klok

pytestmark = pytest.mark.integration

OUD, NIEUW = "oud-geheim-van-vdab", "whsec_bmlldXctZ2VoZWltLXZhbi0zMi1ieXRlcy0tLS0tLS0="
T = datetime(2027, 1, 15, tzinfo=UTC)  # the old secret's last moment (exclusive)


@pytest.fixture
def instellingen() -> dict:
    return {"issuer_secrets": {"vdab": [
        {"secret": OUD, "valid_until": T},
        {"secret": NIEUW, "valid_from": T - timedelta(days=1)},
    ]}}


def _bestelling(oid) -> dict:
    return {"type": "bestelling.betaald", "bestelling_id": str(uuid.uuid4()), "gebruiker_id": str(uuid.uuid4()),
            "organisator_id": str(oid), "aantal": 1, "drager": "papier", "besteld_op": "2026-01-05"}


async def test_old_and_new_secret_during_the_overlap_only_the_new_after_it(omgeving):
    o = omgeving
    oid = await o.organisator()

    async def stuur(geheim, op: datetime):
        o.app.dependency_overrides[get_klok] = lambda: op.timestamp  # our clock at that moment
        return await o.webhook(_bestelling(oid), geheim=geheim, ts=int(op.timestamp()))

    overlap, na = T - timedelta(hours=12), T + timedelta(minutes=1)
    for geheim in (OUD, NIEUW, [OUD, NIEUW]):  # the issuer may also sign with both at once
        r = await stuur(geheim, overlap)
        assert r.status_code == 200, (geheim, r.text)
    r = await stuur(NIEUW, na)
    assert r.status_code == 200, r.text

    before = await o.tellingen()
    r = await stuur(OUD, na)
    assert (r.status_code, r.json()["rule"]) == (401, "handtekening-ongeldig")
    assert await o.tellingen() == before
    # before its window the new secret opened nothing either
    r = await stuur(NIEUW, T - timedelta(days=2))
    assert (r.status_code, r.json()["rule"]) == (401, "handtekening-ongeldig")


async def test_a_delivery_replayed_under_another_id_is_refused(omgeving):
    """The delivery id is signed: a captured delivery sent again under a fresh id (to get
    past the redelivery check) does not verify."""
    o = omgeving
    oid = await o.organisator()
    op = T - timedelta(days=3)
    o.app.dependency_overrides[get_klok] = lambda: op.timestamp
    bestelling = _bestelling(oid)
    await o.erkenning(bestelling["gebruiker_id"], oid)  # the order needs an active erkenning
    raw = orjson.dumps(bestelling)
    headers = handtekening.headers(OUD, "lev-echt", int(op.timestamp()), raw) | {"content-type": "application/json"}
    assert (await o.client.post("/v1/webhooks/vdab", content=raw, headers=headers)).status_code == 200
    before = await o.tellingen()
    r = await o.client.post("/v1/webhooks/vdab", content=raw, headers=headers | {"webhook-id": "lev-ander"})
    assert (r.status_code, r.json()["rule"]) == (401, "handtekening-ongeldig")
    assert await o.tellingen() == before
