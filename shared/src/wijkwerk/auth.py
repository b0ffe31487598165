"""Bearer-JWT authentication with scopes and an organisation claim.

Production verifies tokens against the partner identity provider's JWKS; the embedded
default signs with a local RSA key (``wijkwerk token``). Both paths use PyJWT, never
hand-rolled crypto.

The JWKS (:class:`JwksSleutels`) is cached and refetched on an unknown key id, so a key
rotation needs no restart. A fetch is blocking I/O: request handling
(:func:`current_principal`) runs it on a worker thread, never on the event loop.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import anyio.to_thread
import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from wijkwerk.actor import zet_actor
from wijkwerk.events.envelope import Actor
from wijkwerk.gegevensscope import GEEN_ORGANISATOR as GEEN_ORGANISATOR  # re-exported
from wijkwerk.gegevensscope import Gegevensscope
from wijkwerk.problems import Problem
from wijkwerk.settings import AuthSettings
from wijkwerk.tokengeheugen import Tokengeheugen

ALGORITHMS = ["RS256", "ES256", "EdDSA"]
LOCAL_KEY_ID = "wijkwerk-local"
JWKS_LIFESPAN_S = 300.0  # keys are refetched at least this often: a removed key is refused by then
JWKS_MIN_REFETCH_S = 10.0  # an unknown kid refetches early, but not more often than this
JWKS_TIMEOUT_S = 5.0

log = logging.getLogger("wijkwerk.auth")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the verified token reduced to what authorisation needs."""

    subject: str
    scopes: frozenset[str]
    org: str | None = None
    org_type: str | None = None
    claims: dict = field(default_factory=dict, compare=False, repr=False)

    def has(self, scope: str) -> bool:
        return scope in self.scopes

    def actor(self) -> Actor:
        """The principal as an audit trail and event metadata name it."""
        return Actor(subject=self.subject, org=self.org, org_type=self.org_type or "onbekend")

    @property
    def is_service(self) -> bool:
        """Internal callers (another service, VDAB central) see every organisation."""
        return self.org_type in CENTRAL


# The kinds of caller a token may name in its ``org_type`` claim. Central callers see every
# organisation; the others see only what belongs to the organisation in their ``org`` claim
# (an organiser's or gebruiker's id is a UUID, a referrer's id any name the IdP gives it).
# A ``wijkwerker`` token is a worker's own (its ``org`` is the worker's pseudonymous
# wijkwerker_id): it sees only that worker's own documents (issue #23 item 5) and nothing
# organisation-wide, so every other route refuses it by default.
CENTRAL = frozenset({"vdab", "service"})
ORG_ID_IS_UUID = {"organisator": True, "gebruiker": True, "toeleider": False, "wijkwerker": True}
ORG_TYPES = CENTRAL | frozenset(ORG_ID_IS_UUID)


def organisatie_claims(org_type: object, org: object) -> tuple[str, str | None]:
    """The caller's kind and organisation from a token's claims, or a 403 naming what is
    wrong. Fail closed: one identity-provider mapping mistake (the claim left out, spelt
    in another case, an organiser without its id) must not widen what a caller sees."""
    if org_type is None or org_type == "":
        raise Problem(403, "org-type-ontbreekt", "The token carries no org_type claim: nothing is allowed.")
    if not isinstance(org_type, str) or org_type not in ORG_TYPES:
        raise Problem(
            403, "org-type-onbekend", f"The token's org_type is not one of: {', '.join(sorted(ORG_TYPES))}."
        )
    if org is not None and not isinstance(org, str):
        raise Problem(403, "org-ongeldig", "The token's org claim is not a string.")
    if org_type in CENTRAL:
        return org_type, org or None
    if org is None or not org.strip():
        raise Problem(403, "org-ontbreekt", f"A token of org_type {org_type} must name its organisation (the org claim).")
    if ORG_ID_IS_UUID[org_type]:
        try:
            org = str(uuid.UUID(org))  # one spelling, so comparing with stored ids cannot miss
        except ValueError:
            raise Problem(403, "org-ongeldig", f"The org claim of an {org_type} token must be its id (a UUID).") from None
    return org_type, org


def _scopes(claims: dict) -> frozenset[str]:
    """``scope`` as a space-separated string (RFC 8693) or a list; ``scp`` likewise."""
    claim = claims.get("scope") or claims.get("scp") or ""
    scopes = claim.split() if isinstance(claim, str) else claim
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        raise Problem(403, "scope-ongeldig", "The token's scope claim is neither a string nor a list of strings.")
    return frozenset(scopes)


def ensure_local_keypair(keys_dir: Path) -> tuple[Path, Path]:
    """Create the embedded default's RSA signing key once; later runs reuse it."""
    keys_dir.mkdir(parents=True, exist_ok=True)
    private_path = keys_dir / "jwt-private.pem"
    public_path = keys_dir / "jwt-public.pem"
    if not private_path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        private_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        private_path.chmod(0o600)
        public_path.write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    return private_path, public_path


