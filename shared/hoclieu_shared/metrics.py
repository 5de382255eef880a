"""Prometheus metrics every service exposes on /metrics."""

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter(
    "hoclieu_http_requests_total", "HTTP requests answered",
    ["service", "method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "hoclieu_http_request_duration_seconds", "Time to answer an HTTP request",
    ["service", "method", "route"],
)
OUTBOX_PENDING = Gauge(
    "hoclieu_outbox_pending", "Outbox rows not yet on the broker", ["service"]
)
OUTBOX_OLDEST_AGE = Gauge(
    "hoclieu_outbox_oldest_pending_age_seconds",
    "Age of the oldest outbox row not yet on the broker", ["service"],
)
EVENTS_PUBLISHED = Counter(
    "hoclieu_events_published_total", "Events put on the broker by the relay",
    ["service", "topic"],
)
PUBLISH_FAILURES = Counter(
    "hoclieu_outbox_publish_failures_total", "Failed attempts to publish",
    ["service"],
)
EVENTS_CONSUMED = Counter(
    "hoclieu_events_consumed_total",
    "Messages handled, by outcome (applied, duplicate, retried, dead_lettered)",
    ["service", "topic", "outcome"],
)
DLQ_MESSAGES = Counter(
    "hoclieu_dlq_messages_total", "Messages sent to a dead-letter topic",
    ["service", "topic"],
)
CONSUMER_LAG = Gauge(
    "hoclieu_consumer_lag", "Messages behind the end of a partition",
    ["service", "topic", "partition"],
)
