# Developer commands for the service_management addon (Odoo 18.0 Community).
# The work is done by tools/harness.sh; everything it creates lives in .venv/ and .run/.
#
# Environment: ODOO_SRC, PORT, ODOO_DB, ODOO_TEST_DB, TEST_TAGS, ODOO_ARGS, PYTHON, SCALE, BENCH, LOAD,
# PG_BIN, and the libpq variables PGHOST/PGPORT/PGUSER/PGPASSWORD to use an existing
# PostgreSQL server instead of the private one under .run/pg.

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
HARNESS := bash "$(ROOT)/tools/harness.sh"

.DEFAULT_GOAL := help
.PHONY: help setup run test lint format pot bench stop clean

help:
	@echo "make run     set everything up, install/update the addon in $${ODOO_DB:-service_demo}, serve on http://localhost:$${PORT:-8069}"
	@echo "make test    set everything up, run the addon's tests in a fresh $${ODOO_TEST_DB:-service_test} database"
	@echo "make lint    ruff check + pylint-odoo"
	@echo "make format  ruff format + ruff check --fix"
	@echo "make pot     rewrite i18n/service_management.pot from the test database (after make test)"
	@echo "make bench   benchmarks in a fresh $${ODOO_BENCH_DB:-service_bench} database, one line per figure with its target"
	@echo "             and its ratio to plain Odoo (SCALE=small, the default: 1,000 contracts; SCALE=full: 10x);"
	@echo "             BENCH=billing,dunning,jobs,forecast,board runs only those parts (default: all);"
	@echo "             LOAD=1 then runs tools/load.py: 20 clients for LOAD_DURATION=60 s on $${ODOO_DB:-service_demo}, 3 workers"
	@echo "make setup   only the setup part (.venv, Debian packages, PostgreSQL, .run/odoo.conf)"
	@echo "make stop    stop the private PostgreSQL server"
	@echo "make clean   stop it and delete .run/ (databases, filestore, logs; keeps .venv/)"

setup run test lint format pot bench stop clean:
	@$(HARNESS) $@
