"""Template-service: registration workbooks from the roster read model."""
