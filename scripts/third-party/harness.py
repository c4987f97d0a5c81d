"""Step bookkeeping shared by the Python drivers of scripts/third-party-clients.sh.

Each step prints one line `RESULT <client> <step> PASS|FAIL|SKIP <detail>`; the shell script
collects them. A failing step does not stop the flow: later steps that need its result are
skipped with the reason.
"""

import os
import sys
import time
import traceback
import urllib.parse
import urllib.request
import json


class Sim:
    """What a user of the simulator would configure: URLs and the demo credentials."""

    def __init__(self):
        self.base = os.environ["ZB_SIM_URL"].rstrip("/")
        self.client_id = os.environ["ZB_CLIENT_ID"]
        self.client_secret = os.environ["ZB_CLIENT_SECRET"]
        self.refresh_token = os.environ["ZB_REFRESH_TOKEN"]
        self.org = os.environ["ZB_ORG_ID"]
        self.run = os.environ.get("ZB_RUN", str(int(time.time())))

    def access_token(self):
        """An access token from the accounts server, as a user gets one before using a client
        that only takes a token (Zoho's self-client flow)."""
        body = urllib.parse.urlencode(
            {
                "grant_type": "refresh_token",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "refresh_token": self.refresh_token,
            }
        ).encode()
        with urllib.request.urlopen(self.base + "/oauth/v2/token", data=body, timeout=10) as r:
            answer = json.loads(r.read())
        if "access_token" not in answer:
            raise RuntimeError("token endpoint answered " + ",".join(sorted(answer)))
        return answer["access_token"]


class Skip(Exception):
    """A step that cannot run (the client has no such call, or an earlier step failed)."""


class Steps:
    def __init__(self, client):
        self.client = client
        self.failed = 0
        self.values = {}

    def need(self, *keys):
        missing = [k for k in keys if self.values.get(k) is None]
        if missing:
            raise Skip("needs " + ", ".join(missing) + " from an earlier step")
        return [self.values[k] for k in keys]

    def run(self, name, fn):
        try:
            detail = fn()
            self._emit(name, "PASS", detail or "")
        except Skip as skip:
            self._emit(name, "SKIP", str(skip))
        except Exception as exc:  # the whole point is to report any failure of the client
            self.failed += 1
            last = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{os.path.basename(last.filename)}:{last.lineno}"
            self._emit(name, "FAIL", f"{type(exc).__name__}: {short(exc)} (at {where})")
            if os.environ.get("ZB_VERBOSE"):
                traceback.print_exc()

    def _emit(self, name, status, detail):
        detail = " ".join(str(detail).split())
        print(f"RESULT {self.client} {name} {status} {detail}", flush=True)

    def done(self):
        sys.exit(1 if self.failed else 0)


def short(exc, limit=300):
    text = str(exc)
    return text if len(text) <= limit else text[:limit] + "…"


def check(cond, message):
    if not cond:
        raise AssertionError(message)
