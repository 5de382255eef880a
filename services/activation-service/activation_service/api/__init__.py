"""The HTTP edge of the activation-service (all under /api/v1)."""
