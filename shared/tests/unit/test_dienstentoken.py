"""Service-to-service tokens: OAuth2 client credentials at the identity provider's token
endpoint, cached and renewed before they expire; the local key in the embedded default."""

import asyncio
import base64
from urllib.parse import parse_qs

import httpx
import pytest
from pydantic import ValidationError

from wijkwerk.auth import TokenVerifier
from wijkwerk.dienstentoken import ClientCredentials, TokenOnbeschikbaar, service_token
from wijkwerk.settings import AuthSettings
from wijkwerk_platform.testkit import Tokens

TOKEN_URL = "https://idp.example.test/oauth2/token"


class Klok:
    def __init__(self) -> None:
        self.nu = 1000.0

    def __call__(self) -> float:
        return self.nu


class Idp:
    """A token endpoint that hands out numbered tokens and records what it was asked."""

    def __init__(self, expires_in: object = 300, **antwoord) -> None:
        self.expires_in, self.antwoord, self.verzoeken = expires_in, antwoord, []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.verzoeken.append(request)
        body = {"access_token": f"tok-{len(self.verzoeken)}", "token_type": "Bearer", "expires_in": self.expires_in}
        return httpx.Response(200, json=body | self.antwoord)


def _client(idp, klok, **kw) -> ClientCredentials:
    return ClientCredentials(TOKEN_URL, "cheques", "s3cret", ["cheques:payout"], audience="wijkwerk", clock=klok,
                             transport=httpx.MockTransport(idp), **kw)


async def test_the_client_authenticates_with_its_credentials_and_asks_for_its_scopes():
    idp = Idp()
    assert await _client(idp, Klok())() == "tok-1"
    [r] = idp.verzoeken
    assert r.method == "POST" and str(r.url) == TOKEN_URL
    assert r.headers["authorization"] == "Basic " + base64.b64encode(b"cheques:s3cret").decode()
    form = {k: v[0] for k, v in parse_qs(r.content.decode()).items()}
    assert form == {"grant_type": "client_credentials", "scope": "cheques:payout", "audience": "wijkwerk"}


async def test_the_token_is_cached_and_renewed_a_minute_before_it_expires():
    idp, klok = Idp(expires_in=300), Klok()
    client = _client(idp, klok)
    assert await client() == "tok-1"
    klok.nu += 239
    assert await client() == "tok-1"  # still more than a minute to go
    klok.nu += 1
    assert await client() == "tok-2"
    assert client.fetches == 2


async def test_a_short_lived_token_is_renewed_halfway_and_one_without_lifetime_every_time():
    idp, klok = Idp(expires_in=40), Klok()
    client = _client(idp, klok)
    await client()
    klok.nu += 19
    assert await client() == "tok-1"
    klok.nu += 1
    assert await client() == "tok-2"
    zonder = _client(Idp(expires_in=None), klok)
    assert [await zonder(), await zonder()] == ["tok-1", "tok-2"]


async def test_callers_at_the_same_moment_share_one_fetch():
    idp = Idp()
    client = _client(idp, Klok())
    assert set(await asyncio.gather(*(client() for _ in range(10)))) == {"tok-1"}
    assert len(idp.verzoeken) == 1


@pytest.mark.parametrize(
    "idp",
    [
        lambda r: httpx.Response(401, json={"error": "invalid_client"}),
        lambda r: httpx.Response(503),
        lambda r: httpx.Response(200, text="<html>"),
        Idp(access_token=None),
        Idp(access_token=""),
        Idp(token_type="mac"),
    ],
    ids=["credentials refused", "down", "no json", "no token", "empty token", "not bearer"],
)
async def test_no_usable_answer_is_token_onbeschikbaar(idp):
    with pytest.raises(TokenOnbeschikbaar) as exc:
        await _client(idp, Klok())()
    assert "s3cret" not in str(exc.value)


async def test_a_failed_fetch_is_tried_again_on_the_next_call():
    antwoorden = iter([httpx.Response(503), httpx.Response(200, json={"access_token": "t", "expires_in": 300})])
    client = _client(lambda r: next(antwoorden), Klok())
    with pytest.raises(TokenOnbeschikbaar):
        await client()
    assert await client() == "t"


async def test_the_embedded_default_signs_a_service_token_with_the_local_key(tmp_path):
    tokens = Tokens.create(tmp_path)
    token = service_token(tokens.auth_settings(), subject="cheques", scopes=["cheques:payout"])
    assert token is not None
    principal = TokenVerifier(tokens.auth_settings()).verify(await token())
    assert (principal.subject, principal.org_type, principal.scopes) == ("cheques", "service", {"cheques:payout"})


def test_a_token_endpoint_takes_precedence_and_nothing_configured_is_none(tmp_path):
    tokens = Tokens.create(tmp_path)
    instellingen = AuthSettings(public_key_file=str(tokens.public_key), private_key_file=str(tokens.private_key),
                                token_url=TOKEN_URL, client_id="cheques", client_secret="s3cret")
    assert isinstance(service_token(instellingen, subject="cheques", scopes=[]), ClientCredentials)
    assert service_token(AuthSettings(), subject="cheques", scopes=[]) is None


def test_a_token_endpoint_without_client_credentials_is_refused(monkeypatch):
    monkeypatch.setenv("AUTH_TOKEN_URL", TOKEN_URL)
    monkeypatch.setenv("AUTH_CLIENT_ID", "cheques")
    with pytest.raises(ValidationError, match="AUTH_CLIENT_SECRET"):
        AuthSettings()
