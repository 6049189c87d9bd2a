#!/usr/bin/env python3
"""`make bench-sql`: every segment of a workspace run as SQL on DuckDB (2 threads), on the
exported tables multiplied in SQL (each contact and entry copied FACTOR times with new keys,
so every segment's structure and selectivity stay the same), beside Segmark's own engine.

usage: bench-sql.py SEGMARK WORKSPACE [FACTOR]     (prints Markdown table rows)"""
import os, re, shutil, subprocess, sys, tempfile, time

binary, root = sys.argv[1], sys.argv[2]
factor = int(sys.argv[3]) if len(sys.argv) > 3 else 10
import duckdb

folder = tempfile.mkdtemp(prefix="segmark-bench-sql-")
try:
    t = time.time()
    subprocess.run([binary, "export", "sql", folder, "--dialect", "duckdb", "--root", root], check=True, capture_output=True)
    export_s = time.time() - t
    con = duckdb.connect(os.path.join(folder, "bench.duckdb"))
    con.execute("SET threads = 2")
    old = os.getcwd()
    os.chdir(folder)
    t = time.time()
    con.execute(open("schema.sql").read())
    for table in ("contacts", "contact_values", "interaction_entries"):
        con.execute("COPY %s FROM '%s.csv' (FORMAT csv, HEADER true)" % (table, table))
    load_s = time.time() - t
    n_entries = con.execute("SELECT max(entry_id) FROM interaction_entries").fetchone()[0] or 0
    n_contacts = con.execute("SELECT max(contact_no) FROM contacts").fetchone()[0] or 0
    t = time.time()
    for k in range(1, factor):
        s = "'~%d'" % k
        # New keys for the copies; every other column (the filter columns too) stays as it is.
        con.execute("INSERT INTO contacts SELECT * REPLACE (contact_key || %s AS contact_key, contact_id || %s AS contact_id, "
                    "company_number || %s AS company_number, contact_no + %d AS contact_no, company_no + %d AS company_no, company_group + %d AS company_group) FROM contacts WHERE contact_key NOT LIKE '%%~%%'" % (s, s, s, k * n_contacts, k * n_contacts, k * n_contacts))
        con.execute("INSERT INTO contact_values SELECT * REPLACE (contact_key || %s AS contact_key, contact_no + %d AS contact_no) "
                    "FROM contact_values WHERE contact_key NOT LIKE '%%~%%'" % (s, k * n_contacts))
        con.execute("INSERT INTO interaction_entries SELECT * REPLACE (entry_id + %d AS entry_id, contact_key || %s AS contact_key, contact_no + %d AS contact_no) "
                    "FROM interaction_entries WHERE entry_id <= %d" % (k * n_entries, s, k * n_contacts, n_entries))
    con.execute("CHECKPOINT")  # the tables as a loaded database has them (no write-ahead log to replay)
    multiply_s = time.time() - t
    # Queries run on the database as a user opens it after loading, not in the loading session.
    con.close()
    con = duckdb.connect(os.path.join(folder, "bench.duckdb"))
    con.execute("SET threads = 2")
    if os.environ.get("SQL_SORT") == "1":
        # Value tables clustered by field: DuckDB skips row groups whose field range misses the filter.
        t = time.time()
        for table, key in (("contact_values", "field, value_folded, contact_key"),):
            con.execute("CREATE TABLE sorted_t AS SELECT * FROM %s ORDER BY %s" % (table, key))
            con.execute("DROP TABLE %s" % table)
            con.execute("ALTER TABLE sorted_t RENAME TO %s" % table)
        multiply_s += time.time() - t
    contacts = con.execute("SELECT count(*) FROM contacts").fetchone()[0]
    entries = con.execute("SELECT count(*) FROM interaction_entries").fetchone()[0]
    views = open("segments.sql").read()
    for statement in re.split(r";\n(?=DROP VIEW|CREATE VIEW|$)", views):
        statement = "\n".join(line for line in statement.split("\n") if not line.startswith("--"))
        if statement.strip():
            con.execute(statement)
    names = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE view_name LIKE 'segment_%' ORDER BY 1").fetchall()]
    t = time.time()
    slowest = (0, "")
    for name in names:
        s0 = time.time()
        con.execute("SELECT count(*) FROM %s" % name).fetchone()
        slowest = max(slowest, (time.time() - s0, name))
    all_s = time.time() - t
    os.chdir(old)
    print("| DuckDB 2 threads: %d segments on %d contacts / %d entries | %.1f s (slowest %s: %.1f s) |" % (len(names), contacts, entries, all_s, slowest[1], slowest[0]))
    print("| (export %.1f s, load %.1f s, multiply ×%d in SQL %.1f s) | |" % (export_s, load_s, factor, multiply_s))
finally:
    shutil.rmtree(folder, ignore_errors=True)
