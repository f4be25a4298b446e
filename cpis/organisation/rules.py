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


def tenure_ends(start: date) -> date:
    """The first day a community officer may leave a sector without a reason."""
    try:
        return start.replace(year=start.year + MIN_TENURE_YEARS)
    except ValueError:  # 29 February
        return start.replace(year=start.year + MIN_TENURE_YEARS, day=28)
