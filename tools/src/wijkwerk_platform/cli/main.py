"""The ``wijkwerk`` command: run the embedded platform, mint tokens, and the two
production jobs (migrations, topics)."""

from __future__ import annotations

import asyncio
import enum
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler

from wijkwerk_platform.cli import dlq as _dlq
from wijkwerk_platform.cli.services import SERVICES, ServiceSpec, select_services, with_port_base
from wijkwerk_platform.cli.services import migrate as migrate_service

app = typer.Typer(
    name="wijkwerk",
    help="wijk-werken: run the platform locally, mint tokens, migrate, create topics.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

DataDir = Annotated[Path, typer.Option("--data-dir", help="Where PostgreSQL data, logs and keys live.")]
Only = Annotated[
    str | None,
    typer.Option("--only", help="Comma-separated services, e.g. 'toeleiding,cheques' (default: all)."),
]


# What a worker's own token carries: its page (wijkwerker:lezen) and its documents (documenten:lezen).
WIJKWERKER_SCOPES = ["wijkwerker:lezen", "documenten:lezen"]


class OrgType(str, enum.Enum):  # noqa: UP042 (typer shows str(member); StrEnum would change it)
    """The kinds of caller the services know (wijkwerk.auth.ORG_TYPES)."""

    organisator = "organisator"
    toeleider = "toeleider"
    gebruiker = "gebruiker"
    wijkwerker = "wijkwerker"  # a worker's own token: --org is the wijkwerker_id
    vdab = "vdab"
    service = "service"


def _setup_logging() -> None:
    # Warnings and errors only (e.g. a topic with an unexpected partition count); the
    # commands report progress themselves.
    logging.basicConfig(
        level=logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=err_console, show_path=False, show_time=False)],
    )
    # aiokafka logs an ERROR for every refused connection while we retry against a
    # broker that is still starting; our own error reports the final outcome.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)


def _services(only: str | None) -> tuple[ServiceSpec, ...]:
    try:
        return select_services(only)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--only") from exc


@app.command()
def up(
    data_dir: DataDir = Path(".wijkwerk"),
    pg_port: Annotated[int, typer.Option("--pg-port", help="PostgreSQL TCP port.")] = 55432,
    kafka_port: Annotated[int, typer.Option("--kafka-port", help="Broker (Kafka protocol) port.")] = 19092,
    partitions: Annotated[int, typer.Option("--partitions", min=1, help="Partitions per topic.")] = 8,
    broker_rotation: Annotated[int, typer.Option(
        "--broker-rotation", min=0,
        help="Messages a topic may hold before it is trimmed (once every consumer read them); 0: never.")] = 20_000,
    demo: Annotated[bool, typer.Option("--demo", help="Load the demo world once everything is healthy.")] = False,
    demo_scale: Annotated[float, typer.Option("--demo-scale", help="Size of the demo world.")] = 1.0,
    demo_seed: Annotated[int, typer.Option("--demo-seed", help="Seed of the demo world.")] = 42,
    only: Only = None,
    echo: Annotated[bool, typer.Option("--echo", help="Also print the services' logs here.")] = False,
    port_base: Annotated[
        int, typer.Option("--port-base", help="Services listen on BASE+1 (toeleiding) … BASE+4 (evaluatie).")
    ] = 8000,
) -> None:
    """Start PostgreSQL, the broker and the services; Ctrl-C stops everything."""
    from wijkwerk_platform.cli.supervisor import Supervisor, UpOptions

    _setup_logging()
    options = UpOptions(
        data_dir=data_dir,
        pg_port=pg_port,
        kafka_port=kafka_port,
        partitions=partitions,
        broker_rotation=broker_rotation,
        services=with_port_base(_services(only), port_base),
        port_base=port_base,
        demo=demo,
        demo_scale=demo_scale,
        demo_seed=demo_seed,
        echo=echo,
    )
    raise typer.Exit(Supervisor(options, console).run())


