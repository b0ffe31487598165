"""The embedded default's owner and application roles (issue #18): a database migrated
before the split (everything owned by the superuser, as `wijkwerk up` used to leave it) is
handed to the owner role on the next start, migrated further and granted, so an existing
`.wijkwerk/pg` keeps working and gets the protection."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from wijkwerk_platform.cli.services import embedded_database, migrate, service

pytestmark = pytest.mark.integration


async def test_a_database_from_before_the_split_is_handed_to_the_owner_and_protected(embedded_pg):
    spec = service("cheques")
    naam = f"oud_{uuid.uuid4().hex[:8]}"
    embedded_pg.create_database(naam)
    migrate(spec, embedded_pg.url(naam))  # as the superuser, like before
    try:
        _, app_url = embedded_database(embedded_pg, spec, naam)
        assert app_url == embedded_pg.url(naam, user=spec.app_role)
        conn = await asyncpg.connect(host=embedded_pg.host, port=embedded_pg.port, database=naam,
                                     user=spec.app_role)
        try:
            eigenaars = set(await conn.fetchval(
                "SELECT array_agg(DISTINCT pg_get_userbyid(relowner)) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"))
            assert eigenaars == {spec.owner_role}
            assert await conn.fetchval("SELECT count(*) FROM audit") == 0  # the new migration ran
            for statement in ("DELETE FROM grootboek_boekingen", "TRUNCATE audit",
                              "ALTER TABLE grootboek_transacties DISABLE TRIGGER ALL"):
                with pytest.raises(asyncpg.InsufficientPrivilegeError):
                    await conn.execute(statement)
            assert await conn.fetchval("SELECT wijkwerk_archief_partities(2)") >= 0
        finally:
            await conn.close()
    finally:
        embedded_pg.drop_database(naam)
