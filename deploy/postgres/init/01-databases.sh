#!/usr/bin/env bash
# Per service one database and two login roles (issue #18):
# - <service>, the database's owner: migrations run as it (<SERVICE>_MIGRATION_DATABASE_URL);
# - <service>_app, the role the service connects as (<SERVICE>_DATABASE_URL). It owns
#   nothing: `wijkwerk migrate` grants it what the service needs and no UPDATE, DELETE or
#   TRUNCATE on the ledger, the event archive and the audit trail; it cannot disable a
#   trigger or drop a table.
# Each service is the only user of its own database (ARCHITECTURE §2), and no role can
# connect to another service's database.
#
# Run by the postgres image on the first start of an empty data directory (mounted into
# /docker-entrypoint-initdb.d by docker-compose.yml). It works against any PostgreSQL as a
# superuser too (e.g. a managed server, before the first deployment):
#
#   PGHOST=db.example PGUSER=postgres TOELEIDING_DB_PASSWORD=... TOELEIDING_APP_DB_PASSWORD=... \
#   ... deploy/postgres/init/01-databases.sh
#
# Needs <SERVICE>_DB_PASSWORD (owner) and <SERVICE>_APP_DB_PASSWORD (application role) for
# every service. WIJKWERK_DB_PREFIX (default empty) is put before every role and database
# name, for a cluster shared with other applications.
# Idempotent: an existing role gets the given password, an existing database is kept.
set -euo pipefail

prefix="${WIJKWERK_DB_PREFIX:-}"

for service in toeleiding prestaties cheques evaluatie; do
    password_var="${service^^}_DB_PASSWORD"
    password="${!password_var:-}"
    app_password_var="${service^^}_APP_DB_PASSWORD"
    app_password="${!app_password_var:-}"
    for var in "${password_var}" "${app_password_var}"; do
        if [[ -z "${!var:-}" ]]; then
            echo "01-databases.sh: ${var} is not set" >&2
            exit 1
        fi
    done
    name="${prefix}${service}"
    psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 \
        --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
        --set=name="${name}" --set=password="${password}" \
        --set=app="${name}_app" --set=app_password="${app_password}" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'name', :'password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name')
UNION ALL
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'name', :'password')
 WHERE EXISTS (SELECT FROM pg_roles WHERE rolname = :'name')
\gexec
SELECT format('CREATE ROLE %I LOGIN NOINHERIT PASSWORD %L', :'app', :'app_password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app')
UNION ALL
SELECT format('ALTER ROLE %I LOGIN NOINHERIT PASSWORD %L', :'app', :'app_password')
 WHERE EXISTS (SELECT FROM pg_roles WHERE rolname = :'app')
\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name')
\gexec
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"name" TO :"name";
GRANT CONNECT, TEMPORARY ON DATABASE :"name" TO :"app";
SQL
    echo "01-databases.sh: roles ${name} (owner), ${name}_app (service) and database ${name} ready"
done
