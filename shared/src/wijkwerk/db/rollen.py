"""The database owner and the application role (issue #18).

Migrations run as the **owner** of a service's database (``<SERVICE>_MIGRATION_DATABASE_URL``):
it owns every table, function and sequence. The service connects as the **application
role** (``<SERVICE>_DATABASE_URL``), which owns nothing, so it cannot drop a table,
disable a trigger (``ALTER TABLE … DISABLE TRIGGER`` needs ownership) or change a grant.
After every migration :func:`verleen_rechten` gives it exactly what the service needs:

- SELECT, INSERT, UPDATE, DELETE, TRUNCATE on ordinary tables (outbox purges, read
  models, idempotency keys…);
- only SELECT and INSERT on **append-only** tables: every table with a trigger named
  ``<table>_alleen_toevoegen`` or ``<table>_onveranderlijk`` — the ledger and the period
  closes in cheques, the event archive ``gebeurtenissen``, the ``audit`` trail. A table a
  later migration protects that way is covered by the next ``wijkwerk migrate``;
- nothing on partitions (rows reach them through their parent; the archive's month
  partitions are created by ``wijkwerk_archief_partities``, which runs with the owner's
  rights, ``SECURITY DEFINER``);
- only SELECT on ``alembic_version``;
- sequences' USAGE and SELECT; CREATE on the database (own schemas) only where a
  service needs it (evaluatie's side-by-side rebuild of its read models).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

_BESCHERMD = text(r"""
    SELECT DISTINCT c.relname FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND NOT t.tgisinternal AND NOT c.relispartition
      AND (t.tgname LIKE '%\_alleen\_toevoegen' OR t.tgname LIKE '%\_onveranderlijk')
""")
_TABELLEN = text("""
    SELECT c.relname, c.relkind, c.relispartition FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
""")

GEWOON = "SELECT, INSERT, UPDATE, DELETE, TRUNCATE"
ALLEEN_LEZEN = frozenset({"alembic_version"})  # the schema's version is the migrations' business
ALLEEN_TOEVOEGEN = "SELECT, INSERT"


def gebruiker(url: str) -> str | None:
    """The role a database URL logs in as."""
    return make_url(url).username


def ident(naam: str) -> str:
    return '"' + naam.replace('"', '""') + '"'


async def beschermde_tabellen(conn: AsyncConnection) -> set[str]:
    return set((await conn.execute(_BESCHERMD)).scalars())


async def verleen_databaserechten(conn: AsyncConnection, app_rol: str, *, schemas_aanmaken: bool = False) -> None:
    """The database-level part of :func:`verleen_rechten` (connect, temporary tables, creating
    schemas): kept in ``pg_database``, so a copy of a database (``CREATE DATABASE … TEMPLATE``)
    does not take it along, unlike the grants on its tables."""
    rol = ident(app_rol)
    database = ident(await conn.scalar(text("SELECT current_database()")))
    await conn.execute(text(f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {rol}"))
    await conn.execute(text(f"{'GRANT' if schemas_aanmaken else 'REVOKE'} CREATE ON DATABASE {database} "
                            f"{'TO' if schemas_aanmaken else 'FROM'} {rol}"))


async def verleen_rechten(conn: AsyncConnection, app_rol: str, *, schemas_aanmaken: bool = False) -> set[str]:
    """Grant ``app_rol`` what a service needs on this database (run as the owner, after the
    migrations); returns the append-only tables."""
    if app_rol == await conn.scalar(text("SELECT current_user")):
        raise ValueError(f"the application role {app_rol!r} is the database owner: give the service its own role")
    rol = ident(app_rol)
    beschermd = await beschermde_tabellen(conn)
    await verleen_databaserechten(conn, app_rol, schemas_aanmaken=schemas_aanmaken)
    await conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {rol}"))
    for naam, soort, partitie in (await conn.execute(_TABELLEN)).all():
        tabel = ident(naam)
        await conn.execute(text(f"REVOKE ALL ON TABLE {tabel} FROM {rol}"))
        if partitie:
            continue
        rechten = ("SELECT" if soort in ("v", "m") or naam in ALLEEN_LEZEN
                   else ALLEEN_TOEVOEGEN if naam in beschermd else GEWOON)
        await conn.execute(text(f"GRANT {rechten} ON TABLE {tabel} TO {rol}"))
    await conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {rol}"))
    return beschermd


# An embedded cluster created before the split has its tables owned by the superuser:
# hand them (and their functions) to the owner role, so it can migrate them.
OVERDRAGEN = """
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS naam FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relowner <> '{eigenaar}'::regrole
    LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO %I', r.naam, '{eigenaar}');
    END LOOP;
    FOR r IN SELECT c.oid::regclass AS naam FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind = 'S' AND c.relowner <> '{eigenaar}'::regrole
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
    LOOP
        EXECUTE format('ALTER SEQUENCE %s OWNER TO %I', r.naam, '{eigenaar}');
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS naam FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public' AND p.proowner <> '{eigenaar}'::regrole
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO %I', r.naam, '{eigenaar}');
    END LOOP;
END $$
"""
