"""The import-service's own Prometheus metrics (deploy/ alerts read them)."""

from prometheus_client import Counter

CHECKS = Counter(
    "hoclieu_import_checks_total", "Checks of an uploaded sheet that ended",
    ["service"],
)
ROWS_CHECKED = Counter(
    "hoclieu_import_rows_checked_total", "Rows of uploaded sheets checked",
    ["service"],
)
FAILURES = Counter(
    "hoclieu_import_failures_total",
    "Uploads, checks and commits that ended in an error (not invalid rows)",
    ["service", "stage"],
)
