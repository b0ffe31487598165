"""The platform key that signs work-experience certificates: Ed25519 (``cryptography``), a
PEM private key from a file (``EVALUATIE_GETUIGSCHRIFT_SLEUTEL_FILE``). Its public half is
published as a JWK set at ``/.well-known/wijkwerk-getuigschriften.json``, so anybody can
check a certificate's signature without asking us.

The embedded default creates the key once next to the local token key; production never
creates one (a key that appears by itself would sign certificates nobody can trust):
without the file, issuing answers 503 ``getuigschrift-sleutel-ontbreekt``."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from wijkwerk.fouten import DomainError


class SleutelOntbreekt(DomainError):
    status = 503


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def van_b64url(tekst: str) -> bytes:
    return base64.urlsafe_b64decode(tekst + "=" * (-len(tekst) % 4))


@dataclass(frozen=True)
class Ondertekenaar:
    sleutel: Ed25519PrivateKey

    @property
    def publiek(self) -> Ed25519PublicKey:
        return self.sleutel.public_key()

    @property
    def sleutel_id(self) -> str:
        """The key id: the first 16 hex digits of the SHA-256 of the raw public key."""
        ruw = self.publiek.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return hashlib.sha256(ruw).hexdigest()[:16]

    def onderteken(self, inhoud: bytes) -> str:
        return b64url(self.sleutel.sign(inhoud))

    def klopt(self, inhoud: bytes, handtekening: str) -> bool:
        try:
            self.publiek.verify(van_b64url(handtekening), inhoud)
        except (InvalidSignature, ValueError):
            return False
        return True

    def jwks(self) -> dict:
        ruw = self.publiek.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": b64url(ruw), "kid": self.sleutel_id, "use": "sig",
                          "alg": "EdDSA"}]}


def laad(pad: Path, *, aanmaken: bool) -> Ondertekenaar:
    """The key in ``pad``; created there (mode 0600) first when ``aanmaken`` and missing."""
    if not pad.exists():
        if not aanmaken:
            raise SleutelOntbreekt(f"No certificate signing key at {pad.name}.", rule="getuigschrift-sleutel-ontbreekt")
        pad.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        try:
            descriptor = os.open(pad, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: use that one
        else:
            with os.fdopen(descriptor, "wb") as bestand:
                bestand.write(pem)
    sleutel = serialization.load_pem_private_key(pad.read_bytes(), password=None)
    if not isinstance(sleutel, Ed25519PrivateKey):
        raise SleutelOntbreekt(f"The key at {pad.name} is no Ed25519 key.", rule="getuigschrift-sleutel-ontbreekt")
    return Ondertekenaar(sleutel)
