"""The thin slice across all four services, as processes on the embedded engines.

toeleiding registers an organiser and a dossier → outbox → Kafka → evaluatie counts it,
prestaties and cheques keep their reference copies. Then the whole system is stopped
(nothing may be left running) and started again on the same data: the fresh, empty
broker is re-filled from the outboxes and the inboxes absorb every duplicate.
"""

from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from wijkwerk_platform.testing import wait_until

pytestmark = pytest.mark.e2e

SCOPES = ("toeleiding:admin", "toeleiding:read", "toeleiding:write", "prestaties:read", "cheques:read", "rapportering:read")


def _get(url: str, headers: dict) -> httpx.Response:
    return httpx.get(url, headers=headers, timeout=5)


def _dossiers(system, headers, organisator_id: str) -> int | None:
    r = _get(system.url("evaluatie") + "/v1/rapporten/dossiers", headers)
    if r.status_code != 200:
        return None
    rows = {row["organisator_id"]: row["dossiers"] for row in r.json()["rijen"]}
    return rows.get(organisator_id)


def test_events_flow_from_toeleiding_to_every_service_and_survive_a_restart(system):
    headers = system.tokens.headers(*SCOPES)
    organisator = httpx.post(
        system.url("toeleiding") + "/v1/organisatoren",
        json={
            "naam": "Wijk-werken Midwest",
            "samenwerkingsverband": "Midwest",
            "gemeenten": [{"nis_code": "36015", "naam": "Roeselare"}, {"nis_code": "36008", "naam": "Izegem"}],
            "tarief": "5.95",
            "tarief_vanaf": "2018-01-01",
        },
        headers=headers,
        timeout=10,
    )
    assert organisator.status_code == 201, organisator.text
    oid = organisator.json()["id"]
    for insz, voornaam in (("85073003328", "An"), ("90020112305", "Bart")):
        r = httpx.post(
            system.url("toeleiding") + "/v1/wijkwerkers",
            json={
                "insz": insz, "voornaam": voornaam, "achternaam": "Claes", "domicilie_nis_code": "36015",
                "organisator_id": oid, "uitkeringsstatus": "volledig_werkzoekend", "vdab_ingeschreven": True,
                "iban": "BE68539007547034", "ingeschreven_op": "2026-02-02",
            },
            headers=headers,
            timeout=10,
        )
        assert r.status_code == 201, r.text

    wait_until(lambda: _dossiers(system, headers, oid) == 2, timeout=30)
    wait_until(lambda: _get(system.url("prestaties") + f"/v1/organisatoren/{oid}", headers).status_code == 200, timeout=30)
    assert _get(system.url("prestaties") + f"/v1/organisatoren/{oid}", headers).json()["gemeenten"] == ["36008", "36015"]
    tarief = system.url("cheques") + f"/v1/organisatoren/{oid}/tarief?op=2026-02-02"
    wait_until(lambda: _get(tarief, headers).status_code == 200, timeout=30)
    assert _get(tarief, headers).json()["prijs"] == "5.95"

    for service in ("toeleiding", "prestaties", "cheques", "evaluatie"):
        ready = _get(system.url(service) + "/ready", {})
        assert ready.status_code == 200, ready.text
        metrics = _get(system.url(service) + "/metrics", {}).text
        assert "wijkwerk_http_request_duration_seconds" in metrics

    left = system.stop()
    assert left == [], f"processes left after stopping: {left}"

    system.start()
    headers = system.tokens.headers(*SCOPES)
    # The data survived in PostgreSQL ...
    assert _get(system.url("toeleiding") + f"/v1/organisatoren/{oid}", headers).status_code == 200
    # ... the relay re-filled the empty broker, and the consumers saw every event again:
    # the inbox skipped them all, so nothing is counted twice.
    # evaluatie handles 3 of the 4 events (1 organiser + 2 dossiers, not the tariff).
    wait_until(lambda: _metric(system, "wijkwerk_events_duplicate_total") == 3, timeout=60)
    assert _metric(system, "wijkwerk_events_consumed_total") == 0
    assert _dossiers(system, headers, oid) == 2


def _metric(system, name: str) -> float:
    text = _get(system.url("evaluatie") + "/metrics", {}).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and sample.labels.get("consumer") == "rapportering"
    )


def test_the_demo_fills_the_system_through_the_public_api(system):
    from wijkwerk_platform.demo import run_demo

    headers = system.tokens.headers("rapportering:read")

    def counted() -> int:
        r = _get(system.url("evaluatie") + "/v1/rapporten/dossiers", headers)
        return r.json()["totaal"] if r.status_code == 200 else -1

    before = counted()
    urls = {s: system.url(s) for s in ("toeleiding", "prestaties", "cheques", "evaluatie")}
    summary = run_demo(urls, scale=0.02, seed=7, private_key=system.tokens.private_key)
    assert summary.organisatoren == 5 and summary.dossiers >= 18
    # evaluatie sees every dossier the demo registered.
    wait_until(lambda: counted() == before + summary.dossiers, timeout=30)


def test_kill_9_of_the_supervisor_leaves_no_process_behind_and_a_restart_works(system):
    import signal

    import psutil

    children = psutil.Process(system.proc.pid).children(recursive=True)
    assert len(children) >= 6  # postgres, broker, four services
    system.proc.send_signal(signal.SIGKILL)
    system.proc.wait(timeout=10)
    _, alive = psutil.wait_procs(children, timeout=20)
    assert alive == [], f"orphans after kill -9: {[p.name() for p in alive]}"
    system.proc = None
    system.start()
    headers = system.tokens.headers("rapportering:read")
    assert _get(system.url("evaluatie") + "/v1/rapporten/dossiers", headers).json()["totaal"] >= 2


def test_no_log_line_of_the_run_carries_personal_data(system):
    """The dossiers above were registered with these INSZs, this IBAN and surname; none of
    them may appear in any service's log (events carry only the pseudonymous id)."""
    personal = ("85073003328", "90020112305", "BE68539007547034", "BE68 5390", "Claes")
    logs = sorted((system.data_dir / "logs").glob("*.log"))
    assert len(logs) >= 4
    for log in logs:
        text = log.read_text(encoding="utf-8", errors="replace")
        for value in personal:
            assert value not in text, f"{value!r} appears in {log.name}"
