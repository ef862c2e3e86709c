# Shared by the ops scripts: where things are, and how to run PostgreSQL's binaries.
# Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# apt-get as root, or through sudo when there is one; never prompts.
apt_install() {
    local apt=(env DEBIAN_FRONTEND=noninteractive apt-get)
    if ! is_root; then
        command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: $*"
        apt=(sudo DEBIAN_FRONTEND=noninteractive apt-get)
    fi
    say "installing $* (apt-get)"
    "${apt[@]}" update -qq
    "${apt[@]}" install -y -qq --no-install-recommends "$@" >/dev/null
}

# The newest installed PostgreSQL server's bin directory (Debian layout).
pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] || return 1
    printf '%s\n' "$dir"
}

# PostgreSQL refuses to run as root: run its binaries as `postgres` then (runuser, no sudo needed).
pg_user() { if is_root; then echo postgres; else id -un; fi; }
as_pg() {
    if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Where the private cluster lives: in the project, unless the postgres user cannot reach it
# (a checkout under /root, say); then under /var/tmp, keyed by the project's path.
cluster_home() {
    if [ -n "${LEDGER_CLUSTER_DIR:-}" ]; then echo "$LEDGER_CLUSTER_DIR"; return; fi
    if ! is_root || runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
        echo "$LOCAL/pg"
    else
        echo "/var/tmp/ledger-$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)"
    fi
}

LEDGER_PORT="${LEDGER_PORT:-5432}"

# The master key that keeps complaints' reporters confidential (SPEC §12): 32 random bytes under
# .local (never committed, never in the database). The erasure list is written beside it
# (master.key.erased). Back both up, apart from the database's backups.
export LEDGER_MASTER_KEY_FILE="${LEDGER_MASTER_KEY_FILE:-$LOCAL/master.key}"
ensure_master_key() {
    [ -f "$LEDGER_MASTER_KEY_FILE" ] && return
    mkdir -p "$(dirname "$LEDGER_MASTER_KEY_FILE")"
    (umask 077 && head -c 32 /dev/urandom >"$LEDGER_MASTER_KEY_FILE")
    say "created the master key $LEDGER_MASTER_KEY_FILE (back it up apart from the database)"
}

# $1, a database URL in either of libpq's forms (a conninfo `host=… dbname=…`, or a URI
# `postgresql://user@host:port/db?host=/socket`), naming the database $2 instead.
url_with_database() {
    local url="$1" name="$2"
    case "$url" in
        postgres://* | postgresql://*)
            local scheme="${url%%://*}" rest="${url#*://}" query=""
            if [[ "$rest" == *\?* ]]; then query="?${rest#*\?}"; rest="${rest%%\?*}"; fi
            printf '%s://%s/%s%s\n' "$scheme" "${rest%%/*}" "$name" "$query"
            ;;
        *dbname=*) printf '%s\n' "$url" | sed "s/dbname=[^ ]*/dbname=$name/" ;;
        *) printf '%s dbname=%s\n' "$url" "$name" ;;
    esac
}

# The local cluster's URLs for database $1: as the application, and as its administrator.
app_url() { url_with_database "$(cat "$LOCAL/database-url")" "$1"; }
admin_url() { url_with_database "$(cat "$LOCAL/admin-url")" "$1"; }

# Builds with `swift build -q` and the options given; when the build fails, shows why and stops
# the script (a failed build must never leave an old binary to run).
build() {
    local log status=0
    log=$(mktemp)
    swift build -q "$@" >"$log" 2>&1 || status=$?
    # SwiftPM's note that the executable target's sources are its `main`: noise, not a warning of ours.
    grep -v "^warning: 'main': Source files" "$log" >&2 || true
    rm -f "$log"
    [ "$status" -eq 0 ] || die "the build failed (swift build $*): see above"
}

# A fresh, migrated database $1 on the local cluster (CREATE DATABASE options in $2), for a
# script's own use; DATABASE_URL and LEDGER_ADMIN_URL point at it. Needs $ledger.
fresh_database() {
    local name="$1" bindir
    bindir=$(pg_bindir)
    PGOPTIONS="-c client_min_messages=warning" "$bindir/psql" -X -q "$(admin_url postgres)" \
        -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name ${2:-}" >/dev/null
    export LEDGER_ADMIN_URL="$(admin_url "$name")"
    export DATABASE_URL="$(app_url "$name")"
    "$ledger" migrate >/dev/null
}
