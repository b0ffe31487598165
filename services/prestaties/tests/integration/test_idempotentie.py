"""Idempotency keys on prestaties' POSTs, on a real PostgreSQL (issue #21, item 8): a
partner retrying after a timeout never creates a second prestatie, gebruiker or placement,
also when its retries run at the same time."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import pytest
from sqlalchemy import text

from prestaties.entrypoints.schemas.werk import PrestatieOut
from wijkwerk.events.toeleiding import TrajectGestart

pytestmark = pytest.mark.integration


def _sleutel(env, **kw) -> dict[str, str]:
    return {**env.h(**kw), "Idempotency-Key": str(uuid.uuid4())}


async def _tot_beantwoord(env, path: str, body: dict, headers: dict) -> list:
    """Retries as the README tells partners: a 409 with Retry-After is sent again."""
    antwoorden = []
    for _ in range(200):
        r = await env.client.post(path, json=body, headers=headers)
        antwoorden.append(r)
        if not (r.status_code == 409 and "retry-after" in r.headers):
            return antwoorden
        await asyncio.sleep(0.01)
    raise AssertionError("still in progress after 200 retries")


async def _prestaties_en_events(env, wijkwerker_id: str) -> tuple[int, int]:
    rijen = await env.scalar("SELECT count(*) FROM prestaties WHERE wijkwerker_id = :w", w=uuid.UUID(wijkwerker_id))
    events = await env.scalar(
        "SELECT count(*) FROM outbox WHERE event_type = 'PrestatieGeregistreerd' AND key = :w", w=wijkwerker_id)
    return rijen, events


async def test_concurrent_retries_with_one_key_create_one_prestatie_and_one_event(env, wereld):
    w = await wereld()
    headers = _sleutel(env)
    pogingen = await asyncio.gather(*(
        _tot_beantwoord(env, "/v1/prestaties", w.prestatie(), headers) for _ in range(8)))
    laatste = [p[-1] for p in pogingen]
    assert {r.status_code for r in laatste} == {201}
    assert len({r.json()["id"] for r in laatste}) == 1, [r.text for r in laatste]
    assert sum(r.headers.get("idempotent-replayed") != "true" for r in laatste) == 1  # one ran, the rest replayed
    onderweg = [r for p in pogingen for r in p[:-1]]
    assert all(r.json()["rule"] == "idempotentie-sleutel-in-behandeling" for r in onderweg)
    assert await _prestaties_en_events(env, w.wijkwerker_id) == (1, 1)

    # Later, the same again: the stored answer, byte for byte; nothing new written.
    again = await env.client.post("/v1/prestaties", json=w.prestatie(), headers=headers)
    assert (again.status_code, again.content) == (201, laatste[0].content)
    assert again.headers["idempotent-replayed"] == "true"
    assert await _prestaties_en_events(env, w.wijkwerker_id) == (1, 1)


@pytest.mark.parametrize("soort", ["gebruiker", "koppeling"])
async def test_concurrent_retries_create_one_gebruiker_or_placement(env, wereld, soort):
    w = await wereld()
    if soort == "gebruiker":
        path, tabel, event = "/v1/gebruikers", "gebruikers", "GebruikerGeregistreerd"
        body = {"categorie": "vzw", "naam": f"vzw {uuid.uuid4()}", "aangemeld_op": "2025-02-01",
                "aangemeld_bij": w.organisator_id}
    else:
        path, tabel, event = "/v1/koppelingen", "koppelingen", "KoppelingGemaakt"
        body = {"wijkwerker_id": w.wijkwerker_id, "gebruiker_id": w.gebruiker_id, "organisator_id": w.organisator_id,
                "activiteit_id": w.activiteit_id, "locatie_nis_code": "31022", "afstand_km": 3, "start": "2025-02-01"}
    rijen_voor = await env.scalar(f"SELECT count(*) FROM {tabel}")
    events_voor = await env.scalar("SELECT count(*) FROM outbox WHERE event_type = :t", t=event)
    headers = _sleutel(env)
    pogingen = await asyncio.gather(*(_tot_beantwoord(env, path, body, headers) for _ in range(6)))
    assert {p[-1].status_code for p in pogingen} == {201}
    assert len({p[-1].json()["id"] for p in pogingen}) == 1
    assert await env.scalar(f"SELECT count(*) FROM {tabel}") == rijen_voor + 1
    assert await env.scalar("SELECT count(*) FROM outbox WHERE event_type = :t", t=event) == events_voor + 1


async def test_the_same_key_with_another_body_is_refused_and_writes_nothing(env, wereld):
    w = await wereld()
    headers = _sleutel(env)
    assert (await env.client.post("/v1/prestaties", json=w.prestatie(), headers=headers)).status_code == 201
    r = await env.client.post("/v1/prestaties", json=w.prestatie(minuten=30), headers=headers)
    assert (r.status_code, r.json()["rule"]) == (422, "idempotentie-sleutel-hergebruikt"), r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert await _prestaties_en_events(env, w.wijkwerker_id) == (1, 1)


async def test_keys_are_per_caller(env, wereld):
    """Two partners that happen to pick the same key each get their own prestatie."""
    w = await wereld()
    sleutel = str(uuid.uuid4())
    for sub in ("partner-a", "partner-b"):
        r = await env.client.post("/v1/prestaties", json=w.prestatie(), headers={**env.h(sub=sub), "Idempotency-Key": sleutel})
        assert r.status_code == 201 and "idempotent-replayed" not in r.headers, r.text
    assert await _prestaties_en_events(env, w.wijkwerker_id) == (2, 2)


async def test_a_refusal_is_stored_and_answered_again(env, wereld):
    w = await wereld()
    headers = _sleutel(env)
    weigering = await env.client.post("/v1/prestaties", json=w.prestatie(datum="2026-01-05"), headers=headers)
    assert (weigering.status_code, weigering.json()["rule"]) == (422, "buiten-traject")
    again = await env.client.post("/v1/prestaties", json=w.prestatie(datum="2026-01-05"), headers=headers)
    assert (again.status_code, again.content, again.headers["idempotent-replayed"]) == (422, weigering.content, "true")



async def test_a_retryable_answer_is_not_stored_and_the_retry_goes_through(env, wereld):
    """A placement for a worker whose trajectory has not reached prestaties yet answers
    409 + Retry-After: the key stays free, and the retry, once the event is consumed,
    creates the placement."""
    w = await wereld()
    nieuw, traject = uuid.uuid4(), uuid.uuid4()
    body = {"wijkwerker_id": str(nieuw), "gebruiker_id": w.gebruiker_id, "organisator_id": w.organisator_id,
            "activiteit_id": w.activiteit_id, "locatie_nis_code": "31005", "afstand_km": 3, "start": "2025-02-01"}
    headers = _sleutel(env)
    r = await env.client.post("/v1/koppelingen", json=body, headers=headers)
    assert (r.status_code, r.json()["rule"], r.headers["retry-after"]) == (409, "traject-nog-onbekend", "2"), r.text
    await env.fold(TrajectGestart(
        traject_id=traject, toeleiding_id=uuid.uuid4(), wijkwerker_id=nieuw, organisator_id=uuid.UUID(w.organisator_id),
        start=date(2025, 1, 6), gepland_einde=date(2025, 12, 31), max_einde=date(2025, 12, 31),
    ))
    r = await env.client.post("/v1/koppelingen", json=body, headers=headers)
    assert r.status_code == 201 and "idempotent-replayed" not in r.headers, r.text


async def test_a_failure_after_the_effect_leaves_nothing_and_the_retry_creates_it_once(env, wereld, monkeypatch):
    """The effect, its outbox row and the key commit together: a crash between the handler's
    commit and the answer (here: building the answer fails) rolls all three back."""
    w = await wereld()
    headers = _sleutel(env)

    def kapot(prestatie):
        raise RuntimeError("the process died while answering")

    with monkeypatch.context() as m, pytest.raises(RuntimeError):  # the in-process client re-raises
        m.setattr(PrestatieOut, "of", staticmethod(kapot))
        await env.client.post("/v1/prestaties", json=w.prestatie(), headers=headers)
    assert await _prestaties_en_events(env, w.wijkwerker_id) == (0, 0)
    assert (await env.client.post("/v1/prestaties", json=w.prestatie(), headers=headers)).status_code == 201
    assert await _prestaties_en_events(env, w.wijkwerker_id) == (1, 1)


async def test_a_malformed_key_is_refused_with_its_rule(env, wereld):
    w = await wereld()
    r = await env.client.post("/v1/prestaties", json=w.prestatie(), headers={**env.h(), "Idempotency-Key": "a b"})
    assert (r.status_code, r.json()["rule"]) == (400, "idempotentie-sleutel-ongeldig")
    assert await _prestaties_en_events(env, w.wijkwerker_id) == (0, 0)


async def test_without_a_key_nothing_changes(env, wereld):
    w = await wereld()
    for _ in range(2):
        assert (await env.client.post("/v1/prestaties", json=w.prestatie(), headers=env.h())).status_code == 201
    assert await _prestaties_en_events(env, w.wijkwerker_id) == (2, 2)


async def test_an_expired_key_counts_as_new_and_the_purge_removes_expired_keys(env, wereld):
    from wijkwerk.db.idempotency import purge_expired

    w = await wereld()
    headers = _sleutel(env)
    assert (await env.client.post("/v1/prestaties", json=w.prestatie(), headers=headers)).status_code == 201
    async with env.engine.begin() as conn:
        await conn.execute(text("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = :k"),
                           {"k": headers["Idempotency-Key"]})
    r = await env.client.post("/v1/prestaties", json=w.prestatie(minuten=30), headers=headers)
    assert r.status_code == 201 and "idempotent-replayed" not in r.headers, r.text  # expired: a new request
    async with env.engine.begin() as conn:
        await conn.execute(text("UPDATE idempotency_keys SET expires_at = now() - interval '1 second'"))
    assert await purge_expired(env.engine, batch=2) >= 1
    assert await env.scalar("SELECT count(*) FROM idempotency_keys") == 0
