"""CHEQUES_ISSUER_SECRETS: one secret per issuer, or several with validity windows."""

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from cheques.config import Settings


def _settings(monkeypatch, waarde) -> Settings:
    monkeypatch.setenv("CHEQUES_ISSUER_SECRETS", json.dumps(waarde))
    return Settings(run_workers=False)


def test_one_plain_secret_is_valid_always(monkeypatch):
    [geheim] = _settings(monkeypatch, {"vdab": "s3cret"}).uitgever_geheimen("vdab")
    assert (geheim.waarde, geheim.geldig_vanaf, geheim.geldig_tot) == ("s3cret", None, None)


def test_several_secrets_with_their_windows(monkeypatch):
    s = _settings(monkeypatch, {"vdab": [
        {"secret": "oud", "valid_until": "2027-01-15T00:00:00Z"},
        {"secret": "nieuw", "valid_from": "2027-01-14T00:00:00+01:00"},
    ]})
    oud, nieuw = s.uitgever_geheimen("vdab")
    assert oud.geldig_tot == datetime(2027, 1, 15, tzinfo=UTC) and nieuw.geldig_vanaf is not None
    assert s.uitgever_geheimen("onbekend") == []
    assert "oud" not in repr(s) and "nieuw" not in repr(s)  # secrets stay out of logs


@pytest.mark.parametrize(
    "fout",
    [
        {"vdab": [{"secret": "a", "valid_from": "2027-01-15T00:00:00Z", "valid_until": "2027-01-14T00:00:00Z"}]},
        {"vdab": [{"secret": "a", "valid_until": "2027-01-15T00:00:00"}]},  # no time zone: ambiguous
        {"vdab": [{"secret": ""}]},
        {"vdab": [{"secret": "whsec_niet base64!"}]},
        {"vdab": [{"secret": "a", "geldig_tot": "2027-01-15T00:00:00Z"}]},  # a misspelt field is not ignored
    ],
)
def test_a_window_or_secret_that_cannot_be_right_stops_the_start(monkeypatch, fout):
    with pytest.raises(ValidationError):
        _settings(monkeypatch, fout)
