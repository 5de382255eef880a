"""Học liệu notification-service: inbox, live push and delivery records."""
