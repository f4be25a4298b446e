"""Rules of the strategy that more than one module needs."""

from datetime import date

# "In principle, selection and appointment of police personnel with at least
# 2 years in the same section." [Implementation and monitoring, 2]
MIN_TENURE_YEARS = 2

# Which kind of unit may hang below which.
CHILD_KINDS = {
    "directorate": {"region"},
    "region": {"station"},
    "station": {"substation", "sector"},
    "substation": {"sector"},
    "sector": set(),
}


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def years_before(day: date, years: int) -> date:
    return years_after(day, -years)


def tenure_ends(start: date) -> date:
    """The first day a community officer may leave a sector without a reason."""
    return years_after(start, MIN_TENURE_YEARS)


CODE_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"


def unit_path(parent_path: str | None, code: str) -> str:
    """The materialised path of a unit with `code` under `parent_path`."""
    return f"{parent_path or ''}{code}/"
