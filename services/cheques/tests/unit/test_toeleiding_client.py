"""The bank-details client: a service token, retries on a passing failure, an unknown
worker left out, and an outage as a problem without the IBAN in it."""

import uuid

import httpx
import pytest

from cheques.adapters import toeleiding
from cheques.domain.fouten import Onbeschikbaar

W1, W2 = uuid.uuid4(), uuid.uuid4()


async def tok() -> str:
    return "tok"


async def test_details_are_fetched_with_a_token_retried_once_and_unknown_workers_left_out(monkeypatch):
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append((request.url.path, request.headers["authorization"]))
        if request.url.path.endswith(f"{W1}/bankgegevens") and len(calls) == 1:
            return httpx.Response(503)
        if str(W2) in request.url.path:
            return httpx.Response(404, json={"rule": "wijkwerker-onbekend"})
        return httpx.Response(200, json={"wijkwerker_id": str(W1), "naam": "An Peeters", "iban": "BE68539007547034"})

    monkeypatch.setattr(toeleiding.httpx, "AsyncClient", _transport(handler))
    found = await toeleiding.ToeleidingBankgegevens("http://toeleiding", tok, pogingen=3).haal([W1, W2])
    assert found == {W1: toeleiding.Bankrekening("An Peeters", "BE68539007547034")}
    assert [c[1] for c in calls] == ["Bearer tok"] * 3
    assert "BE68" not in repr(found)


async def test_an_outage_is_a_503_problem(monkeypatch):
    monkeypatch.setattr(toeleiding.httpx, "AsyncClient", _transport(lambda request: httpx.Response(500)))
    with pytest.raises(Onbeschikbaar) as exc:
        await toeleiding.ToeleidingBankgegevens("http://toeleiding", tok, pogingen=2).haal([W1])
    assert (exc.value.status, exc.value.rule) == (503, "bankgegevens-onbeschikbaar")


def _transport(handler):
    real = httpx.AsyncClient

    def client(**kw):
        return real(transport=httpx.MockTransport(handler), **kw)

    return client


async def test_no_service_token_is_a_503_problem_and_calls_nobody(monkeypatch):
    from wijkwerk.dienstentoken import TokenOnbeschikbaar

    calls = []
    monkeypatch.setattr(toeleiding.httpx, "AsyncClient", _transport(lambda r: calls.append(r) or httpx.Response(200)))

    async def weg() -> str:
        raise TokenOnbeschikbaar("the identity provider is down")

    with pytest.raises(Onbeschikbaar) as exc:
        await toeleiding.ToeleidingBankgegevens("http://toeleiding", weg, pogingen=2).haal([W1])
    assert (exc.value.status, exc.value.rule, calls) == (503, "bankgegevens-onbeschikbaar", [])


async def test_the_payout_requests_correlation_id_goes_along_for_toeleidings_audit_record(monkeypatch):
    from wijkwerk.observability import set_correlation_id

    gezien = []
    monkeypatch.setattr(toeleiding.httpx, "AsyncClient", _transport(
        lambda r: gezien.append(r.headers.get("x-correlation-id")) or httpx.Response(404)))
    set_correlation_id("uitbetaling-2026-03")
    try:
        await toeleiding.ToeleidingBankgegevens("http://toeleiding", tok).haal([W1])
    finally:
        set_correlation_id(None)
    assert gezien == ["uitbetaling-2026-03"]
