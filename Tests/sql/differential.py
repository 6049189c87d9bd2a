#!/usr/bin/env python3
"""Proven on real engines: for every segment of a workspace, the rows `segmark sql`
returns on the engine equal `segmark members`.

usage: differential.py --bin SEGMARK --root WORKSPACE --dialect sqlite|duckdb|postgres|spark [--as-of D]

The tables come from `segmark export sql` and are loaded with its own load.sql. PostgreSQL
runs as a throw-away cluster in a temporary folder on a private socket, stopped at the end.
Exit 0 when every segment agrees; otherwise the differences are printed and the exit is 1."""
import argparse, os, pwd, re, shutil, subprocess, sys, tempfile


def segmark(args, opts, **kw):
    cmd = [opts.bin] + args + ["--root", opts.root] + (["--as-of", opts.as_of] if opts.as_of else [])
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit("segmark %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr))
    return r.stdout


def segment_ids(root):
    ids = []
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, "Content", "segments")):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in sorted(filenames):
            if not name.endswith(".md") or name.startswith((".", "_")):
                continue
            text = open(os.path.join(dirpath, name), encoding="utf-8").read()
            m = re.search(r"^id:\s*['\"]?([A-Za-z0-9][A-Za-z0-9._-]*)", text.split("\n---", 1)[0], re.M)
            ids.append(m.group(1) if m else name[:-3])
    return ids


class SQLite:
    def __init__(self, folder):
        import sqlite3
        self.db = os.path.join(folder, "segmark.db")
        with open(os.path.join(folder, "load.sql")) as f:
            subprocess.run(["sqlite3", self.db], stdin=f, cwd=folder, check=True)
        self.con = sqlite3.connect(self.db)

    def rows(self, sql):
        return [r[0] for r in self.con.execute(sql.rstrip().rstrip(";"))]

    def close(self):
        self.con.close()


class DuckDB:
    def __init__(self, folder):
        import duckdb
        self.con = duckdb.connect(os.path.join(folder, "segmark.duckdb"))
        old = os.getcwd()
        os.chdir(folder)
        try:
            self.run_file("load.sql")
        finally:
            os.chdir(old)

    def run_file(self, name):
        """Runs a file as the duckdb CLI would: `.read FILE` lines, and statements ending in ';'."""
        buffer = []
        for line in open(name, encoding="utf-8").read().split("\n"):
            if not buffer and line.startswith(".read "):
                self.run_file(line.split(None, 1)[1].strip())
                continue
            buffer.append(line)
            if line.rstrip().endswith(";"):
                self.con.execute("\n".join(buffer))
                buffer = []
        if "\n".join(buffer).strip():
            self.con.execute("\n".join(buffer))

    def rows(self, sql):
        return [r[0] for r in self.con.execute(sql).fetchall()]

    def close(self):
        self.con.close()


class Postgres:
    def __init__(self, folder):
        self.base = tempfile.mkdtemp(prefix="segmark-pg-")
        bindir = self.find_bindir()
        self.ctl = os.path.join(bindir, "pg_ctl")
        self.data = os.path.join(self.base, "data")
        self.user = None
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            self.user = "postgres"
            pw = pwd.getpwnam(self.user)
            os.chmod(self.base, 0o755)
            os.chown(self.base, pw.pw_uid, pw.pw_gid)
            os.chmod(folder, 0o755)
            for f in os.listdir(folder):
                os.chmod(os.path.join(folder, f), 0o644)
            parent = folder
            while parent not in ("/", ""):
                parent = os.path.dirname(parent)
                try:
                    os.chmod(parent, os.stat(parent).st_mode | 0o005)
                except OSError:
                    break
        self.as_user([os.path.join(bindir, "initdb"), "-D", self.data, "-A", "trust", "-U", "segmark", "--no-sync"])
        self.as_user([self.ctl, "-D", self.data, "-l", os.path.join(self.base, "log"), "-w", "start",
                      "-o", "-k %s -c listen_addresses='' -c fsync=off" % self.base])
        self.psql = [os.path.join(bindir, "psql"), "-h", self.base, "-U", "segmark", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]
        self.as_user(self.psql + ["-f", "load.sql"], cwd=folder)

    @staticmethod
    def find_bindir():
        for v in ("15", "16", "17", "14", "13"):
            d = "/usr/lib/postgresql/%s/bin" % v
            if os.path.exists(os.path.join(d, "initdb")):
                return d
        sys.exit("PostgreSQL server binaries not found (apt-get install postgresql)")

    def as_user(self, cmd, cwd=None):
        if self.user:
            cmd = ["runuser", "-u", self.user, "--"] + cmd
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
        if r.returncode != 0:
            sys.exit("%s failed: %s%s" % (cmd, r.stdout, r.stderr))
        return r.stdout

    def rows(self, sql):
        out = self.as_user(self.psql + ["-At", "-c", sql])
        return [l for l in out.split("\n") if l]

    def close(self):
        subprocess.run((["runuser", "-u", self.user, "--"] if self.user else []) + [self.ctl, "-D", self.data, "-m", "fast", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(self.base, ignore_errors=True)


class Spark:
    """Spark SQL in local mode (pyspark from PyPI), the tables reading the CSV files in place."""
    def __init__(self, folder):
        from pyspark.sql import SparkSession
        os.chdir(folder)
        self.spark = (SparkSession.builder.master("local[2]").appName("segmark-differential")
                      .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                      .config("spark.sql.catalogImplementation", "in-memory").getOrCreate())
        self.spark.sparkContext.setLogLevel("ERROR")
        buffer = []
        for line in open("load.sql", encoding="utf-8").read().split("\n"):
            if line.startswith("--") and not buffer:
                continue
            buffer.append(line)
            if line.rstrip().endswith(";"):
                self.spark.sql("\n".join(buffer).rstrip().rstrip(";"))
                buffer = []

    def rows(self, sql):
        return [r[0] for r in self.spark.sql(sql.rstrip().rstrip(";")).collect()]

    def close(self):
        self.spark.stop()


ENGINES = {"sqlite": SQLite, "duckdb": DuckDB, "postgres": Postgres, "spark": Spark}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--dialect", required=True, choices=sorted(ENGINES))
    p.add_argument("--as-of", dest="as_of")
    opts = p.parse_args()
    opts.bin, opts.root = os.path.abspath(opts.bin), os.path.abspath(opts.root)  # engines may change the folder
    folder = tempfile.mkdtemp(prefix="segmark-sql-")
    try:
        segmark(["export", "sql", folder, "--dialect", opts.dialect], opts)
        engine = ENGINES[opts.dialect](folder)
        failures = 0
        ids = segment_ids(opts.root)
        try:
            for sid in ids:
                expected = segmark(["members", sid], opts).split("\n")
                expected = [x for x in expected if x]
                got = engine.rows(segmark(["sql", sid, "--dialect", opts.dialect], opts))
                if got != expected:
                    failures += 1
                    print("%s %s: engine %d rows, segmark %d; only in SQL %s; only in segmark %s" % (
                        opts.dialect, sid, len(got), len(expected), sorted(set(got) - set(expected))[:8],
                        sorted(set(expected) - set(got))[:8]))
        finally:
            engine.close()
        print("%s: %d segments, %d agree, %d differ" % (opts.dialect, len(ids), len(ids) - failures, failures))
        sys.exit(1 if failures else 0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
