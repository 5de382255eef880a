"""Reading untrusted spreadsheets and writing safe ones."""
