"""A payout end to end with production settings (issue #18, "Must show"): all four services
started through the image's entrypoint with WIJKWERK_ENV=production and nothing but
environment variables — PostgreSQL and the broker by URL (the session's embedded engines,
one role and database per service as deploy/postgres/init creates them), tokens verified
against an identity provider's JWKS and service tokens fetched from its token endpoint by
OAuth2 client credentials (both served by this test), issuer secrets and the debtor account
set. From a validated cheque to a SEPA file, approved by a second principal; the bank's
pain.002 rejects the transfer, the storno makes the money payable again, April's run pays it
to the corrected IBAN, and the ledger equals its recomputation from the event streams."""

from __future__ import annotations

import base64
import importlib.util
import json
import subprocess
import threading
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from test_production_start import (  # type: ignore[import-not-found]
    ALL,
    ENTRYPOINT,
    _clean_env,
    _database_urls,
    _init_script,
    _ready,
    _run,
)

from cheques import testbank
from wijkwerk.auth import LOCAL_KEY_ID, mint_token
from wijkwerk_platform.cli.services import service
from wijkwerk_platform.embedded import free_port
from wijkwerk_platform.testing import wait_until
from wijkwerk_platform.testkit import Tokens

pytestmark = pytest.mark.integration

E2E = Path(__file__).resolve().parents[1] / "e2e" / "test_cheques.py"
ISSUER_SECRET = "prod-issuer-secret-of-vdab"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
NEW_IBAN = "BE71096123456769"


def _e2e_helpers():
    """The referral → prestaties → cheques helpers of the e2e test (not collected again here)."""
    spec = importlib.util.spec_from_file_location("_e2e_cheques_helpers", E2E)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Idp:
    """The identity provider: a JWKS with the signing key, and a client-credentials token
    endpoint that knows each service's client id and secret."""

    def __init__(self, tokens: Tokens, clients: dict[str, str]) -> None:
        public = serialization.load_pem_public_key(tokens.public_key.read_bytes())
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(public)) | {"kid": LOCAL_KEY_ID, "use": "sig", "alg": "RS256"}
        self.uitgegeven: Counter[str] = Counter()
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def _json(self, status: int, body: dict) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:
                self._json(200, {"keys": [jwk]}) if self.path == "/jwks" else self._json(404, {})

            def do_POST(self) -> None:
                form = parse_qs(self.rfile.read(int(self.headers.get("content-length", 0))).decode())
                basic = self.headers.get("authorization", "").removeprefix("Basic ")
                client, _, secret = base64.b64decode(basic or b"").decode().partition(":")
                if self.path != "/token" or form.get("grant_type") != ["client_credentials"] or \
                        clients.get(client) != secret:
                    return self._json(401, {"error": "invalid_client"})
                idp.uitgegeven[client] += 1
                token = mint_token(tokens.private_key, subject=client, scopes=form.get("scope", [""])[0].split(),
                                   org_type="service", ttl_seconds=300)
                self._json(200, {"access_token": token, "token_type": "Bearer", "expires_in": 300})

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Systeem:
    def __init__(self, base: dict[str, str], tokens: Tokens) -> None:
        self.base, self.tokens = base, tokens

    def url(self, naam: str) -> str:
        return self.base[naam]


