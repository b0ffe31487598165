"""Container health probe without curl: GET http(s)://127.0.0.1:$PORT<path> for each path
given (default /health).

Exit 0 when every path answers HTTP 200, 1 otherwise. Used by the image's HEALTHCHECK
(/health, liveness) and by docker-compose (/ready: the API's database reachable, and
/health/workers: no relay or consumer task ended; a broker outage shows on /ready/workers
and in the metrics, it does not make the API unhealthy).
"""

import os
import ssl
import sys
import urllib.error
import urllib.request

# The API port serves HTTPS when the service has a certificate (<SERVICE>_TLS_CERTFILE): the
# probe then speaks TLS to its own process, without checking a certificate issued for the
# service's name, not for 127.0.0.1.
service = os.environ.get("WIJKWERK_SERVICE", "").upper()
https = bool(os.environ.get(f"{service}_TLS_CERTFILE")) if service else False
context = ssl._create_unverified_context() if https else None  # noqa: S323 - loopback probe of itself
paths = sys.argv[1:] or ["/health"]
for path in paths:
    url = f"{'https' if https else 'http'}://127.0.0.1:{os.environ.get('PORT', '8000')}{path}"
    try:
        with urllib.request.urlopen(url, timeout=4, context=context) as response:  # noqa: S310 - fixed local URL
            if response.status != 200:
                sys.exit(1)
    except (urllib.error.URLError, OSError) as exc:
        print(f"{url}: {exc}", file=sys.stderr)
        sys.exit(1)
sys.exit(0)
