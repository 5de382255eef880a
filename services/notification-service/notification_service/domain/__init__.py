"""Rules of notifications, without I/O."""
