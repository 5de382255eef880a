"""What users and events ask of the service: read, decide, store, announce."""
