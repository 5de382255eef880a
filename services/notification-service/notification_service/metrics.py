"""Prometheus metrics of the notification-service (beside the shared ones)."""

from prometheus_client import Counter, Gauge, Histogram

NOTIFICATIONS_CREATED = Counter(
    "hoclieu_notifications_created_total",
    "Activations told to a student: in a new notification or grouped into one",
    ["kind"],
)
NOTIFICATIONS_PUSHED = Counter(
    "hoclieu_notifications_pushed_total",
    "Notifications written to an open event stream (one per session)",
)
NOTIFICATIONS_DELIVERED = Counter(
    "hoclieu_notifications_delivered_total",
    "Notifications that reached the student the first time, by channel",
    ["channel"],
)
NOTIFICATIONS_READ = Counter(
    "hoclieu_notifications_read_total", "Notifications marked read by the student",
)
ACTIVATION_TO_PUSH = Histogram(
    "hoclieu_notification_activation_to_push_seconds",
    "Time from a package's activation to the first live push of its notification",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600),
)
OPEN_STREAMS = Gauge(
    "hoclieu_notification_open_streams", "Event streams open on this process",
)
