"""A referral in toeleiding becomes hours in prestaties, across processes.

toeleiding refers a worker and the agreement is signed → outbox → Kafka → prestaties
knows the trajectory window; a gebruiker with an active erkenning, an activity and a
placement are set up over HTTP; prestaties are registered and their
``PrestatieGeregistreerd`` events are on ``wijkwerk.prestaties.v1`` for cheques and
evaluatie to consume. A prestatie outside the trajectory is refused.
"""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.structs import TopicPartition

from wijkwerk.events.topics import PRESTATIES
from wijkwerk_platform.testing import wait_until

pytestmark = pytest.mark.e2e

SCOPES = (
    "toeleiding:admin", "toeleiding:read", "toeleiding:write", "prestaties:read", "prestaties:write", "prestaties:admin",
)


def _post(url: str, body: dict, headers: dict, status: int = 201) -> dict:
    r = httpx.post(url, json=body, headers=headers, timeout=10)
    assert r.status_code == status, r.text
    return r.json()


def _verwijzing(system, h) -> tuple[str, str, str]:
    """Organiser, dossier, referral (6 months from 5 Jan 2026) and signed agreement."""
    toeleiding = system.url("toeleiding")
    oid = _post(toeleiding + "/v1/organisatoren", {
        "naam": "Wijk-werken Westhoek", "samenwerkingsverband": "Westhoek", "tarief": "7.45", "tarief_vanaf": "2018-01-01",
        "gemeenten": [{"nis_code": "33011", "naam": "Ieper"}, {"nis_code": "33021", "naam": "Poperinge"}],
    }, h)["id"]
    wid = _post(toeleiding + "/v1/wijkwerkers", {
        "insz": "85073003328", "voornaam": "Lien", "achternaam": "Decock", "domicilie_nis_code": "33011",
        "organisator_id": oid, "uitkeringsstatus": "leefloon", "vdab_ingeschreven": True,
        "iban": "BE68539007547034", "ingeschreven_op": "2026-01-02",
    }, h)["id"]
    tid = _post(toeleiding + "/v1/toeleidingen", {
        "wijkwerker_id": wid, "organisator_id": oid, "toeleider_type": "OCMW", "advies_maanden": 6,
        "ontvangen_op": "2026-01-05", "start": "2026-01-05",
    }, h)["id"]
    _post(toeleiding + f"/v1/trajecten/{tid}/overeenkomst", {"getekend_op": "2026-01-05"}, h, status=200)
    return oid, wid, tid


def _venster_getekend(system, h, wid: str) -> bool:
    r = httpx.get(system.url("prestaties") + f"/v1/wijkwerkers/{wid}/trajecten", headers=h, timeout=5)
    return r.status_code == 200 and r.json()[0]["overeenkomst_op"] == "2026-01-05"


def _koppeling(system, h, oid: str, wid: str) -> str:
    """A school with an active erkenning, an activity allowed at schools, a placement 12 km away."""
    prestaties = system.url("prestaties")
    gid = _post(prestaties + "/v1/gebruikers", {
        "categorie": "school", "naam": "VBS Sint-Jozef", "aangemeld_op": "2026-01-05", "aangemeld_bij": oid}, h)["id"]
    eid = _post(prestaties + f"/v1/gebruikers/{gid}/erkenningen", {
        "organisator_id": oid, "geldig_vanaf": "2026-01-05", "overeenkomst_op": "2026-01-05"}, h)["id"]
    _post(prestaties + f"/v1/erkenningen/{eid}/betalingen", {"betaald_op": "2026-01-06"}, h, status=200)
    aid = _post(prestaties + f"/v1/organisatoren/{oid}/activiteiten", {
        "naam": "Toezicht speelplaats", "categorie": "onderwijs_en_kinderopvang",
        "toegelaten_categorieen": ["school"]}, h)["id"]
    return _post(prestaties + "/v1/koppelingen", {
        "wijkwerker_id": wid, "gebruiker_id": gid, "organisator_id": oid, "activiteit_id": aid,
        "locatie_nis_code": "33021", "afstand_km": 12, "start": "2026-01-12"}, h)["id"]


async def _gepubliceerd(port: int, wijkwerker_id: str, verwacht: int, timeout: float = 15) -> list[tuple[bytes, dict]]:
    """The PrestatieGeregistreerd events of one worker on the prestaties topic, read from the start."""
    consumer = AIOKafkaConsumer(bootstrap_servers=f"127.0.0.1:{port}", enable_auto_commit=False)
    await consumer.start()
    gevonden: list[tuple[bytes, dict]] = []
    try:
        await consumer.topics()
        consumer.assign([TopicPartition(PRESTATIES, p) for p in consumer.partitions_for_topic(PRESTATIES) or ()])
        await consumer.seek_to_beginning()
        deadline = asyncio.get_running_loop().time() + timeout
        while len(gevonden) < verwacht and asyncio.get_running_loop().time() < deadline:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for r in records:
                    envelope = json.loads(r.value)
                    if envelope["event_type"] == "PrestatieGeregistreerd" and r.key == wijkwerker_id.encode():
                        gevonden.append((r.key, envelope))
    finally:
        await consumer.stop()
    return gevonden


def test_a_referral_becomes_prestaties_whose_events_reach_the_topic(system):
    h = system.tokens.headers(*SCOPES)
    oid, wid, tid = _verwijzing(system, h)
    wait_until(lambda: _venster_getekend(system, h, wid), timeout=20, interval=0.1)
    kid = _koppeling(system, h, oid, wid)

    prestaties = system.url("prestaties") + "/v1/prestaties"
    geregistreerd = [
        _post(prestaties, {"koppeling_id": kid, "datum": datum, "start": "13:00", "minuten": minuten, "door": "gebruiker"}, h)
        for datum, minuten in (("2026-02-02", 130), ("2026-02-03", 90))
    ]
    assert [p["begonnen_uren"] for p in geregistreerd] == [3, 2]
    buiten = httpx.post(prestaties, headers=h, timeout=10, json={
        "koppeling_id": kid, "datum": "2026-08-03", "start": "13:00", "minuten": 60, "door": "gebruiker"})
    assert (buiten.status_code, buiten.json()["rule"]) == (422, "buiten-traject")

    events = asyncio.run(_gepubliceerd(system.kafka_port, wid, verwacht=2))
    payloads = sorted((e["payload"] for _, e in events), key=lambda p: p["datum"])
    assert [p["prestatie_id"] for p in payloads] == [p["id"] for p in geregistreerd]
    eerste = payloads[0]
    assert (eerste["traject_id"], eerste["organisator_id"], eerste["koppeling_id"]) == (tid, oid, kid)
    assert (eerste["begonnen_uren"], eerste["gebruiker_categorie"], eerste["recht_op_verplaatsingsvergoeding"]) == (
        3, "school", True,
    )
    assert "Decock" not in json.dumps([e for _, e in events]) and "85073003328" not in json.dumps([e for _, e in events])
