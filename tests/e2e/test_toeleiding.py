"""Referral over HTTP, seen by the other services: evaluatie's RPT-07 counts it and a
trajectory ended by an evaluation outcome on the evaluatie topic ends in toeleiding."""

from __future__ import annotations

import uuid
from datetime import date

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from wijkwerk.events import Envelope
from wijkwerk.events.evaluatie import EvaluatieUitgevoerd
from wijkwerk.events.topics import EVALUATIE
from wijkwerk.testing import wait_until

pytestmark = pytest.mark.e2e

SCOPES = ("toeleiding:admin", "toeleiding:read", "toeleiding:write", "rapportering:read")


def _post(system, service: str, path: str, body: dict, headers: dict) -> dict:
    r = httpx.post(system.url(service) + path, json=body, headers=headers, timeout=10)
    assert r.status_code in (200, 201), r.text
    return r.json()


async def test_a_referral_reaches_the_reports_and_an_evaluation_ends_it(system):
    h = system.tokens.headers(*SCOPES)
    org = _post(system, "toeleiding", "/v1/organisatoren", {
        "naam": "Wijk-werken Westhoek", "samenwerkingsverband": "Westhoek", "tarief": "7.45",
        "tarief_vanaf": "2018-01-01", "gemeenten": [{"nis_code": "33011", "naam": "Ieper"}],
    }, h)
    wie = _post(system, "toeleiding", "/v1/wijkwerkers", {
        "insz": "85073003328", "voornaam": "Jan", "achternaam": "Vermeulen", "domicilie_nis_code": "33011",
        "organisator_id": org["id"], "uitkeringsstatus": "ziekteuitkering", "vdab_ingeschreven": True,
        "iban": "BE68539007547034", "ingeschreven_op": "2026-02-01",
    }, h)
    traject = _post(system, "toeleiding", "/v1/toeleidingen", {
        "wijkwerker_id": wie["id"], "organisator_id": org["id"], "toeleider_type": "GTB", "advies_maanden": 12,
        "ontvangen_op": "2026-02-03", "start": "2026-02-10",
    }, h)
    _post(system, "toeleiding", f"/v1/trajecten/{traject['id']}/overeenkomst", {"getekend_op": "2026-02-09"}, h)

    def rpt07() -> int:
        r = httpx.get(system.url("evaluatie") + "/v1/rapporten/advies",
                      params={"van": "2026-01-01", "tot": "2026-12-31", "organisator_id": org["id"]}, headers=h)
        return r.json()["totaal"] if r.status_code == 200 else -1

    wait_until(lambda: rpt07() == 1, timeout=30)

    # VDAB's evaluation (the evaluatie service will publish it, #7) says: outflow to work.
    evaluatie = EvaluatieUitgevoerd(
        evaluatie_id=uuid.uuid4(), wijkwerker_id=uuid.UUID(wie["id"]), traject_id=uuid.UUID(traject["id"]),
        organisator_id=uuid.UUID(org["id"]), datum=date(2026, 8, 1), uitkomst="uitstroom_werk",
    )
    producer = AIOKafkaProducer(bootstrap_servers=f"127.0.0.1:{system.kafka_port}")
    await producer.start()
    try:
        await producer.send_and_wait(EVALUATIE, Envelope.wrap(evaluatie, producer="evaluatie").to_bytes(),
                                     key=wie["id"].encode())
    finally:
        await producer.stop()

    def einde() -> str | None:
        r = httpx.get(system.url("toeleiding") + f"/v1/wijkwerkers/{wie['id']}/trajecten", headers=h)
        return r.json()[0]["werkelijk_einde"]

    wait_until(lambda: einde() == "2026-08-01", timeout=30)
