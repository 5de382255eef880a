"""Container health check: exit 0 when the service answers GET /healthz.

Copied into every service image; reads the port the service listens on from
HTTP_PORT so a changed port needs no new image.
"""

import os
import sys
import urllib.request

URL = f"http://127.0.0.1:{os.environ.get('HTTP_PORT', '8000')}/healthz"

try:
    with urllib.request.urlopen(URL, timeout=2) as response:
        sys.exit(0 if response.status == 200 else 1)
except OSError as error:
    print(f"health check of {URL} failed: {error}", file=sys.stderr)
    sys.exit(1)
