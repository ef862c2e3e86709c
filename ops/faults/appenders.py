"""Concurrent clients of the `ledger` command (used by the fault scripts): each appends inspections
in batches of random size, one `ledger import -` (or `ledger append --json` for one event) per
batch, until the time is up, and records which events were acknowledged (exit 0) and which
failed, with the exit code and the first line the command printed.

    appenders.py LEDGER CLIENTS SECONDS MAX_BATCH DAY KEYS_FILE OUT_JSON
KEYS_FILE holds lines `institution KEY` and `operation KEY`."""
import json
import random
import subprocess
import sys
import threading
import time
import uuid

ledger, clients, seconds, max_batch, day, keys_file, out = sys.argv[1:8]
clients, seconds, max_batch = int(clients), float(seconds), int(max_batch)
institutions, operations = [], []
for line in open(keys_file, encoding="utf-8"):
    kind, key = line.split()
    (institutions if kind == "institution" else operations).append(key)

acknowledged, failed, lock = [], [], threading.Lock()
deadline = time.monotonic() + seconds


def event(client):
    return {
        "id": str(uuid.uuid4()), "stream": "institution-" + random.choice(institutions), "type": "InstitutionInspected",
        "occurred_on": day, "actor": f"client-{client}",
        "data": {"operation": random.choice(operations), "result": random.choice(["compliant", "issues_found"])},
    }


def run(client):
    random.seed(client * 7919 + int(time.time()))
    while time.monotonic() < deadline:
        batch = [event(client) for _ in range(random.randint(1, max_batch))]
        lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in batch)
        if len(batch) == 1:
            command = [ledger, "append", "--json", lines.strip()]
            done = subprocess.run(command, capture_output=True, text=True)
        else:
            done = subprocess.run([ledger, "import", "-"], input=lines, capture_output=True, text=True)
        with lock:
            if done.returncode == 0:
                acknowledged.extend(e["id"] for e in batch)
            else:
                message = (done.stderr.strip().splitlines() or [""])[0]
                failed.append({"code": done.returncode, "message": message, "events": batch})


threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
json.dump({"acknowledged": acknowledged, "failed": failed}, open(out, "w"), ensure_ascii=False)
print(f"{len(acknowledged)} events acknowledged, {sum(len(f['events']) for f in failed)} in {len(failed)} failed calls")
