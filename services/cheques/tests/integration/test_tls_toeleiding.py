"""TLS between the services (issue #22 item 6): toeleiding serves HTTPS with a certificate
of the platform's CA (``wijkwerk_platform.serve``, as the image runs it); cheques asks it for bank
details trusting that CA only, and refuses a server whose certificate another CA issued."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cheques.adapters.toeleiding import ToeleidingBankgegevens
from cheques.domain.fouten import Onbeschikbaar
from wijkwerk.http import tls
from wijkwerk_platform.testing import migrated_database, wait_until
from wijkwerk_platform.testkit import Tokens


def _naam(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _ca(cn: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    nu = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(_naam(cn)).issuer_name(_naam(cn)).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(nu - dt.timedelta(minutes=5))
            .not_valid_after(nu + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def _server_cert(ca_key, ca_cert, map_: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    nu = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(_naam("toeleiding")).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(nu - dt.timedelta(minutes=5)).not_valid_after(nu + dt.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("toeleiding"), x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    certfile, keyfile = map_ / "tls.crt", map_ / "tls.key"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return certfile, keyfile


def _ca_file(cert: x509.Certificate, path: Path) -> str:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(path)


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def toeleiding_https(embedded_pg, tmp_path):
    """toeleiding on 127.0.0.1 over HTTPS, started as the image starts it; the CA's file."""
    ca_key, ca_cert = _ca("wijkwerk test CA")
    certfile, keyfile = _server_cert(ca_key, ca_cert, tmp_path)
    tokens = Tokens.create(tmp_path / "keys")
    poort = _vrije_poort()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TOELEIDING_", "AUTH_", "WIJKWERK_"))}
    env |= {"TOELEIDING_DATABASE_URL": migrated_database(embedded_pg, "toeleiding", f"toel_{uuid.uuid4().hex[:8]}"),
            "TOELEIDING_RUN_WORKERS": "false", "TOELEIDING_LOG_JSON": "false",
            "TOELEIDING_TLS_CERTFILE": str(certfile), "TOELEIDING_TLS_KEYFILE": str(keyfile),
            "AUTH_PUBLIC_KEY_FILE": str(tokens.public_key)}
    proces = subprocess.Popen([sys.executable, "-m", "wijkwerk_platform.serve", "toeleiding", "--host", "127.0.0.1",
                               "--port", str(poort), "--no-access-log"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ca_file = _ca_file(ca_cert, tmp_path / "ca.crt")
    url = f"https://127.0.0.1:{poort}"

    def klaar() -> bool:
        assert proces.poll() is None, "toeleiding stopped"
        try:
            return httpx.get(url + "/ready", verify=tls.verify(ca_file), trust_env=False).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_until(klaar, timeout=60)
        yield url, ca_file, tokens
    finally:
        proces.terminate()
        proces.wait(timeout=30)


def _bron(url: str, tokens: Tokens, ca_file: str) -> ToeleidingBankgegevens:
    async def token() -> str:
        return tokens.mint("cheques:payout", org_type="service", sub="cheques")

    return ToeleidingBankgegevens(url, token, timeout_s=5, pogingen=1, verify=tls.verify(ca_file))


async def test_cheques_asks_toeleiding_over_https_trusting_the_platform_ca(toeleiding_https):
    url, ca_file, tokens = toeleiding_https
    # An unknown worker: toeleiding answered (404 wijkwerker-onbekend) through the TLS session.
    assert await _bron(url, tokens, ca_file).haal([uuid.uuid4()]) == {}
    assert httpx.get(url + "/health", verify=tls.verify(ca_file), trust_env=False).json()["status"] == "ok"


async def test_a_server_certificate_of_another_ca_is_refused(toeleiding_https, tmp_path):
    url, _, tokens = toeleiding_https
    _, vreemde_ca = _ca("someone else's CA")
    with pytest.raises(Onbeschikbaar) as geweigerd:
        await _bron(url, tokens, _ca_file(vreemde_ca, tmp_path / "vreemd.crt")).haal([uuid.uuid4()])
    assert isinstance(geweigerd.value.__context__, httpx.ConnectError)
    assert "CERTIFICATE_VERIFY_FAILED" in str(geweigerd.value.__context__)
    with pytest.raises(httpx.ConnectError):  # nor does the system's trust store know it
        httpx.get(url + "/health", trust_env=False)
