#!/bin/sh
# Without arguments (or with only uvicorn options): serve the service's ASGI factory
# "${WIJKWERK_SERVICE}.entrypoints.api:create_app" --factory under uvicorn, through
# wijkwerk_platform.serve, which adds HTTPS when the service's settings name a certificate
# (<SERVICE>_TLS_CERTFILE, <SERVICE>_TLS_KEYFILE).
# Anything else runs as given, e.g. `wijkwerk migrate --only toeleiding`, `wijkwerk topics`.
set -eu

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
    exec python -m wijkwerk_platform.serve "${WIJKWERK_SERVICE}" \
        --host 0.0.0.0 --port "${PORT}" \
        --no-access-log \
        --timeout-graceful-shutdown "${WIJKWERK_GRACEFUL_SHUTDOWN_S:-20}" \
        "$@"
fi
exec "$@"
