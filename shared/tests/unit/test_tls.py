"""What the internal HTTP clients trust (WIJKWERK_CA_FILE) and where the dashboard finds each
service's metrics."""

import ssl
from pathlib import Path

from wijkwerk.http import tls
from wijkwerk.settings import ServiceUrls


def test_without_a_ca_file_the_system_trust_store_and_with_one_only_that_ca(tmp_path):
    import certifi

    assert tls.verify(None) is True
    bundle = tmp_path / "ca.crt"
    bundle.write_bytes(Path(certifi.where()).read_bytes())
    context = tls.verify(str(bundle))
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2
    assert tls.verify(str(bundle)) is context  # loaded once per process


def test_metrics_urls_default_to_the_api_and_follow_their_own_setting(monkeypatch):
    monkeypatch.delenv("CHEQUES_METRICS_URL", raising=False)
    monkeypatch.setenv("CHEQUES_URL", "https://cheques:8003/")
    assert ServiceUrls().metrics_url("cheques") == "https://cheques:8003/metrics"
    monkeypatch.setenv("CHEQUES_METRICS_URL", "http://cheques:9100/metrics")
    assert ServiceUrls().metrics_url("cheques") == "http://cheques:9100/metrics"
