"""wijkwerk.vingerafdruk: keyed, normalised fingerprints of an IBAN and an address (ADR 0024)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from wijkwerk import vingerafdruk as v
from wijkwerk.settings import ServiceSettings


def test_the_iban_fingerprint_is_an_hmac_of_the_compact_upper_case_iban():
    f = v.iban_vingerafdruk(b"k", "be68 5390 0754 7034")
    assert f == hmac.new(b"k", b"iban:BE68539007547034", hashlib.sha256).hexdigest()
    assert f == v.iban_vingerafdruk(b"k", "BE68539007547034")
    assert f != v.iban_vingerafdruk(b"other key", "BE68539007547034")  # keyed: not recomputable without it


def test_the_address_fingerprint_ignores_case_and_whitespace():
    f = v.adres_vingerafdruk(b"k", "Kerk straat", "12B", "9000")
    assert f == v.adres_vingerafdruk(b"k", "  kerk   STRAAT ", "12b", " 9000")
    assert f != v.adres_vingerafdruk(b"k", "Kerk straat", "12", "9000")
    assert v.normaliseer_adres("Kerk  straat", "12B", "9000") == "9000 kerk straat 12b"


def test_nothing_without_a_key_or_a_complete_value():
    assert v.iban_vingerafdruk(None, "BE68539007547034") is None
    assert v.iban_vingerafdruk(b"k", None) is None
    assert v.adres_vingerafdruk(b"k", "Kerkstraat", None, "9000") is None


def test_the_embedded_key_is_created_once(tmp_path):
    pad = v.maak_sleutel(tmp_path / "keys")
    sleutel = pad.read_text()
    assert len(sleutel) == 64 and v.maak_sleutel(tmp_path / "keys").read_text() == sleutel


class _Dienst(ServiceSettings):
    vingerafdrukken = True


def test_production_needs_the_key_of_a_service_that_fingerprints(monkeypatch, tmp_path):
    monkeypatch.setenv("WIJKWERK_ENV", "production")
    monkeypatch.setenv("AUTH_PUBLIC_KEY_FILE", "/dev/null")
    with pytest.raises(ValueError, match="WIJKWERK_VINGERAFDRUK_SLEUTEL"):
        _Dienst()
    ServiceSettings()  # one that does not fingerprint starts without it
    monkeypatch.setenv("WIJKWERK_VINGERAFDRUK_SLEUTEL_FILE", str(v.maak_sleutel(tmp_path)))
    assert _Dienst().vingerafdruk_sleutel_bytes() == (tmp_path / v.SLEUTEL_BESTAND).read_text().encode()
