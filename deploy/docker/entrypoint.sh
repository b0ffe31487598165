#!/bin/sh
# Without arguments (or with only uvicorn options): serve the service's ASGI factory.
# Anything else runs as given, e.g. `wijkwerk migrate --only toeleiding`, `wijkwerk topics`.
set -eu

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
    exec uvicorn "${WIJKWERK_SERVICE}.entrypoints.api:create_app" --factory \
        --host 0.0.0.0 --port "${PORT}" \
        --no-access-log \
        --timeout-graceful-shutdown "${WIJKWERK_GRACEFUL_SHUTDOWN_S:-20}" \
        "$@"
fi
exec "$@"
