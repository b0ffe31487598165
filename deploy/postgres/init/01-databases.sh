#!/usr/bin/env bash
# One login role and one database per service: each service is the only user of its own
# database (ARCHITECTURE §2), and no role can connect to another service's database.
#
# Run by the postgres image on the first start of an empty data directory (mounted into
# /docker-entrypoint-initdb.d by docker-compose.yml). It works against any PostgreSQL as a
# superuser too (e.g. a managed server, before the first deployment):
#
#   PGHOST=db.example PGUSER=postgres TOELEIDING_DB_PASSWORD=... PRESTATIES_DB_PASSWORD=... \
#   CHEQUES_DB_PASSWORD=... EVALUATIE_DB_PASSWORD=... deploy/postgres/init/01-databases.sh
#
# Needs <SERVICE>_DB_PASSWORD for every service. WIJKWERK_DB_PREFIX (default empty) is put
# before every role and database name, for a cluster shared with other applications.
# Idempotent: an existing role gets the given password, an existing database is kept.
set -euo pipefail

prefix="${WIJKWERK_DB_PREFIX:-}"

for service in toeleiding prestaties cheques evaluatie; do
    password_var="${service^^}_DB_PASSWORD"
    password="${!password_var:-}"
    if [[ -z "${password}" ]]; then
        echo "01-databases.sh: ${password_var} is not set" >&2
        exit 1
    fi
    name="${prefix}${service}"
    psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 \
        --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
        --set=name="${name}" --set=password="${password}" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'name', :'password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name')
UNION ALL
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'name', :'password')
 WHERE EXISTS (SELECT FROM pg_roles WHERE rolname = :'name')
\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name')
\gexec
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"name" TO :"name";
SQL
    echo "01-databases.sh: role and database ${name} ready"
done
