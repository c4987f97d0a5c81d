"""A small Zoho Books integration, as such programs are written: its own token and
organization_id on every call, a create, a read, an update, a delete, then a burst of reads
from 8 threads (which, sent to Zoho directly, earns 429/44 and blocks the organization for the
rest of the minute). Through the zbooks gateway only ZOHO_BOOKS_BASE_URL changes."""

import os
import sys
from concurrent.futures import ThreadPoolExecutor

try:
    import requests
except ImportError:  # the standard library does the same job
    requests = None
    import json
    import urllib.error
    import urllib.parse
    import urllib.request

BASE = os.environ.get("ZOHO_BOOKS_BASE_URL", "https://www.zohoapis.in/books/v3")
ORG = os.environ["ZOHO_ORG_ID"]
HEADERS = {"Authorization": "Zoho-oauthtoken " + os.environ.get("ZOHO_ACCESS_TOKEN", "")}


def call(method, path, body=None, params=None):
    params = dict(params or {}, organization_id=ORG)
    if requests is not None:
        r = requests.request(method, BASE + path, params=params, json=body, headers=HEADERS, timeout=60)
        return r.status_code, r.json()
    url = BASE + path + "?" + urllib.parse.urlencode(params)
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=dict(HEADERS, **{"Content-Type": "application/json"}))
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def main():
    status, body = call("POST", "/contacts", {"contact_name": "Python Traders"})
    assert status == 201 and body["code"] == 0, (status, body)
    contact_id = body["contact"]["contact_id"]
    status, body = call("GET", "/contacts/" + contact_id)
    assert status == 200 and body["contact"]["contact_name"] == "Python Traders", (status, body)
    status, body = call("PUT", "/contacts/" + contact_id, {"contact_name": "Python Traders Ltd"})
    assert status == 200 and body["contact"]["contact_name"] == "Python Traders Ltd", (status, body)
    status, body = call("DELETE", "/contacts/" + contact_id)
    assert status == 200 and body["code"] == 0, (status, body)
    print("created, read, updated and deleted contact", contact_id)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: call("GET", "/contacts", params={"per_page": 5}), range(150)))
    ok = sum(1 for status, body in results if status == 200 and body.get("code") == 0)
    failed = [(status, body) for status, body in results if status != 200]
    print("burst: %d calls, %d ok" % (len(results), ok))
    if failed:
        print("failures:", failed[:3], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