@app.command()
def demo(
    data_dir: DataDir = Path(".wijkwerk"),
    scale: Annotated[float, typer.Option("--scale", help="Size of the demo world (1 = a few thousand dossiers).")] = 1.0,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same world.")] = 42,
    port_base: Annotated[int, typer.Option("--port-base", help="As given to `wijkwerk up`.")] = 8000,
) -> None:
    """Fill a running system with the demo world, through the public APIs only."""
    from wijkwerk_platform.demo import run_demo

    urls = {spec.name: spec.local_url() for spec in with_port_base(SERVICES, port_base)}
    summary = run_demo(urls, scale=scale, seed=seed, private_key=data_dir / "keys" / "jwt-private.pem")
    console.print(f"demo loaded: {summary}")
    if summary.voorbeeld_wijkwerker:
        from wijkwerk.auth import mint_token

        # One demo worker's own page (issue #23 item 7). The token rides in the fragment,
        # which the browser never sends to a server; in production the identity provider
        # gives the worker its token instead (ADR 0025).
        token = mint_token(data_dir / "keys" / "jwt-private.pem", subject=summary.voorbeeld_wijkwerker,
                           scopes=WIJKWERKER_SCOPES, org=summary.voorbeeld_wijkwerker, org_type="wijkwerker",
                           ttl_seconds=12 * 3600)
        console.print(f"A demo worker's own page (valid 12 h): {urls['evaluatie']}/mijn/#token={token}", soft_wrap=True)


@app.command()
def token(
    scope: Annotated[str, typer.Option("--scope", help='Space-separated scopes, e.g. "toeleiding:read cheques:read".')],
    org_type: Annotated[
        OrgType,
        typer.Option("--org-type", help="Kind of caller: vdab and service see every organisation, the others need --org."),
    ],
    org: Annotated[str | None, typer.Option("--org", help="Organisation id (the org claim).")] = None,
    sub: Annotated[str, typer.Option("--sub", help="Subject (who the token is for).")] = "dev",
    ttl: Annotated[int, typer.Option("--ttl", min=1, help="Lifetime in seconds.")] = 3600,
    data_dir: DataDir = Path(".wijkwerk"),
) -> None:
    """Print a JWT signed with the local key (the one `wijkwerk up` gives the services)."""
    from wijkwerk.auth import ensure_local_keypair, mint_token, organisatie_claims
    from wijkwerk.problems import Problem

    try:  # the services would refuse it (403): say so now
        _, org = organisatie_claims(org_type.value, org)
    except Problem as exc:
        err_console.print(f"[red]{exc.detail}[/red]")
        raise typer.Exit(2) from None
    private_key, _ = ensure_local_keypair(data_dir / "keys")
    jwt = mint_token(
        private_key,
        subject=sub,
        scopes=scope.replace(",", " ").split(),
        org=org,
        org_type=org_type.value,
        ttl_seconds=ttl,
    )
    typer.echo(jwt)  # alone on stdout, so TOKEN=$(wijkwerk token ...) works


@app.command()
def migrate(only: Only = None) -> None:
    """Run `alembic upgrade head` for each service as its database's owner
    (<SERVICE>_MIGRATION_DATABASE_URL), then grant the service's own role (the user of
    <SERVICE>_DATABASE_URL) what it needs: no UPDATE, DELETE or TRUNCATE on the ledger,
    the event archive and the audit trail. With only <SERVICE>_DATABASE_URL set, the
    migration runs as that role and no grants are made (one role owns everything)."""
    from wijkwerk_platform.cli.settings import CliSettings

    _setup_logging()
    settings = CliSettings()
    specs = _services(only)
    missing = [s.database_url_env for s in specs if not (settings.migration_database_url(s) or settings.database_url(s))]
    if missing:
        err_console.print(f"[red]Not set: {', '.join(missing)}[/red]")
        raise typer.Exit(2)
    for spec in specs:
        app_url = settings.database_url(spec)
        owner_url = settings.migration_database_url(spec) or app_url
        assert owner_url is not None
        migrate_service(spec, owner_url, app_url)
        split = owner_url != app_url and app_url is not None
        console.print(f"[green]✓[/green] {spec.name} migrated" + (" and its application role granted" if split else ""))
        if app_url is None:
            err_console.print(f"[yellow]{spec.database_url_env} not set: no role was granted access; the service "
                              "connects as that URL's role[/yellow]")


