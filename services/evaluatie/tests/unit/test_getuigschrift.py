"""The certificate's statement and its signature (issue #23 item 5), without I/O."""

from __future__ import annotations

import stat
import uuid
from datetime import date

import pytest

from evaluatie.adapters.ondertekening import SleutelOntbreekt, laad
from evaluatie.domain.getuigschrift import GELDIG, INGETROKKEN, ONGELDIG, Verklaring, bouw, canoniek, status
from wijkwerk.fouten import Conflict, OngeldigeInvoer

ID = uuid.uuid4()
PRESTATIES = [("groenonderhoud", date(2026, 2, 3), 3), ("poetsen", date(2026, 5, 20), 2),
              ("groenonderhoud", date(2026, 3, 17), 4), ("poetsen", date(2026, 7, 2), 6)]


def test_only_facts_on_or_before_the_date_count():
    v = bouw(ID, "A. Peeters", "Wijk-werken Westhoek", date(2026, 6, 30), date(2026, 12, 1), PRESTATIES,
             [(date(2026, 7, 10), "ander_traject"), (date(2026, 6, 15), "zelfde_klus")])
    assert [(a.activiteit, a.van, a.tot, a.uren) for a in v.activiteiten] == [
        ("groenonderhoud", date(2026, 2, 3), date(2026, 3, 17), 7),
        ("poetsen", date(2026, 5, 20), date(2026, 5, 20), 2)]
    assert (v.uren, v.van, v.tot) == (9, date(2026, 2, 3), date(2026, 5, 20))
    assert [(e.datum, e.uitkomst) for e in v.evaluaties] == [(date(2026, 6, 15), "zelfde_klus")]
    assert Verklaring.uit_json(v.als_json()) == v


def test_the_signed_bytes_do_not_depend_on_key_order():
    assert canoniek({"b": 1, "a": "é"}) == canoniek({"a": "é", "b": 1}) == '{"a":"é","b":1}'.encode()


def test_no_certificate_for_a_day_to_come_or_without_hours():
    with pytest.raises(OngeldigeInvoer) as fout:
        bouw(ID, "A", "O", date(2026, 12, 2), date(2026, 12, 1), PRESTATIES, [])
    assert fout.value.rule == "getuigschrift-in-de-toekomst"
    with pytest.raises(Conflict) as fout:
        bouw(ID, "A", "O", date(2026, 1, 31), date(2026, 12, 1), PRESTATIES, [])
    assert fout.value.rule == "getuigschrift-zonder-prestaties"


def test_status():
    assert status(None, True) == GELDIG
    assert status(date(2026, 7, 2), True) == INGETROKKEN
    assert status(None, False) == status(date(2026, 7, 2), False) == ONGELDIG


def test_the_key_is_created_once_private_and_signs_what_it_verifies(tmp_path):
    pad = tmp_path / "keys" / "getuigschrift.pem"
    sleutel = laad(pad, aanmaken=True)
    assert stat.S_IMODE(pad.stat().st_mode) == 0o600
    assert laad(pad, aanmaken=True).sleutel_id == sleutel.sleutel_id  # reused, not replaced
    handtekening = sleutel.onderteken(b"inhoud")
    assert sleutel.klopt(b"inhoud", handtekening) and not sleutel.klopt(b"inhoud!", handtekening)
    assert not sleutel.klopt(b"inhoud", "niet-base64-!")
    [jwk] = sleutel.jwks()["keys"]
    assert (jwk["kty"], jwk["crv"], jwk["kid"], jwk["alg"]) == ("OKP", "Ed25519", sleutel.sleutel_id, "EdDSA")


def test_production_never_creates_a_key(tmp_path):
    with pytest.raises(SleutelOntbreekt) as fout:
        laad(tmp_path / "ontbreekt.pem", aanmaken=False)
    assert (fout.value.status, fout.value.rule) == (503, "getuigschrift-sleutel-ontbreekt")
    assert not (tmp_path / "ontbreekt.pem").exists()
