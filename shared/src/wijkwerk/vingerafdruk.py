"""Fingerprints of personal data (issue #23 item 4, ADR 0024): a keyed hash (HMAC-SHA256, hex)
of a normalised IBAN or address, so a service can see that a worker and a gebruiker share
one without either value leaving the service that keeps it (toeleiding, prestaties).

The key is a platform secret (``WIJKWERK_VINGERAFDRUK_SLEUTEL``, or a file named by
``WIJKWERK_VINGERAFDRUK_SLEUTEL_FILE``): without it a fingerprint cannot be recomputed from
a guessed IBAN or address. Standard library only."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

SLEUTEL_BESTAND = "vingerafdruk.key"


def _hmac(sleutel: bytes, soort: str, waarde: str) -> str:
    # The kind is part of the message: an IBAN and an address never share a fingerprint.
    return hmac.new(sleutel, f"{soort}:{waarde}".encode(), hashlib.sha256).hexdigest()


def normaliseer_iban(iban: str) -> str:
    """Spaces gone, upper case (the caller validated it, e.g. with schwifty)."""
    return "".join(iban.split()).upper()


def normaliseer_adres(straat: str, huisnummer: str, postcode: str) -> str:
    """Postcode, street and number; lower case, whitespace collapsed."""
    return " ".join(f"{postcode} {straat} {huisnummer}".lower().split())


def iban_vingerafdruk(sleutel: bytes | None, iban: str | None) -> str | None:
    """The IBAN's fingerprint; None without a key or an IBAN."""
    if not sleutel or not iban or not iban.strip():
        return None
    return _hmac(sleutel, "iban", normaliseer_iban(iban))


def adres_vingerafdruk(sleutel: bytes | None, straat: str | None, huisnummer: str | None,
                       postcode: str | None) -> str | None:
    """The address's fingerprint; None without a key or a complete address."""
    if not sleutel or not (straat and huisnummer and postcode):
        return None
    return _hmac(sleutel, "adres", normaliseer_adres(straat, huisnummer, postcode))


def maak_sleutel(keys_dir: Path) -> Path:
    """The embedded default's key: created once in the data dir (like the JWT key), reused."""
    keys_dir.mkdir(parents=True, exist_ok=True)
    pad = keys_dir / SLEUTEL_BESTAND
    if not pad.exists():
        pad.write_text(secrets.token_hex(32), encoding="utf-8")
        pad.chmod(0o600)
    return pad
