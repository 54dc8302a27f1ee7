"""Small PostgreSQL helper for tools/harness.sh (runs with the venv's Python).

Connection parameters come from the usual libpq variables (PGHOST, PGPORT,
PGUSER, PGPASSWORD...), which the harness sets for its private cluster.

    dbtool.py ping                 print "superuser", "createdb" or "none"
    dbtool.py module-state DB MOD  print "missing" (no database), "uninitialized"
                                   (not an Odoo database), "absent" (module
                                   unknown) or the module's state
    dbtool.py drop DB              drop DB if it exists (closing its connections)
"""

import sys

import psycopg2
from psycopg2 import sql

MAINTENANCE_DB = "postgres"


def _connect(dbname):
    conn = psycopg2.connect(dbname=dbname)
    conn.autocommit = True
    return conn


def _exists(cur, dbname):
    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,))
    return cur.fetchone() is not None


def ping():
    with _connect(MAINTENANCE_DB) as conn, conn.cursor() as cur:
        cur.execute("SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = current_user")
        superuser, createdb = cur.fetchone()
    return "superuser" if superuser else "createdb" if createdb else "none"


def module_state(dbname, module):
    with _connect(MAINTENANCE_DB) as conn, conn.cursor() as cur:
        if not _exists(cur, dbname):
            return "missing"
    conn = _connect(dbname)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
            if not cur.fetchone()[0]:
                return "uninitialized"
            cur.execute("SELECT state FROM ir_module_module WHERE name = %s", (module,))
            row = cur.fetchone()
            return row[0] if row else "absent"
    finally:
        conn.close()


def drop(dbname):
    conn = _connect(MAINTENANCE_DB)
    try:
        with conn.cursor() as cur:
            if _exists(cur, dbname):
                cur.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(dbname)))
    finally:
        conn.close()
    return None


def main(argv):
    commands = {"ping": (ping, 0), "module-state": (module_state, 2), "drop": (drop, 1)}
    if not argv or argv[0] not in commands or len(argv) - 1 != commands[argv[0]][1]:
        sys.stderr.write(__doc__)
        return 2
    func, _nargs = commands[argv[0]]
    try:
        out = func(*argv[1:])
    except psycopg2.Error as exc:
        sys.stderr.write(" ".join(str(exc).split()) + "\n")
        return 1
    if out is not None:
        sys.stdout.write(out + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
