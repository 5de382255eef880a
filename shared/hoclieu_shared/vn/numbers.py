"""Numbers, money and dates written the Vietnamese way."""

from datetime import date, datetime


def format_number(value: float) -> str:
    """1051 -> "1.051"; 3.5 -> "3,5"."""
    if isinstance(value, float) and not value.is_integer():
        whole, _, frac = f"{value:,.2f}".partition(".")
        return whole.replace(",", ".") + "," + frac.rstrip("0")
    return f"{int(value):,}".replace(",", ".")


def format_vnd(amount: float) -> str:
    """150000 -> "150.000 ₫"."""
    return f"{format_number(round(amount))} ₫"


def format_date(value: date | datetime | None) -> str:
    """A date as dd/mm/yyyy; empty for None."""
    return value.strftime("%d/%m/%Y") if value else ""
