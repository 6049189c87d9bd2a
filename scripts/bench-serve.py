#!/usr/bin/env python3
"""`segmark serve`'s targets (issue: page visible after an edit ≤ 300 ms at S, ≤ 2 s at L;
memory while serving L ≤ 1.5 GB): starts `segmark serve` on a workspace, then EDITS times
changes one contact's name and measures from the file write to the changed page being
served (polling the page every 10 ms). Prints one Markdown table row.

With KIND "segment" it changes a segment's description instead and waits for its sheet.

usage: bench-serve.py SEGMARK WORKSPACE LABEL [EDITS] [contact|segment]"""
import http.client, os, re, signal, statistics, subprocess, sys, time

binary, root, label = sys.argv[1], sys.argv[2], sys.argv[3]
edits = int(sys.argv[4]) if len(sys.argv) > 4 else 5
p = subprocess.Popen([binary, "serve", "--port", "0", "--root", root], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
start = time.time()
port = None
while port is None:
    line = p.stdout.readline()
    if not line:
        sys.exit("serve stopped: no address")
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if m:
        port = int(m.group(1))
first = time.time() - start


def get(path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("GET", path)
    body = c.getresponse().read().decode("utf-8", "replace")
    c.close()
    return body


kind = sys.argv[5] if len(sys.argv) > 5 else "contact"
folder, key, pages = ("segments", "description", "/segments/") if kind == "segment" else ("contacts", "name", "/contacts/")
records = sorted(f for f in os.listdir(os.path.join(root, "Content", folder)) if f.endswith(".md"))
name = records[1]
path = os.path.join(root, "Content", folder, name)
page = pages + name[:-3] + ".html"
get(page)
latencies = []
for n in range(edits):
    text = open(path, encoding="utf-8").read()
    new = "Served-%d-%d" % (os.getpid(), n)
    text = re.sub(r"^%s: .*$" % key, key + ": " + new, text, count=1, flags=re.M)
    t0 = time.time()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    while new not in get(page):
        time.sleep(0.01)
        if time.time() - t0 > 300:
            sys.exit("the edit never showed")
    latencies.append(time.time() - t0)
    time.sleep(0.2)
peak = 0
with open("/proc/%d/status" % p.pid) as f:
    for line in f:
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) // 1024
p.send_signal(signal.SIGTERM)
p.wait(timeout=30)
print("| %-44s | %8.3f | %8.3f | %8.3f | %7d |" % (label, statistics.median(latencies), min(latencies), max(latencies), peak))
print("| %-44s | %8.2f | %8s | %8s | %7s |" % ("  (serve: first build until listening)", first, "", "", ""))
