#!/usr/bin/env python3
"""`make bench-spark`: every segment of a workspace as Spark SQL in local mode (`local[2]`),
on the exported tables multiplied FACTOR times (new keys for each copy, as bench-sql.py does)
and kept as Parquet. Prints each query plan's join kinds (semi and anti joins expected; a
nested-loop or cartesian join is reported by name) and the time of every segment's count.

usage: bench-spark.py SEGMARK WORKSPACE [FACTOR] [LIMIT]     (prints Markdown table rows)"""
import os, re, shutil, subprocess, sys, tempfile, time
from collections import Counter

binary, root = sys.argv[1], sys.argv[2]
factor = int(sys.argv[3]) if len(sys.argv) > 3 else 1
limit = int(sys.argv[4]) if len(sys.argv) > 4 else 0
from pyspark.sql import SparkSession, functions as F

folder = tempfile.mkdtemp(prefix="segmark-bench-spark-")
spark = None
try:
    subprocess.run([binary, "export", "sql", folder, "--dialect", "spark", "--root", root], check=True, capture_output=True)
    os.chdir(folder)
    spark = (SparkSession.builder.master("local[2]").appName("segmark-bench-spark")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").config("spark.driver.memory", "3g")
             .config("spark.sql.shuffle.partitions", "8").config("spark.sql.catalogImplementation", "in-memory").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")

    def statements(path):
        buffer = []
        for line in open(path, encoding="utf-8").read().split("\n"):
            if line.startswith("--") and not buffer:
                continue
            buffer.append(line)
            if line.rstrip().endswith(";"):
                yield "\n".join(buffer).rstrip().rstrip(";")
                buffer = []

    for st in statements("schema.sql"):
        spark.sql(st)
    t = time.time()
    contacts_n = spark.table("contacts").count()
    entries_n = spark.table("interaction_entries").agg(F.max("entry_id")).collect()[0][0] or 0
    for table in ("contacts", "contact_values", "interaction_entries"):
        base = spark.table(table)
        copies = []
        for k in range(factor):
            df = base
            if k:
                sfx = "~%d" % k
                df = df.withColumn("contact_key", F.concat(F.col("contact_key"), F.lit(sfx))) \
                       .withColumn("contact_no", F.col("contact_no") + k * contacts_n)
                if table == "contacts":
                    df = df.withColumn("contact_id", F.concat(F.col("contact_id"), F.lit(sfx))) \
                           .withColumn("company_number", F.concat(F.col("company_number"), F.lit(sfx))) \
                           .withColumn("company_no", F.col("company_no") + k * contacts_n) \
                           .withColumn("company_group", F.col("company_group") + k * contacts_n)
                if table == "interaction_entries":
                    df = df.withColumn("entry_id", F.col("entry_id") + k * entries_n)
            copies.append(df)
        whole = copies[0]
        for df in copies[1:]:
            whole = whole.unionByName(df)
        whole.write.parquet(os.path.join(folder, table + ".parquet"))
        spark.read.parquet(os.path.join(folder, table + ".parquet")).createOrReplaceTempView(table)
    load_s = time.time() - t
    for st in statements("segments.sql"):
        spark.sql(st)
    names = sorted(r[1] for r in spark.sql("SHOW VIEWS").collect() if r[1].startswith("segment_"))
    if limit:
        names = names[:limit]
    joins, bad = Counter(), []
    t = time.time()
    slowest = (0, "")
    for name in names:
        plan = spark.sql("SELECT count(*) FROM %s" % name)._jdf.queryExecution().executedPlan().toString()
        for kind in re.findall(r"(\w+Join|CartesianProduct)\b", plan):
            joins[kind] += 1
        for m in re.findall(r"(BroadcastNestedLoopJoin|CartesianProduct)", plan):
            bad.append((name, m))
        for j in re.findall(r"(?:SortMergeJoin|BroadcastHashJoin|ShuffledHashJoin) \[[^\]]*\], \[[^\]]*\], (\w+)", plan):
            joins["  " + j] += 1
        s = time.time()
        spark.sql("SELECT count(*) FROM %s" % name).collect()
        slowest = max(slowest, (time.time() - s, name))
    all_s = time.time() - t
    contacts = spark.table("contacts").count()
    entries = spark.table("interaction_entries").count()
    print("| Spark local[2]: %d segments on %d contacts / %d entries | %.1f s (slowest %s: %.1f s) |" % (len(names), contacts, entries, all_s, slowest[1], slowest[0]))
    print("| (load as Parquet, multiplied ×%d: %.1f s) | |" % (factor, load_s))
    print("| join operators in the plans | %s |" % ", ".join("%s %d" % (k.strip(), v) for k, v in sorted(joins.items())))
    print("| nested-loop or cartesian joins | %s |" % (", ".join("%s in %s" % (m, n) for n, m in bad[:10]) if bad else "none"))
finally:
    if spark is not None:
        spark.stop()
    shutil.rmtree(folder, ignore_errors=True)
