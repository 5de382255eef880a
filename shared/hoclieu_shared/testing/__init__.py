"""Test fixtures on real services: the broker and PostgreSQL databases."""
