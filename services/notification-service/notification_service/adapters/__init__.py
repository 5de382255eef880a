"""Database tables, queries and the live-push hub of the service."""
