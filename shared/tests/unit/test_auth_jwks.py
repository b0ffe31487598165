"""Token verification against a JWKS served over HTTP on 127.0.0.1, as production does
against the identity provider: key rotation without a restart, removed keys, issuer,
audience, exp/nbf leeway, and a fetch that never blocks the event loop.

Documented behaviour (``wijkwerk.auth.JwksSleutels``): the key set is cached for its
lifespan (300 s); an unknown key id refetches at once, but at most once per 10 s; a key
removed from the JWKS is refused from the next fetch on — at the latest one lifespan
after the previous fetch, earlier when an unknown key id triggers a refetch. The clock is
injected, so no test waits for real time to pass.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Annotated

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import Depends, FastAPI
from jwt.algorithms import RSAAlgorithm

from wijkwerk.auth import (
    JWKS_LIFESPAN_S,
    JWKS_MIN_REFETCH_S,
    JwksSleutels,
    Principal,
    TokenVerifier,
    require,
)
from wijkwerk.problems import Problem
from wijkwerk.settings import AuthSettings
from wijkwerk_platform.testing import async_wait_until

ISSUER, AUDIENCE = "https://idp.example.test", "wijkwerk"
ORG = "6f1c0d4e-2b1a-4d7e-9a51-0c2f8e3b7a10"


@dataclass
class Sleutel:
    kid: str
    private: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(public_exponent=65537,
                                                                                          key_size=2048))

    @property
    def jwk(self) -> dict:
        return {**RSAAlgorithm.to_jwk(self.private.public_key(), as_dict=True), "kid": self.kid, "use": "sig",
                "alg": "RS256"}

    def token(self, *, iss: str = ISSUER, aud: str = AUDIENCE, exp: float | None = None, nbf: float | None = None,
              kid: str | None = None) -> str:
        now = time.time()
        claims = {"iss": iss, "aud": aud, "sub": "partner-1", "iat": int(now), "nbf": int(nbf or now),
                  "exp": int(exp or now + 300), "scope": "toeleiding:read", "org": ORG, "org_type": "organisator"}
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": kid or self.kid})


class Idp:
    """A JWKS endpoint whose key set the test changes; it counts requests and can hold
    an answer until the test releases it."""

    def __init__(self) -> None:
        self.sleutels: list[Sleutel] = []
        self.status = 200
        self.requests = 0
        self.gevraagd = threading.Event()
        self.vrijgeven: threading.Event | None = None
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                idp.requests += 1
                idp.gevraagd.set()
                if idp.vrijgeven is not None and not idp.vrijgeven.wait(timeout=10):
                    self.send_error(503)
                    return
                body = json.dumps({"keys": [s.jwk for s in idp.sleutels]}).encode()
                try:
                    self.send_response(idp.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the blocking case the test guards against)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/.well-known/jwks.json"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.vrijgeven is not None:
            self.vrijgeven.set()
        self.server.shutdown()
        self.server.server_close()


class Klok:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture(scope="module")
def sleutels() -> tuple[Sleutel, Sleutel]:
    return Sleutel("key-1"), Sleutel("key-2")


@pytest.fixture
def idp() -> Iterator[Idp]:
    server = Idp()
    try:
        yield server
    finally:
        server.stop()


def _settings(idp: Idp, leeway: int = 5) -> AuthSettings:
    return AuthSettings(jwks_url=idp.url, issuer=ISSUER, audience=AUDIENCE, leeway_seconds=leeway)


def _verifier(idp: Idp, klok: Klok, leeway: int = 5) -> TokenVerifier:
    return TokenVerifier(_settings(idp, leeway), jwks=JwksSleutels(idp.url, clock=klok))


def _geweigerd(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(Problem) as err:
        verifier.verify(token)
    assert err.value.status == 401
    return err.value.rule


def test_a_token_signed_with_a_published_key_verifies(idp, sleutels):
    key1, _ = sleutels
    idp.sleutels = [key1]
    principal = TokenVerifier(_settings(idp)).verify(key1.token())  # the production wiring: jwks_url only
    assert (principal.subject, principal.org, principal.scopes) == ("partner-1", ORG, frozenset({"toeleiding:read"}))


def test_a_rotated_in_key_is_accepted_without_a_restart(idp, sleutels):
    key1, key2 = sleutels
    klok, idp.sleutels = Klok(), [key1]
    verifier = _verifier(idp, klok)
    verifier.verify(key1.token())
    assert idp.requests == 1
    idp.sleutels = [key1, key2]  # the provider rotates: a new kid, well within the cache's lifespan
    klok.t += JWKS_MIN_REFETCH_S
    assert verifier.verify(key2.token()).subject == "partner-1"  # the unknown kid made it refetch
    assert idp.requests == 2
    verifier.verify(key1.token())
    verifier.verify(key2.token())
    assert idp.requests == 2  # known kids come from the cache


def test_made_up_key_ids_do_not_make_every_request_fetch(idp, sleutels):
    key1, _ = sleutels
    klok, idp.sleutels = Klok(), [key1]
    verifier = _verifier(idp, klok)
    verifier.verify(key1.token())
    for i in range(20):
        klok.t += JWKS_MIN_REFETCH_S / 40
        assert _geweigerd(verifier, key1.token(kid=f"verzonnen-{i}")) == "token-ongeldig"
    assert idp.requests == 1  # all within the minimum refetch interval
    klok.t += JWKS_MIN_REFETCH_S
    _geweigerd(verifier, key1.token(kid="nog-een"))
    assert idp.requests == 2  # then one refetch, not one per token


def test_a_removed_key_is_refused_once_the_cache_lifespan_has_passed(idp, sleutels):
    key1, key2 = sleutels
    klok, idp.sleutels = Klok(), [key1, key2]
    verifier = _verifier(idp, klok)
    verifier.verify(key1.token())
    idp.sleutels = [key2]  # key 1 is withdrawn
    klok.t += JWKS_LIFESPAN_S - 1
    verifier.verify(key1.token())  # still cached: accepted until the set is fetched again
    klok.t += 1
    assert _geweigerd(verifier, key1.token()) == "token-ongeldig"
    assert idp.requests == 2
    assert verifier.verify(key2.token()).subject == "partner-1"


def test_a_removed_key_is_refused_at_once_after_a_refetch(idp, sleutels):
    key1, key2 = sleutels
    key3 = Sleutel("key-3")
    klok, idp.sleutels = Klok(), [key1, key2]
    verifier = _verifier(idp, klok)
    verifier.verify(key1.token())
    idp.sleutels = [key2, key3]  # key 1 out, key 3 in
    klok.t += JWKS_MIN_REFETCH_S
    verifier.verify(key3.token())  # the new kid refetches the set ...
    assert _geweigerd(verifier, key1.token()) == "token-ongeldig"  # ... and with it key 1's removal


def test_when_the_provider_is_down_the_cached_keys_stay_in_use(idp, sleutels):
    key1, _ = sleutels
    klok, idp.sleutels = Klok(), [key1]
    verifier = _verifier(idp, klok)
    verifier.verify(key1.token())
    idp.status = 500
    klok.t += JWKS_LIFESPAN_S
    verifier.verify(key1.token())  # the refetch failed; the keys fetched before still hold
    verifier.verify(key1.token())
    assert idp.requests == 2  # and the failed fetch is not retried on every request
    idp.status = 200
    klok.t += JWKS_MIN_REFETCH_S
    verifier.verify(key1.token())
    assert idp.requests == 3


def test_a_provider_that_never_answered_refuses_every_token(idp, sleutels):
    key1, _ = sleutels
    idp.status = 500
    assert _geweigerd(_verifier(idp, Klok()), key1.token()) == "token-ongeldig"


@pytest.mark.parametrize(("claims", "rule"), [
    ({"iss": "https://another-idp.example.test"}, "token-ongeldig"),
    ({"aud": "another-audience"}, "token-ongeldig"),
])
def test_a_wrong_issuer_or_audience_is_refused(idp, sleutels, claims, rule):
    key1, _ = sleutels
    idp.sleutels = [key1]
    assert _geweigerd(_verifier(idp, Klok()), key1.token(**claims)) == rule


def test_exp_and_nbf_hold_with_a_small_leeway(idp, sleutels):
    key1, _ = sleutels
    idp.sleutels = [key1]
    verifier = _verifier(idp, Klok(), leeway=5)
    now = time.time()
    verifier.verify(key1.token(exp=now - 2))  # expired 2 s ago: within the 5 s leeway
    assert _geweigerd(verifier, key1.token(exp=now - 60)) == "token-verlopen"
    verifier.verify(key1.token(nbf=now + 2))  # valid in 2 s: within the leeway
    assert _geweigerd(verifier, key1.token(nbf=now + 60)) == "token-ongeldig"


def test_a_token_that_is_no_jwt_is_refused_without_a_fetch(idp):
    verifier = _verifier(idp, Klok())
    assert _geweigerd(verifier, "geen.jwt.token") == "token-ongeldig"
    assert _geweigerd(verifier, "onzin") == "token-ongeldig"
    assert idp.requests == 0


async def test_a_jwks_fetch_during_a_request_does_not_block_the_event_loop(idp, sleutels):
    """The provider holds its answer until a coroutine on the test's event loop releases it.
    Had the fetch blocked the loop, that coroutine could not run before the fetch timed out
    (5 s) and the request would be refused (checked by running this test against a
    ``verify_async`` that calls the blocking ``verify``); it is admitted instead."""
    key1, _ = sleutels
    idp.sleutels = [key1]
    idp.vrijgeven = threading.Event()
    app = FastAPI()
    app.state.token_verifier = TokenVerifier(_settings(idp))

    @app.get("/beschermd")
    async def beschermd(principal: Annotated[Principal, Depends(require("toeleiding:read"))]) -> dict:
        return {"sub": principal.subject}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        verzoek = asyncio.create_task(
            client.get("/beschermd", headers={"Authorization": f"Bearer {key1.token()}"}))
        await async_wait_until(idp.gevraagd.is_set, timeout=10)  # runs while the fetch is under way
        idp.vrijgeven.set()
        response = await verzoek
    assert (response.status_code, response.json()) == (200, {"sub": "partner-1"})
    assert idp.requests == 1


async def test_verify_async_checks_exactly_what_verify_checks(idp, sleutels):
    key1, key2 = sleutels
    idp.sleutels = [key1]
    verifier = _verifier(idp, Klok())
    assert (await verifier.verify_async(key1.token())).subject == "partner-1"
    for token in (key2.token(), key1.token(aud="x"), key1.token(exp=time.time() - 60), "onzin"):
        with pytest.raises(Problem):
            await verifier.verify_async(token)


def test_the_local_key_path_is_unchanged(tmp_path):
    from wijkwerk.auth import ensure_local_keypair, mint_token

    private, public = ensure_local_keypair(tmp_path)
    token = mint_token(private, subject="s", scopes=["a:read"], org=str(uuid.uuid4()), org_type="organisator")
    assert TokenVerifier(AuthSettings(public_key_file=str(public))).verify(token).scopes == {"a:read"}


def test_a_remembered_token_of_a_removed_key_is_refused_once_the_set_is_fetched_again(idp, sleutels):
    key1, key2 = sleutels
    klok, idp.sleutels = Klok(), [key1, key2]
    verifier = _verifier(idp, klok)
    token = key1.token()
    verifier.verify(token)
    idp.sleutels = [key2]  # key 1 is withdrawn
    klok.t += JWKS_LIFESPAN_S
    assert _geweigerd(verifier, token) == "token-ongeldig"  # the same string: not served from memory
