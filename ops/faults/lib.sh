# Shared by the fault scripts: a fresh database per script, the ledger binary, checks that fail
# loudly. Sourced, not run.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$ROOT"

# Built afresh (a no-op when nothing changed): a fault script never runs an old binary.
build
ledger="$(swift build --show-bin-path)/ledger"
bindir=$(pg_bindir)
pg_home=$(cluster_home)
pg_data="$pg_home/data"
pg_sock="$pg_home/run"
server_admin=$(admin_url postgres)
work="$LOCAL/faults"
mkdir -p "$work"

ok() { printf 'ok    %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*" >&2; exit 1; }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

# One value from the database, as a superuser.
sql() { "$bindir/psql" -X -q -t -A "$LEDGER_ADMIN_URL" -c "$1"; }

event_count() { sql "SELECT count(*) FROM ledger.events"; }

# The figures of SPEC §4 from the read models, for the whole history.
figures() { "$ledger" stats --from 2000-01-01 --to "$(date +%F)" --format json; }

# Every chain holds.
chains_hold() { "$ledger" verify >/dev/null; }

# Runs `$@` in the background and kills it with SIGKILL after $1 seconds (fractions allowed);
# returns 0 when it was killed, 1 when it finished first.
kill_after() {
    local delay="$1"; shift
    "$@" >/dev/null 2>&1 &
    local pid=$!
    sleep "$delay"
    if kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        return 0
    fi
    wait "$pid" 2>/dev/null || true
    return 1
}

# A generated history of about $1 events, cached per size.
history_file() {
    local file="$work/history-$1.jsonl"
    [ -s "$file" ] || "$ledger" generate --events "$1" --seed 11 --output "$file" >/dev/null
    printf '%s\n' "$file"
}

# The keys appenders.py inspects: every registered institution and every operation.
inspection_keys() {
    sql "SELECT 'institution ' || substr(stream, 13) FROM ledger.events WHERE type = 'InstitutionRegistered'
         UNION ALL SELECT 'operation ' || substr(stream, 11) FROM ledger.events WHERE type = 'OperationConducted'" >"$1"
}

# How many of the ids in a JSON list (file $1, key $2) the ledger holds, counting repeats.
stored_count() {
    python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))[sys.argv[2]]))' "$1" "$2" >"$work/ids.txt"
    "$bindir/psql" -X -q -t -A "$LEDGER_ADMIN_URL" <<SQL
CREATE TEMP TABLE wanted (id uuid);
\copy wanted FROM '$work/ids.txt'
SELECT count(*) FROM ledger.events e JOIN wanted w USING (id);
SQL
}

# A new PostgreSQL cluster of its own in $1 (socket $1/run, port $2), as on another machine;
# stopped when the script exits (callers add it to their EXIT trap with stop_cluster).
start_cluster() {
    local dir="$1" port="$2"
    stop_cluster "$dir"
    rm -rf "$dir" && mkdir -p "$dir/run"
    if is_root; then chown -R postgres: "$dir"; fi
    as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-k $dir/run -c listen_addresses='' -c port=$port" start >/dev/null
}
stop_cluster() { as_pg "$bindir/pg_ctl" -D "$1/data" -m fast stop >/dev/null 2>&1 || true; }