def _start(tmp_path: Path, embedded_pg, kafka_bootstrap: str, tokens: Tokens, idp: Idp, clients: dict[str, str]):
    prefix = f"pay{uuid.uuid4().hex[:6]}_"
    passwords = {name: f"{name}-{uuid.uuid4().hex[:8]}" for name in ALL}
    # as deployed: the init script's owner and application roles; migrations as the owner,
    # the services as the application role (ADR 0011)
    _init_script(embedded_pg, tmp_path, prefix, passwords)
    urls = _database_urls(embedded_pg, prefix, passwords)
    kafka_env = {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "KAFKA_TOPIC_PARTITIONS": "2",
                 "KAFKA_REPLICATION_FACTOR": "1"}
    _run((["wijkwerk", "migrate"], _clean_env(tmp_path, **urls)),
         (["wijkwerk", "topics", "--timeout", "30"], _clean_env(tmp_path, **kafka_env)))
    ports = {n: free_port() for n in ALL}
    base = {n: f"http://127.0.0.1:{ports[n]}" for n in ALL}
    procs: dict[str, subprocess.Popen] = {}
    for name in ALL:
        spec = service(name)
        env = _clean_env(
            tmp_path, WIJKWERK_SERVICE=name, PORT=str(ports[name]), WIJKWERK_ENV="production",
            KAFKA_CONSUMER_MODE="subscribe", AUTH_JWKS_URL=f"{idp.url}/jwks", AUTH_ISSUER="wijkwerk-local",
            AUTH_AUDIENCE="wijkwerk", AUTH_TOKEN_URL=f"{idp.url}/token", AUTH_CLIENT_ID=name,
            AUTH_CLIENT_SECRET=clients[name], CHEQUES_ISSUER_SECRETS=json.dumps({"vdab": ISSUER_SECRET}),
            CHEQUES_SEPA_NAAM="VDAB Wijk-werken", CHEQUES_SEPA_IBAN="BE55000000000044",
            WIJKWERK_VINGERAFDRUK_SLEUTEL="prod-vingerafdruk-sleutel",
            **{spec.database_url_env: urls[spec.database_url_env], f"{spec.env_prefix}_RUN_WORKERS": "true"},
            **kafka_env, **{service(n).url_env: base[n] for n in ALL},
        )
        with (tmp_path / f"{name}.log").open("wb") as log:  # the child keeps its own descriptor
            procs[name] = subprocess.Popen(["sh", str(ENTRYPOINT), "--host", "127.0.0.1"], env=env, stdout=log,
                                           stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    return prefix, base, procs


def test_a_payout_with_production_settings_from_cheque_to_bank_rejection_and_payment_again(
    embedded_pg, kafka_bootstrap, tmp_path
):
    e2e = _e2e_helpers()
    tokens = Tokens.create(tmp_path / "keys")
    clients = {n: f"{n}-client-secret-{uuid.uuid4().hex[:6]}" for n in ALL}
    idp = Idp(tokens, clients)
    prefix, base, procs = "", {}, {}
    try:
        prefix, base, procs = _start(tmp_path, embedded_pg, kafka_bootstrap, tokens, idp, clients)
        wait_until(lambda: any(p.poll() is not None for p in procs.values()) or all(_ready(u) for u in base.values()),
                   timeout=120, interval=0.2)
        for name, proc in procs.items():
            assert proc.poll() is None, f"{name} exited:\n{(tmp_path / f'{name}.log').read_text()[-4000:]}"
        systeem = Systeem(base, tokens)
        h = tokens.headers(*e2e.SCOPES, sub="beheerder")

        # a validated cheque's worth: 9 cheques for 3 prestaties of 2h10 at 10 km
        org, wie = e2e._toeleiding(systeem, h)
        gebruiker, prestaties = e2e._prestaties(systeem, h, org, wie)
        uitgever = e2e.Uitgever(systeem)
        uitgever.geheim = ISSUER_SECRET  # CHEQUES_ISSUER_SECRETS, not the embedded default's
        bestelling = {"type": "bestelling.betaald", "bestelling_id": str(uuid.uuid4()), "gebruiker_id": gebruiker,
                      "organisator_id": org, "aantal": 9, "drager": "papier", "besteld_op": "2026-02-20"}
        uitgever.tot_aanvaard(bestelling, "bestelling-1")
        series = [f"WW-2026-{i:06d}" for i in range(9)]
        assert uitgever.stuur({"type": "cheques.uitgegeven", "bestelling_id": bestelling["bestelling_id"],
                               "serienummers": series, "uitgegeven_op": "2026-02-21"}).status_code == 200
        for i, serie in enumerate(series):
            p = prestaties[i // 3]
            uitgever.tot_aanvaard({"type": "cheque.gevalideerd", "serienummer": serie, "prestatie_id": p["id"],
                                   "gevalideerd_op": str(date.fromisoformat(p["datum"]) + timedelta(days=10))},
                                  f"validatie-{i}")

        # drawn up by one principal (bank details from toeleiding with a client-credentials token) …
        auteur = tokens.headers("cheques:payout", sub="boekhouder-1")
        controleur = tokens.headers("cheques:payout", sub="controleur-2")
        run = e2e._post(systeem, "cheques", "/v1/uitbetalingen/2026-03", {}, auteur)
        assert (run["status"], run["totaal"], run["zonder_bankgegevens"]) == ("opgesteld", "45.90", [])
        assert idp.uitgegeven["cheques"] >= 1
        # … refused to approve it themselves, approved by a second principal
        r = httpx.post(f"{base['cheques']}/v1/uitbetalingen/2026-03/goedkeuring", headers=auteur, timeout=10)
        assert (r.status_code, r.json()["rule"]) == (403, "uitbetaling-vier-ogen")
        e2e._post(systeem, "cheques", "/v1/uitbetalingen/2026-03/goedkeuring", {}, controleur)
        pain001 = httpx.get(f"{base['cheques']}/v1/uitbetalingen/2026-03/sepa", headers=auteur, timeout=10).content
        tx = ET.fromstring(pain001).find(".//p:CdtTrfTxInf", NS)
        assert (tx.find("p:Amt/p:InstdAmt", NS).text, tx.find("p:CdtrAcct/p:Id/p:IBAN", NS).text) == ("45.90", e2e.IBAN)
        assert ET.fromstring(pain001).find(".//p:DbtrAcct/p:Id/p:IBAN", NS).text == "BE55000000000044"
        e2e._post(systeem, "cheques", "/v1/uitbetalingen/2026-03/verzending", {}, auteur)

        # the bank rejects the transfer (closed account): booked back on the bank's date
        e2e_id = run["uitbetalingen"][0]["end_to_end_id"]
        rapport = testbank.statusrapport(pain001, op=datetime(2026, 4, 3, 9), groepstatus="RJCT", groepreden="AC04",
                                         transacties={e2e_id: ("RJCT", "AC04")})
        r = httpx.post(f"{base['cheques']}/v1/bankberichten/statusrapport", content=rapport, timeout=10,
                       headers=auteur | {"content-type": "application/xml"})
        assert r.status_code == 200, r.text
        assert (r.json()["status"], r.json()["uitbetalingen"][0]["status"]) == ("geweigerd", "geweigerd")

        # the worker's account is corrected in toeleiding; April's run pays the money again, there
        e2e._post(systeem, "toeleiding", f"/v1/wijkwerkers/{wie}/wijzigingen",
                  {"gewijzigd_op": "2026-04-04", "iban": NEW_IBAN, "reden": "rekening afgesloten"}, h)
        april = e2e._post(systeem, "cheques", "/v1/uitbetalingen/2026-04", {}, auteur)
        assert [(u["wijkwerker_id"], u["bedrag"]) for u in april["uitbetalingen"]] == [(wie, "45.90")]
        e2e._post(systeem, "cheques", "/v1/uitbetalingen/2026-04/goedkeuring", {}, controleur)
        pain001 = httpx.get(f"{base['cheques']}/v1/uitbetalingen/2026-04/sepa", headers=auteur, timeout=10).content
        assert ET.fromstring(pain001).find(".//p:CdtTrfTxInf/p:CdtrAcct/p:Id/p:IBAN", NS).text == NEW_IBAN
        historiek = httpx.get(f"{base['cheques']}/v1/wijkwerkers/{wie}/uitbetalingen", headers=auteur, timeout=10)
        assert [(u["periode"], u["status"], u["reden"]) for u in historiek.json()["uitbetalingen"]] == [
            ("2026-03", "geweigerd", "AC04"), ("2026-04", "in_behandeling", None)]

        # ledger == recompute (prestaties' archive read over HTTP with a client-credentials token)
        rapport = e2e._post(systeem, "cheques", "/v1/grootboek/herberekening", {}, h)
        assert (rapport["verschil_cent"], rapport["verschillen"], rapport["fouten"]) == (0, [], [])
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        idp.stop()
        if prefix:
            for name in ALL:
                embedded_pg.drop_database(f"{prefix}{name}")
