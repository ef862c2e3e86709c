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
