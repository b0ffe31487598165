"""Production mode refuses to start while a setting without a safe default is unset, and
names every one of them; the embedded default keeps its placeholders."""

import pytest
from pydantic import ValidationError

from cheques.config import Settings

VOLLEDIG = {
    "WIJKWERK_ENV": "production",
    "AUTH_JWKS_URL": "https://idp.example.test/jwks",
    "AUTH_TOKEN_URL": "https://idp.example.test/token",
    "AUTH_CLIENT_ID": "cheques",
    "AUTH_CLIENT_SECRET": "client-geheim",
    "CHEQUES_ISSUER_SECRETS": '{"vdab": "uitgever-geheim"}',
    "CHEQUES_SEPA_NAAM": "Departement WSE",
    "CHEQUES_SEPA_IBAN": "BE68539007547034",
}


@pytest.fixture
def omgeving(monkeypatch):
    for naam in [*VOLLEDIG, "AUTH_PUBLIC_KEY_FILE", "AUTH_PRIVATE_KEY_FILE", "CHEQUES_SEPA_BIC"]:
        monkeypatch.delenv(naam, raising=False)

    def zet(**env: str) -> None:
        for naam, waarde in env.items():
            monkeypatch.setenv(naam, waarde)

    return zet


def test_nothing_set_names_every_missing_setting(omgeving):
    omgeving(WIJKWERK_ENV="production")
    with pytest.raises(ValidationError) as exc:
        Settings(run_workers=False)
    for naam in ("AUTH_JWKS_URL", "CHEQUES_ISSUER_SECRETS", "CHEQUES_SEPA_NAAM", "CHEQUES_SEPA_IBAN", "AUTH_TOKEN_URL"):
        assert naam in str(exc.value)


@pytest.mark.parametrize("weg", sorted(set(VOLLEDIG) - {"WIJKWERK_ENV", "AUTH_CLIENT_ID", "AUTH_CLIENT_SECRET"}))
def test_each_missing_setting_is_named(omgeving, weg):
    omgeving(**{k: v for k, v in VOLLEDIG.items() if k != weg})
    with pytest.raises(ValidationError) as exc:
        Settings(run_workers=False)
    assert weg in str(exc.value)
    assert "client-geheim" not in str(exc.value) and "uitgever-geheim" not in str(exc.value)


def test_all_set_starts_without_placeholders(omgeving):
    omgeving(**VOLLEDIG)
    s = Settings(run_workers=False)
    assert (s.sepa_naam, s.sepa_iban, s.sepa_bic) == ("Departement WSE", "BE68539007547034", None)


def test_the_embedded_default_keeps_its_placeholders(omgeving):
    s = Settings(run_workers=False)
    assert s.environment == "embedded" and s.sepa_iban and s.sepa_bic
