"""The Vietnamese web UI of Học liệu and the /api/v1 gateway of the local run."""
