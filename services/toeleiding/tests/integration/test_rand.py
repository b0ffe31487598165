"""The edge inside the service (issue #22 item 6): a partner past its rate gets 429 with
Retry-After and the rule, other partners and internal services do not notice; /metrics on
its own port and not on the API's; the API documents switched off for production."""

from __future__ import annotations

import socket
import uuid

import httpx

from toeleiding.config import Settings
from toeleiding.entrypoints.api import create_app
from wijkwerk_platform.testing import migrated_database
from wijkwerk_platform.testkit import api_client

LEZEN = "toeleiding:read"


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_a_partner_past_its_rate_gets_429_and_no_other_caller_notices(embedded_pg, tokens):
    url = migrated_database(embedded_pg, "toeleiding", f"toel_{uuid.uuid4().hex[:8]}")
    app = create_app(Settings(database_url=url, run_workers=False, auth=tokens.auth_settings(),
                              rate_limit_per_s=0.01, rate_limit_burst=3))
    async with api_client(app) as client:
        partner = tokens.headers(LEZEN, sub="ocmw-gent")
        assert [(await client.get("/v1/organisatoren", headers=partner)).status_code for _ in range(3)] == [200] * 3
        refused = await client.get("/v1/organisatoren", headers=partner)
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert int(refused.headers["retry-after"]) >= 1
        assert refused.json()["rule"] == "te-veel-verzoeken"
        # another partner has its own bucket; an internal service none
        assert (await client.get("/v1/organisatoren", headers=tokens.headers(LEZEN, sub="vdab-centraal"))).status_code == 200
        dienst = tokens.headers(LEZEN, sub="cheques", org_type="service")
        assert [(await client.get("/v1/organisatoren", headers=dienst)).status_code for _ in range(5)] == [200] * 5
        # probes and a request without a token are not the bucket's business
        assert (await client.get("/health")).status_code == 200
        assert (await client.get("/v1/organisatoren")).json()["rule"] == "token-ontbreekt"
        metrics = (await client.get("/metrics")).text
    assert 'wijkwerk_http_rate_limited_total{service="toeleiding"}' in metrics


async def test_metrics_on_their_own_port_and_the_documents_off(embedded_pg, tokens):
    url = migrated_database(embedded_pg, "toeleiding", f"toel_{uuid.uuid4().hex[:8]}")
    poort = _vrije_poort()
    app = create_app(Settings(database_url=url, run_workers=False, auth=tokens.auth_settings(),
                              metrics_port=poort, metrics_host="127.0.0.1", docs=False))
    async with api_client(app) as client:
        for pad in ("/metrics", "/docs", "/redoc", "/openapi.json"):
            assert (await client.get(pad)).status_code == 404, pad
        assert (await client.get("/ready")).status_code == 200
        async with httpx.AsyncClient(trust_env=False) as scraper:
            r = await scraper.get(f"http://127.0.0.1:{poort}/metrics")
        assert r.status_code == 200
        assert "wijkwerk_http_request_duration_seconds" in r.text
    # nothing listens on the port once the service stopped (SO_REUSEADDR: the scrape's
    # connection may linger in TIME_WAIT, as any server restarting on its port allows)
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", poort))