def mint_token(
    private_key_path: Path,
    *,
    subject: str,
    scopes: list[str],
    org: str | None = None,
    org_type: str | None = None,
    ttl_seconds: int = 3600,
    issuer: str = "wijkwerk-local",
    audience: str = "wijkwerk",
) -> str:
    """Sign a token with the local key (embedded default, tests, service-to-service)."""
    now = int(time.time())
    claims: dict = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "iat": now,
        "nbf": now,
        "exp": now + ttl_seconds,
        "jti": str(uuid.uuid4()),
        "scope": " ".join(scopes),
    }
    if org is not None:
        claims["org"] = org
    if org_type is not None:
        claims["org_type"] = org_type
    return jwt.encode(
        claims, private_key_path.read_bytes(), algorithm="RS256", headers={"kid": LOCAL_KEY_ID}
    )


class JwksSleutels:
    """The identity provider's signing keys (its JWKS), by key id.

    The set is cached for ``lifespan_s``. A token with a key id not in the cache makes it
    refetch at once (a rotated-in key is accepted without a restart), but at most once per
    ``min_refetch_s``: tokens with made-up key ids cannot turn every request into a call to
    the provider. A key removed from the JWKS is refused from the next fetch on: at the
    latest ``lifespan_s`` after the previous one, earlier when an unknown key id triggers a
    refetch. When a fetch fails the keys fetched before stay in use (the provider being
    down must not lock everybody out) and the next attempt waits ``min_refetch_s``.
    One fetch at a time; it is blocking I/O, so async callers use :meth:`haal` on a thread.
    """

    def __init__(
        self,
        url: str,
        *,
        lifespan_s: float = JWKS_LIFESPAN_S,
        min_refetch_s: float = JWKS_MIN_REFETCH_S,
        timeout_s: float = JWKS_TIMEOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._lifespan_s = lifespan_s
        self._min_refetch_s = min_refetch_s
        self._timeout_s = timeout_s
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None  # last successful fetch
        self.versie = 0  # raised by every successful fetch: what was verified before is verified again
        self._attempted_at: float | None = None  # last attempt, successful or not
        self.fetches = 0  # attempts, for tests and metrics

    def moet_halen(self, kid: str | None) -> bool:
        """Whether finding ``kid`` needs a fetch first (expired cache, or an unknown kid).
        A token without a key id never makes it fetch: no key could match."""
        if kid is None:
            return False
        now = self._clock()
        if self._attempted_at is not None and now - self._attempted_at < self._min_refetch_s:
            return False
        if self._fetched_at is None or now - self._fetched_at >= self._lifespan_s:
            return True
        return kid not in self._keys

    def haal(self, kid: str | None = None) -> None:
        """Fetch the JWKS if ``kid`` needs it (blocking; one caller at a time fetches)."""
        with self._lock:
            if not self.moet_halen(kid):
                return  # fresh enough, or another thread fetched meanwhile
            self._attempted_at = self._clock()
            self.fetches += 1
            try:
                response = httpx.get(self.url, timeout=self._timeout_s, follow_redirects=False)
                response.raise_for_status()
                keys = jwt.PyJWKSet.from_dict(response.json()).keys
            except (httpx.HTTPError, ValueError, jwt.PyJWTError) as exc:
                log.warning("JWKS fetch from %s failed (%s); keeping %d cached keys", self.url, exc, len(self._keys))
                return
            self._keys = {k.key_id: k for k in keys if k.key_id and k.public_key_use in (None, "sig")}
            self._fetched_at = self._attempted_at
            self.versie += 1

    def sleutel(self, kid: str | None, *, halen: bool = True) -> jwt.PyJWK:
        """The key for ``kid``, fetching first when needed and ``halen`` allows it."""
        if halen:
            self.haal(kid)
        found = self._keys.get(kid) if kid else None
        if found is None:
            raise jwt.InvalidTokenError("The token's key id is not in the identity provider's JWKS.")
        return found


class TokenVerifier:
    """Verifies a bearer token: signature, issuer, audience, exp/nbf with leeway.

    A verified token is remembered by its exact string (a bounded LRU of
    ``CACHE_TOKENS``): a partner sends the same token with every request until it expires,
    and verifying its signature and claims again cost ≈ 0.15 ms a request (bench figure 3).
    An entry is served only before the token's ``exp`` (the leeway is not extended to it),
    for at most ``CACHE_S``, and only while the JWKS it was verified against is unchanged:
    a refetched set (a key removed) makes every token verify again. Refusals are not
    remembered.
    """

    CACHE_TOKENS = 4096
    CACHE_S = 60.0

    def __init__(self, settings: AuthSettings, *, jwks: JwksSleutels | None = None,
                 wandklok: Callable[[], float] = time.time) -> None:
        self._settings = settings
        self._jwks: JwksSleutels | None = jwks
        self._public_key: object | None = None  # parsed once: PyJWT would parse the PEM per token
        if self._jwks is None and settings.jwks_url:
            self._jwks = JwksSleutels(settings.jwks_url)
        elif self._jwks is None and settings.public_key_file:
            self._public_key = serialization.load_pem_public_key(Path(settings.public_key_file).read_bytes())
        self._geheugen = Tokengeheugen(self.CACHE_TOKENS, self.CACHE_S, wandklok)

    def verify(self, token: str) -> Principal:
        """Blocking when the JWKS must be fetched: async code awaits :meth:`verify_async`."""
        if self._jwks is not None:
            self._jwks.haal(_kid(token))
        versie = self._jwks.versie if self._jwks is not None else 0
        return self._geheugen.zoek(token, versie) or self._geheugen.onthoud(
            token, self._verify(token, halen=False), versie)

    async def verify_async(self, token: str) -> Principal:
        """As :meth:`verify`; a JWKS fetch runs on a worker thread, not on the event loop."""
        if self._jwks is not None:
            kid = _kid(token)
            if self._jwks.moet_halen(kid):
                await anyio.to_thread.run_sync(self._jwks.haal, kid)
        versie = self._jwks.versie if self._jwks is not None else 0
        return self._geheugen.zoek(token, versie) or self._geheugen.onthoud(
            token, self._verify(token, halen=False), versie)

    def _verify(self, token: str, *, halen: bool) -> Principal:
        try:
            if self._jwks is not None:
                key = self._jwks.sleutel(_kid(token), halen=halen).key
            elif self._public_key is not None:
                key = self._public_key
            else:
                raise Problem(401, "token-ongeldig", "No token verification key is configured.")
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=self._settings.audience,
                issuer=self._settings.issuer,
                leeway=self._settings.leeway_seconds,
                options={"require": ["exp", "iat", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Problem(401, "token-verlopen", "The bearer token has expired.") from exc
        except (jwt.PyJWTError, ValueError) as exc:
            raise Problem(401, "token-ongeldig", "The bearer token is not valid.") from exc
        # A valid signature but claims we cannot trust to scope the data: 403, not 401.
        org_type, org = organisatie_claims(claims.get("org_type"), claims.get("org"))
        return Principal(subject=claims["sub"], scopes=_scopes(claims), org=org, org_type=org_type, claims=claims)


def _kid(token: str) -> str | None:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.PyJWTError:
        return None  # not a JWT at all: refused by the verification that follows
    return kid if isinstance(kid, str) else None


_bearer = HTTPBearer(auto_error=False)


TOKEN_COOKIE = "wijkwerk_token"


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is not None and credentials.scheme.lower() == "bearer":
        token = credentials.credentials
    elif (cookie := request.cookies.get(TOKEN_COOKIE)) is not None:
        # Browser pages (the ops dashboard) cannot send a header; the same token rides in
        # an HttpOnly cookie and is verified exactly like a header.
        token = cookie
    else:
        raise Problem(401, "token-ontbreekt", "A bearer token is required.")
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = await verifier.verify_async(token)
    if (limiet := getattr(request.app.state, "verzoeklimiet", None)) is not None:
        limiet.controleer(principal)  # 429 past the caller's rate (wijkwerk.http.verzoeklimiet)
    request.state.principal = principal
    # The audit trail: every change this request makes is recorded with this principal.
    route = request.scope.get("route")
    verzoek = (f"{request.method} {route.path}" if route is not None and hasattr(route, "path")
               and request.method not in ("GET", "HEAD", "OPTIONS") else None)
    zet_actor(principal.actor(), rechtstreeks=True, verzoek=verzoek,
              wijkwerker_id=request.path_params.get("wijkwerker_id"))
    return principal


def require(*scopes: str):
    """Dependency: the caller holds at least one of the given scopes."""

    # async: a plain check, run on the event loop rather than on a worker thread per request
    async def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not any(principal.has(s) for s in scopes):
            raise Problem(
                403,
                "scope-ontbreekt",
                f"This operation needs one of the scopes: {', '.join(scopes)}.",
            )
        return principal

    dependency.__name__ = "require_" + "_".join(s.replace(":", "_") for s in scopes)
    dependency.scopes = scopes  # type: ignore[attr-defined]  # read by wijkwerk_platform.scopetabel
    return dependency


def sees_organisation(principal: Principal, organisator_id: object) -> bool:
    """Data scope, deny by default: central callers (VDAB, internal services) see every
    organisation, an organiser only its own. Referrers and gebruikers see
    organisation-wide data only through routes made for them; a principal without a known
    org_type (never one from a verified token) sees nothing."""
    if principal.org_type in CENTRAL:
        return True
    if principal.org_type == "organisator":
        return principal.org is not None and principal.org == str(organisator_id)
    return False


def is_eigen_wijkwerker(principal: Principal, wijkwerker_id: object) -> bool:
    """A worker's own token (org_type wijkwerker) for this worker."""
    return principal.org_type == "wijkwerker" and principal.org is not None and principal.org == str(wijkwerker_id)


def gegevensscope(principal: Principal) -> Gegevensscope:
    """The data scope of ``principal`` (see :class:`Gegevensscope`)."""
    if principal.org_type in CENTRAL:
        return Gegevensscope("alles")
    if principal.org_type == "organisator" and principal.org:
        return Gegevensscope("eigen", uuid.UUID(principal.org))
    return Gegevensscope("niets")

