"""HTTP edge of the notification-service."""
