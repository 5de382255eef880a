"""`make demo`: the main job on the sample school against a running system."""

from __future__ import annotations

import argparse
import sys
import uuid

from main_job import MainJob


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--school", default=None,
                        help="school code to use (default: a fresh demo code)")
    args = parser.parse_args()
    code = args.school or f"DEMO-{uuid.uuid4().hex[:6].upper()}"
    report = MainJob(args.url, school_code=code).run()
    report.print()
    figures = report.figures
    ok = figures.get("approved") is not None and \
        figures.get("activated") == figures.get("committed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
