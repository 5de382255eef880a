"""Vietnamese text, names, phones, dates and number formats."""
