"""Database tables and queries, spreadsheets, password hashing."""
