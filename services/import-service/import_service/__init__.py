"""Học liệu import-service: uploads, checks, batches, registrations, approval."""
