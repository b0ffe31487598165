"""The service registry: which services exist, where they listen, how to migrate them.

Each service ``X`` is an installed package whose source lives in
``services/X/src/X/``; its ASGI factory is ``X.entrypoints.api:create_app`` and its
alembic config is ``services/X/alembic.ini``, found through the installed package so
nothing here depends on where the repository is checked out.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    port: int
    env_prefix: str
    # The application role may create schemas of its own (evaluatie rebuilds its read
    # models beside the live ones); no service's role owns or alters the migrated tables.
    app_creates_schemas: bool = False

    @property
    def app_factory(self) -> str:
        """The uvicorn target (used with ``--factory``)."""
        return f"{self.name}.entrypoints.api:create_app"

    @property
    def database_url_env(self) -> str:
        return f"{self.env_prefix}_DATABASE_URL"

    @property
    def migration_database_url_env(self) -> str:
        """The owner's URL, for migrations; unset, migrations use ``database_url_env``."""
        return f"{self.env_prefix}_MIGRATION_DATABASE_URL"

    @property
    def owner_role(self) -> str:
        """The embedded default's owner of this service's database(s)."""
        return f"{self.name}_eigenaar"

    @property
    def app_role(self) -> str:
        """The embedded default's role the service connects as."""
        return f"{self.name}_app"

    @property
    def url_env(self) -> str:
        """The variable other services read this service's base URL from."""
        return f"{self.env_prefix}_URL"

    def local_url(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}"


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("toeleiding", 8001, "TOELEIDING"),
    ServiceSpec("prestaties", 8002, "PRESTATIES"),
    ServiceSpec("cheques", 8003, "CHEQUES"),
    ServiceSpec("evaluatie", 8004, "EVALUATIE", app_creates_schemas=True),
)


def service(name: str) -> ServiceSpec:
    for spec in SERVICES:
        if spec.name == name:
            return spec
    raise KeyError(f"unknown service {name!r}; known: {', '.join(s.name for s in SERVICES)}")


def select_services(only: str | Iterable[str] | None) -> tuple[ServiceSpec, ...]:
    """The services named in ``only`` ("a,b" or "a b" or a list), in registry order;
    all of them when ``only`` is empty. Unknown names raise ValueError."""
    if only is None:
        return SERVICES
    names = only.replace(",", " ").split() if isinstance(only, str) else [n.strip() for n in only]
    names = [n for n in names if n]
    if not names:
        return SERVICES
    unknown = sorted(set(names) - {s.name for s in SERVICES})
    if unknown:
        raise ValueError(
            f"unknown service(s) {', '.join(unknown)}; known: {', '.join(s.name for s in SERVICES)}"
        )
    return tuple(s for s in SERVICES if s.name in names)


def alembic_ini(spec: ServiceSpec) -> Path:
    """``services/X/alembic.ini``, two levels above the package directory ``src/X``."""
    found = importlib.util.find_spec(spec.name)
    if found is None:
        raise RuntimeError(
            f"service package {spec.name!r} is not installed (pip install -e services/{spec.name})"
        )
    if found.origin is not None:
        package_dir = Path(found.origin).parent
    else:  # a namespace package (no __init__.py) has only search locations
        package_dir = Path(next(iter(found.submodule_search_locations or []), ""))
    ini = package_dir.resolve().parents[1] / "alembic.ini"
    if not ini.is_file():
        raise RuntimeError(
            f"{ini} not found: {spec.name} must be installed from its source tree (pip install -e)"
        )
    return ini


def migrate(spec: ServiceSpec, database_url: str, app_url: str | None = None) -> None:
    """``alembic upgrade head`` for ``spec`` against ``database_url`` (the owner's), then,
    when ``app_url`` logs in as another role, that role's grants (``wijkwerk.db.rollen``).

    The service's env.py prefers ``sqlalchemy.url`` from the config over its own
    Settings. env.py calls ``asyncio.run``, so when we are called from inside a running
    loop (an async fixture) the upgrade runs on a helper thread.
    """
    from alembic import command
    from alembic.config import Config

    from wijkwerk.db.rollen import gebruiker
    from wijkwerk_platform.embedded import call_off_loop, run_coroutine_sync

    cfg = Config(str(alembic_ini(spec)))
    # The ini file is read with ConfigParser interpolation: escape '%' (URL-encoded passwords).
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    call_off_loop(lambda: command.upgrade(cfg, "head"))
    app_rol = gebruiker(app_url) if app_url else None
    if app_rol and app_rol != gebruiker(database_url):
        run_coroutine_sync(lambda: _verleen(spec, database_url, app_rol))


async def _verleen(spec: ServiceSpec, owner_url: str, app_rol: str, *, alleen_database: bool = False) -> None:
    from sqlalchemy import pool
    from sqlalchemy.ext.asyncio import create_async_engine

    from wijkwerk.db.rollen import verleen_databaserechten, verleen_rechten

    verleen = verleen_databaserechten if alleen_database else verleen_rechten
    engine = create_async_engine(owner_url, poolclass=pool.NullPool)
    try:
        async with engine.begin() as conn:
            await verleen(conn, app_rol, schemas_aanmaken=spec.app_creates_schemas)
    finally:
        await engine.dispose()


def embedded_database(pg, spec: ServiceSpec, name: str | None = None) -> tuple[str, str]:
    """The embedded default (``wijkwerk up``, tests): database ``name`` (the service's
    name by default) owned by ``spec.owner_role``, migrated as that owner, with the grants
    of ``spec.app_role``. Returns (owner URL, application URL)."""
    name = name or spec.name
    pg.create_role(spec.owner_role)
    pg.create_role(spec.app_role)
    pg.create_database(name, owner=spec.owner_role)
    owner_url, app_url = pg.url(name, user=spec.owner_role), pg.url(name, user=spec.app_role)
    migrate(spec, owner_url, app_url)
    return owner_url, app_url


def copied_database(pg, spec: ServiceSpec, template: str, name: str) -> tuple[str, str]:
    """Database ``name`` as a copy of ``template`` (a database :func:`embedded_database`
    made for the same ``spec``, with no open connections): the same schema, rows and table
    grants in a fraction of a migration's time (tests make one per test). The
    database-level grants live outside the copy and are given again. Returns (owner URL,
    application URL)."""
    from wijkwerk_platform.embedded import run_coroutine_sync

    pg.create_database(name, owner=spec.owner_role, template=template)
    owner_url, app_url = pg.url(name, user=spec.owner_role), pg.url(name, user=spec.app_role)
    run_coroutine_sync(lambda: _verleen(spec, owner_url, spec.app_role, alleen_database=True))
    return owner_url, app_url


DEFAULT_PORT_BASE = 8000


def with_port_base(specs: Iterable[ServiceSpec], port_base: int) -> tuple[ServiceSpec, ...]:
    """The services on ``port_base`` + 1 … + 4 instead of 8001 … 8004."""
    return tuple(dataclasses.replace(s, port=port_base + s.port - DEFAULT_PORT_BASE) for s in specs)
