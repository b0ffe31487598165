"""``wijkwerk dlq lijst | opnieuw | verwerp``: the events a consumer parked in its service's
database (``wijkwerk.messaging.parkeren``), per consumer group. A re-drive goes to that
consumer only; for a consumer that halts per key (cheques' ``prestaties``), re-driving or
discarding the parked event lets the worker's waiting events follow in their order.
Connects with ``<SERVICE>_DATABASE_URL``; the running consumer does the applying."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

console = Console()
err_console = Console(stderr=True)

Service = Annotated[str, typer.Option("--service", help="The consuming service (toeleiding, prestaties, cheques, evaluatie).")]
Consumer = Annotated[str, typer.Option("--consumer", help="The consumer (group) name, e.g. prestaties for cheques.")]
Ids = Annotated[list[int] | None, typer.Option("--id", help="A parked row's id (repeatable).")]
Door = Annotated[str, typer.Option("--door", help="Who resolves it (kept with the row).")]


def _engine(service_name: str):
    from wijkwerk.db import create_engine
    from wijkwerk_platform.cli.services import service
    from wijkwerk_platform.cli.settings import CliSettings

    spec = service(service_name)
    url = CliSettings().database_url(spec)
    if not url:
        err_console.print(f"[red]{spec.database_url_env} is not set[/red]")
        raise typer.Exit(2)
    return create_engine(url, pool_size=1, application_name="wijkwerk-dlq")


async def _met_engine(service_name: str, werk):
    engine = _engine(service_name)
    try:
        return await werk(engine)
    finally:
        await engine.dispose()


def register(dlq_app: typer.Typer) -> None:
    from wijkwerk.messaging import parkeren

    @dlq_app.command("lijst")
    def lijst(
        service: Service,
        consumer: Annotated[str | None, typer.Option("--consumer", help="Only this consumer.")] = None,
        alles: Annotated[bool, typer.Option("--alles", help="Also resolved rows.")] = False,
    ) -> None:
        """The parked events of a service's consumers (open ones unless --alles)."""
        rijen = asyncio.run(_met_engine(service, lambda e: parkeren.lijst(e, consumer, alles=alles)))
        table = Table("id", "consumer", "sleutel", "event_type", "bron", "status", "fout", "geparkeerd_op")
        for r in rijen:
            table.add_row(str(r.id), r.consumer, r.sleutel, r.event_type or "-", r.bron, r.status,
                          (r.fout or "")[:120], r.geparkeerd_op)
        console.print(table)

    @dlq_app.command("opnieuw")
    def opnieuw(service: Service, consumer: Consumer, door: Door, ids: Ids = None,
                alle: Annotated[bool, typer.Option("--alle", help="Every parked row of the consumer.")] = False) -> None:
        """Re-drive parked events to this consumer only, once their cause is fixed."""
        if not ids and not alle:
            err_console.print("[red]name the rows with --id, or --alle[/red]")
            raise typer.Exit(2)
        n = asyncio.run(_met_engine(service, lambda e: parkeren.opnieuw(e, consumer, None if alle else ids, door)))
        console.print(f"[green]✓[/green] {n} parked events re-driven to {service}.{consumer}")

    @dlq_app.command("verwerp")
    def verwerp(service: Service, consumer: Consumer, door: Door,
                ids: Annotated[list[int], typer.Option("--id", help="A parked row's id (repeatable).")]) -> None:
        """Discard parked events for good (never applied); a worker's waiting events follow."""
        n = asyncio.run(_met_engine(service, lambda e: parkeren.verwerp(e, consumer, ids, door)))
        console.print(f"[green]✓[/green] {n} parked events discarded for {service}.{consumer}")
