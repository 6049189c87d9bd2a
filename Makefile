# Segmark — the two commands: `make run` and `make test`.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] && echo "" || (command -v sudo >/dev/null && echo sudo || echo NONE))
BIN := .build/release/segmark
GEN := $(if $(wildcard ../shared/tools/gen-workspace.py),../shared/tools/gen-workspace.py,Tests/Fixtures/tools/gen-workspace.py)

.PHONY: run test test-spark setup setup-engines build bench bench-sql bench-spark bench-serve fuzz templates clean check

run: setup build
	$(BIN) build --root .

test: setup setup-engines
	$(SWIFT) build -c release --product segmark
	SEGMARK_BIN=$(CURDIR)/$(BIN) $(SWIFT) test

check: setup build
	$(BIN) check --root .

build: setup
	$(SWIFT) build -c release --product segmark

# Installs libcmark-dev (Debian) when pkg-config cannot find it.
setup:
	@if ! pkg-config --exists libcmark 2>/dev/null; then \
	  if [ "$(SUDO)" = "NONE" ]; then \
	    echo "libcmark-dev is missing. Run: sudo apt-get update && sudo apt-get install -y libcmark-dev pkg-config"; exit 1; \
	  fi; \
	  echo "Installing libcmark-dev with apt-get"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libcmark-dev pkg-config >/dev/null; \
	fi

# The database engines the SQL tests run every segment on (R93): the sqlite3 CLI and
# PostgreSQL from Debian, DuckDB from PyPI. The tests start and stop PostgreSQL themselves.
setup-engines:
	@missing=""; \
	command -v sqlite3 >/dev/null 2>&1 || missing="$$missing sqlite3"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$(SUDO)" = "NONE" ]; then echo "Missing:$$missing. Run: sudo apt-get install -y$$missing"; exit 1; fi; \
	  echo "Installing$$missing with apt-get"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	@python3 -c "import duckdb" 2>/dev/null || { echo "Installing duckdb from PyPI"; python3 -m pip install --quiet duckdb; }

# Every segment's SQL on Spark (pyspark from PyPI, local mode, Java 17) equals `segmark
# members`, for the demo, the trap fixtures and a generated workspace. Kept out of `make test`:
# Spark takes a minute or more a workspace.
test-spark: setup build
	@python3 -c "import pyspark" 2>/dev/null || { echo "Installing pyspark from PyPI"; python3 -m pip install --quiet pyspark; }
	python3 Tests/sql/differential.py --bin $(BIN) --root . --dialect spark
	python3 Tests/sql/differential.py --bin $(BIN) --root Tests/sql/traps --dialect spark
	rm -rf /tmp/segmark-spark-gen && python3 $(GEN) /tmp/segmark-spark-gen --contacts 300 --segments 30 --entries 2000 --seed 1 >/dev/null
	python3 Tests/sql/differential.py --bin $(BIN) --root /tmp/segmark-spark-gen --dialect spark

# Every segment of the L bench workspace as SQL on DuckDB (2 threads), the tables multiplied
# ten times in SQL (1M contacts, 10M entries); see BENCHMARKS.md.
bench-sql: setup build setup-engines
	python3 scripts/bench-sql.py $(BIN) $${BENCH_DIR:-/tmp/segmark-bench}/L $${SQL_FACTOR:-10}

# The same segments on Spark SQL (local[2], the tables as Parquet, multiplied SPARK_FACTOR
# times): the time of every segment's count and the join operators of its plan.
bench-spark: setup build
	@python3 -c "import pyspark" 2>/dev/null || { echo "Installing pyspark from PyPI"; python3 -m pip install --quiet pyspark; }
	python3 scripts/bench-spark.py $(BIN) $${BENCH_DIR:-/tmp/segmark-bench}/L $${SPARK_FACTOR:-1} $${SPARK_LIMIT:-0}

# serve: from a file written to the changed page served, a contact's page after its name
# changed and a segment's sheet after its description changed; at S (BENCH_SIZES="S L" for L).
# The workspaces are those `make bench` generates (made here when missing).
bench-serve: setup build
	@for size in $${BENCH_SIZES:-S}; do \
	  dir=$${BENCH_DIR:-/tmp/segmark-bench}/$$size; \
	  case $$size in S) n=10000; s=50; e=100000 ;; L) n=100000; s=200; e=1000000 ;; *) echo "unknown size $$size"; exit 2 ;; esac; \
	  if [ ! -f $$dir/.complete ]; then rm -rf $$dir && python3 $(GEN) $$dir --contacts $$n --segments $$s --entries $$e >/dev/null && touch $$dir/.complete; fi; \
	  python3 scripts/bench-serve.py $(BIN) $$dir "serve $$size: contact edited → its page" 5 contact || exit 1; \
	  python3 scripts/bench-serve.py $(BIN) $$dir "serve $$size: segment edited → its sheet" 5 segment || exit 1; \
	done

# Regenerates the Swift file that embeds Templates/ into the binary.
templates:
	python3 scripts/embed-templates.py

bench: setup build
	$(SWIFT) build -c release --product segmark-render-bench
	scripts/bench.sh

# libFuzzer on the front-matter loader, the plain-YAML fast path and the filter parser
# (FUZZ_SECONDS per target, default 60); crashes become regression fixtures.
fuzz: setup
	scripts/fuzz.sh

clean:
	rm -rf .build .build-fuzz
