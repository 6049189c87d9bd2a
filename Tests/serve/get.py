#!/usr/bin/env python3
"""A tiny HTTP client for the serve tests: sends each request exactly as written (no path
normalising) and prints one JSON object per request: status, headers, body.

usage: get.py PORT [METHOD PATH [If-None-Match]]...   (arguments in groups of three; '-' for no header)
       get.py PORT --load N PATH...                   (N rounds over the paths; prints the count of failures)"""
import http.client, json, sys

port = int(sys.argv[1])
if sys.argv[2] == "--load":
    rounds, paths, failures = int(sys.argv[3]), sys.argv[4:], 0
    for _ in range(rounds):
        for path in paths:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                c.request("GET", path)
                r = c.getresponse()
                r.read()
                if r.status != 200:
                    failures += 1
                c.close()
            except Exception:
                failures += 1
    print(json.dumps({"failures": failures, "requests": rounds * len(paths)}))
    sys.exit(0)
args = sys.argv[2:]
out = []
for i in range(0, len(args), 3):
    method, path, etag = args[i], args[i + 1], args[i + 2]
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    headers = {} if etag == "-" else {"If-None-Match": etag}
    c.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
    for k, v in headers.items():
        c.putheader(k, v)
    c.endheaders()
    r = c.getresponse()
    body = r.read()
    out.append({"status": r.status, "headers": {k.lower(): v for k, v in r.getheaders()}, "body": body.decode("utf-8", "replace")})
    c.close()
print(json.dumps(out))