@app.command()
def replay(
    only: Only = None,
    since: Annotated[
        datetime | None, typer.Option("--since", help="Only outbox rows written at or after this time (UTC).")
    ] = None,
    archive: Annotated[
        bool, typer.Option("--archive", help="From the event archive (all history) instead of the retained outbox.")
    ] = False,
) -> None:
    """Re-publish retained outbox rows to their topics, in commit order (after a broker
    lost data); with --archive, every archived event (since --since). Consumers' inboxes
    skip what they still remember; replay the archive only to consumers that start from the
    beginning (a new group, a rebuild), since inboxes forget after the retention."""
    from wijkwerk.db import create_engine
    from wijkwerk.events.topics import PRODUCER_TOPIC
    from wijkwerk.messaging.relay import OutboxRelay
    from wijkwerk_platform.cli.settings import CliSettings

    _setup_logging()
    settings = CliSettings()

    async def run(spec: ServiceSpec, url: str) -> int:
        engine = create_engine(url, pool_size=2, application_name=f"{spec.name}-replay")
        try:
            relay = OutboxRelay(engine, settings.kafka, service=spec.name, topic=PRODUCER_TOPIC[spec.name])
            return await relay.replay(since=since.replace(tzinfo=since.tzinfo or UTC) if since else None,
                                      archive=archive)
        finally:
            await engine.dispose()

    for spec in _services(only):
        url = settings.database_url(spec)
        if url is None:
            err_console.print(f"[yellow]{spec.database_url_env} not set; {spec.name} skipped[/yellow]")
            continue
        console.print(f"[green]✓[/green] {spec.name}: {asyncio.run(run(spec, url))} events re-published")


dlq_app = typer.Typer(help="Parked events per consumer (lijst, opnieuw, verwerp) and legacy dead-letter topics.",
                      no_args_is_help=True)
app.add_typer(dlq_app, name="dlq")
_dlq.register(dlq_app)


@dlq_app.command("redrive")
def dlq_redrive(
    topic: Annotated[str, typer.Option("--topic", help="Source topic (or its .dlq) to re-drive.")],
    timeout: Annotated[float, typer.Option("--timeout", help="Broker call timeout, seconds.")] = 30.0,
) -> None:
    """Legacy: re-publish every message in <topic>.dlq (written by consumers before events
    were parked per consumer) to its source topic, where every group sees it again.
    Inboxes skip anything already applied (KAFKA_* settings). New dead letters: `opnieuw`."""
    from wijkwerk.messaging.dlq import redrive
    from wijkwerk.messaging.kafka import BrokerUnavailable
    from wijkwerk_platform.cli.settings import CliSettings

    _setup_logging()
    try:
        report = asyncio.run(redrive(CliSettings().kafka, topic, timeout_s=timeout))
    except BrokerUnavailable as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    targets = ", ".join(f"{t}: {n}" for t, n in sorted(report.per_topic.items())) or "none"
    console.print(
        f"[green]✓[/green] read {report.read}, re-published {report.republished}, "
        f"skipped {report.skipped} ({targets})"
    )


@app.command()
def topics(
    timeout: Annotated[float, typer.Option("--timeout", help="Give up after this many seconds.")] = 60.0,
) -> None:
    """Create every topic and its dead-letter topic with their declared configs, and verify
    the existing ones (KAFKA_BOOTSTRAP_SERVERS, KAFKA_TOPIC_PARTITIONS, KAFKA_REPLICATION_FACTOR,
    KAFKA_MIN_INSYNC_REPLICAS, KAFKA_RETENTION_MS, KAFKA_DLQ_RETENTION_MS, the connection's
    security); exits 1 naming every difference."""
    from wijkwerk.events.topics import ALL_TOPICS, dlq_topic
    from wijkwerk.messaging.admin import TopicSetupError, ensure_topics
    from wijkwerk_platform.cli.settings import CliSettings

    _setup_logging()
    kafka = CliSettings().kafka
    names = [*ALL_TOPICS, *(dlq_topic(t) for t in ALL_TOPICS)]
    try:
        asyncio.run(
            ensure_topics(kafka, names, kafka.topic_partitions, kafka.replication_factor, timeout_s=timeout)
        )
    except TopicSetupError as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(
        f"[green]✓[/green] {len(names)} topics on {kafka.bootstrap_servers} "
        f"({kafka.topic_partitions} partitions, replication {kafka.replication_factor})"
    )


@app.command()
def asyncapi(
    output: Annotated[Path, typer.Option("--output", help="Where to write the document.")] = Path("docs/asyncapi.yaml"),
) -> None:
    """Write the AsyncAPI document generated from the event models."""
    from wijkwerk.asyncapi import render

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(), encoding="utf-8")
    console.print(f"[green]✓[/green] {output}")


if __name__ == "__main__":
    app()
