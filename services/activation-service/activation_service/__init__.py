"""Học liệu activation-service: the system of record for students and entitlements."""
