"""The server-rendered Vietnamese pages."""
