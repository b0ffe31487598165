"""Bearer-JWT authentication with scopes and an organisation claim.

Production verifies tokens against the partner identity provider's JWKS; the embedded
default signs with a local RSA key (``wijkwerk token``). Both paths use PyJWT, never
hand-rolled crypto.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from wijkwerk.problems import Problem
from wijkwerk.settings import AuthSettings

ALGORITHMS = ["RS256", "ES256", "EdDSA"]
LOCAL_KEY_ID = "wijkwerk-local"


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

    @property
    def is_service(self) -> bool:
        """Internal callers (another service, VDAB central) see every organisation."""
        return self.org_type in ("service", "vdab")


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


class TokenVerifier:
    """Verifies a bearer token: signature, issuer, audience, exp/nbf with leeway."""

    def __init__(self, settings: AuthSettings) -> None:
        self._settings = settings
        self._jwks: jwt.PyJWKClient | None = None
        self._public_key: bytes | None = None
        if settings.jwks_url:
            # PyJWKClient caches keys and refetches on an unknown kid (key rotation).
            self._jwks = jwt.PyJWKClient(settings.jwks_url, cache_keys=True, lifespan=300)
        elif settings.public_key_file:
            self._public_key = Path(settings.public_key_file).read_bytes()

    def verify(self, token: str) -> Principal:
        try:
            if self._jwks is not None:
                key = self._jwks.get_signing_key_from_jwt(token).key
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
        scope_claim = claims.get("scope") or claims.get("scp") or ""
        scopes = scope_claim.split() if isinstance(scope_claim, str) else list(scope_claim)
        return Principal(
            subject=claims["sub"],
            scopes=frozenset(scopes),
            org=claims.get("org"),
            org_type=claims.get("org_type"),
            claims=claims,
        )


_bearer = HTTPBearer(auto_error=False)


TOKEN_COOKIE = "wijkwerk_token"


def current_principal(
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
    principal = verifier.verify(token)
    request.state.principal = principal
    return principal


def require(*scopes: str):
    """Dependency: the caller holds at least one of the given scopes."""

    def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not any(principal.has(s) for s in scopes):
            raise Problem(
                403,
                "scope-ontbreekt",
                f"This operation needs one of the scopes: {', '.join(scopes)}.",
            )
        return principal

    dependency.__name__ = "require_" + "_".join(s.replace(":", "_") for s in scopes)
    dependency.scopes = scopes  # type: ignore[attr-defined]  # read by wijkwerk.scopetabel
    return dependency


CENTRAL = (None, "vdab", "service")  # no org claim: a central (dev/ops) token


def sees_organisation(principal: Principal, organisator_id: object) -> bool:
    """Data scope, deny by default: central callers (VDAB, internal services, tokens
    without an org claim) see every organisation, an organiser only its own. Referrers and
    gebruikers see organisation-wide data only through routes made for them."""
    if principal.org_type in CENTRAL:
        return True
    if principal.org_type == "organisator":
        return principal.org is not None and principal.org == str(organisator_id)
    return False


def organisation_filter(principal: Principal) -> str | None:
    """The organisation a listing must be limited to: None for all (central callers),
    the organiser's own id, or "-" (nothing) for any other kind of caller."""
    if principal.org_type in CENTRAL:
        return None
    if principal.org_type == "organisator":
        return principal.org or "-"
    return "-"
