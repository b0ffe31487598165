"""Container health probe without curl: GET http://127.0.0.1:$PORT<path> (default /health).

Exit 0 on HTTP 200, 1 otherwise. Used by the image's HEALTHCHECK (/health, liveness) and
by docker-compose (/ready: database reachable, relay and consumers connected).
"""

import os
import sys
import urllib.error
import urllib.request

path = sys.argv[1] if len(sys.argv) > 1 else "/health"
url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}{path}"
try:
    with urllib.request.urlopen(url, timeout=4) as response:  # noqa: S310 - fixed local URL
        sys.exit(0 if response.status == 200 else 1)
except (urllib.error.URLError, OSError) as exc:
    print(f"{url}: {exc}", file=sys.stderr)
    sys.exit(1)
