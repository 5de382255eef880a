"""Học liệu shared library: events, outbox, Kafka, settings, auth, sheets."""
