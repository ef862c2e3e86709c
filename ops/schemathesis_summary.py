"""A few lines about one Schemathesis run, from its JSON report: used by ops/schemathesis.

    python schemathesis_summary.py RUN.json

Prints how many operations and cases were tested, then each kind of failure found (its code,
title, count and operations) and each error. The run's log holds the requests to reproduce them.
"""

import json
import sys

INDENT = " " * 16


def main(path: str) -> None:
    with open(path, encoding="utf-8") as file:
        report = json.load(file)
    operations, cases = report.get("operations", {}), report.get("test_cases", {})
    print(f"{INDENT}{operations.get('tested', 0)} operations, {cases.get('generated', 0)} test cases, "
          f"{report.get('running_time', 0):.0f}s, stopped: {report.get('stop_reason', '?')}")
    for failure in report.get("failures", []):
        where = ", ".join(failure.get("operations", []))
        print(f"{INDENT}  {failure.get('code', '?')} {failure.get('title', '')} ×{failure.get('count', 0)}: {where}")
    for error in report.get("errors", []):
        text = error if isinstance(error, str) else json.dumps(error, ensure_ascii=False)
        print(f"{INDENT}  error: {text[:300]}")
    limited = report.get("warnings", {}).get("rate_limited") or []
    if limited:
        print(f"{INDENT}  rate-limited (429): {', '.join(limited)}")


if __name__ == "__main__":
    main(sys.argv[1])
