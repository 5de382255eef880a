"""Fakes of the four back-end services and helpers to run apps on real ports."""
