#!/usr/bin/env python3
"""Drop repeated keys from one-line flow maps ({a: 1, a: 2} -> {a: 1}) in segment files.

gen-workspace.py sometimes writes the same key twice in one flow map, which Segmark
rejects (SPEC R5). The benchmark repairs the generated workspace with this script so
that it measures a build, not an error report. Usage: dedupe-flow-keys.py WORKSPACE
"""
import os, re, sys

FLOW = re.compile(r"\{([^{}]*)\}")

def split_items(body):
    items, depth, quote, cur = [], 0, None, ""
    for ch in body:
        if quote:
            cur += ch
            if ch == quote: quote = None
        elif ch in "'\"":
            quote = ch; cur += ch
        elif ch == "," and depth == 0:
            items.append(cur); cur = ""
        else:
            if ch in "[": depth += 1
            if ch in "]": depth -= 1
            cur += ch
    items.append(cur)
    return items

def dedupe(match):
    seen, kept = set(), []
    for item in split_items(match.group(1)):
        key = item.split(":", 1)[0].strip()
        if key in seen: continue
        seen.add(key); kept.append(item.strip())
    return "{" + ", ".join(kept) + "}"

root = os.path.join(sys.argv[1], "Content", "segments")
changed = 0
for dirpath, _, files in os.walk(root):
    for name in sorted(files):
        path = os.path.join(dirpath, name)
        with open(path, encoding="utf-8") as f: text = f.read()
        new = FLOW.sub(dedupe, text)
        if new != text:
            changed += 1
            with open(path, "w", encoding="utf-8") as f: f.write(new)
print(f"dedupe-flow-keys: repaired {changed} segment files", file=sys.stderr)
