"""The image's server command: uvicorn with the service's factory, HTTPS when the service's
settings name a certificate, every other option passed through."""

import pytest

from wijkwerk_platform.serve import uvicorn_argv


def test_https_when_the_service_names_its_certificate(monkeypatch):
    monkeypatch.setenv("CHEQUES_TLS_CERTFILE", "/etc/wijkwerk/tls/tls.crt")
    monkeypatch.setenv("CHEQUES_TLS_KEYFILE", "/etc/wijkwerk/tls/tls.key")
    assert uvicorn_argv("cheques", ["--port", "8003"]) == [
        "cheques.entrypoints.api:create_app", "--factory", "--ssl-certfile", "/etc/wijkwerk/tls/tls.crt",
        "--ssl-keyfile", "/etc/wijkwerk/tls/tls.key", "--port", "8003"]


def test_a_certificate_without_its_key_stops_the_start(monkeypatch):
    monkeypatch.setenv("CHEQUES_TLS_CERTFILE", "/etc/wijkwerk/tls/tls.crt")
    monkeypatch.delenv("CHEQUES_TLS_KEYFILE", raising=False)
    with pytest.raises(ValueError, match="TLS_KEYFILE"):
        uvicorn_argv("cheques", [])


def test_an_unknown_service_is_named():
    with pytest.raises(SystemExit, match="unknown service 'kassa'"):
        uvicorn_argv("kassa", [])
