"""Draw a wave's start points for face-to-face interviews: in every sector
with a target, ceil(target / 5) points spread over the sector's settlements
with probability proportional to their population, along a Hilbert curve so
that they cover the sector evenly, each a seeded jitter around its settlement
inside the sector; a sector with no settlement gets points of a Halton
sequence inside its boundary (the design is in `stats/sampling.py`). The same
seed draws the same points; a redraw replaces them, while the wave is planned
or open."""

import zlib

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.organisation.access import Actor

from ..models import StartPoint, Wave, WaveStatus, WaveTarget
from ..selectors import waves as selectors
from ..stats import sampling

# Interviews an interviewer makes from one start point, as a rule.
INTERVIEWS_PER_POINT = 5
MAX_POINTS_PER_SECTOR = 500


class WaveClosedForSampling(DomainError):
    message = gettext_lazy("The wave is closed: its start points stay as they were drawn.")


@transaction.atomic
def draw_start_points(actor: Actor, *, wave: Wave, per_point: int = INTERVIEWS_PER_POINT) -> list[StartPoint]:
    """Draw (or draw again) the start points of every sector of the wave that
    has a target, from the wave's seed, replacing those drawn before; run_waves
    at the wave's place, while it is planned or open. Sectors without a boundary
    get none. Returns the points, by sector and number."""
    selectors.require_run(actor, wave)
    current = Wave.objects.select_for_update().select_related("place").get(pk=wave.pk)
    if current.status == WaveStatus.CLOSED:
        raise WaveClosedForSampling()
    if not 1 <= per_point <= 100:
        raise InvalidInput(_("Interviews per start point is a number from 1 to 100."))
    targets = {
        t.sector_id: t.target
        for t in WaveTarget.objects.filter(
            wave=current, target__gt=0, sector__path__startswith=current.place.path
        )
    }
    sectors = [s for s in selectors.list_sectors(current.place) if s.pk in targets]
    located = selectors.settlements_by_sector(sectors)
    StartPoint.objects.filter(wave=current).delete()
    rows: list[StartPoint] = []
    for sector in sectors:
        found = located.get(sector.pk)
        if found is None:  # no boundary: nowhere to draw
            continue
        target = targets[sector.pk]
        count = min(sampling.points_needed(target, per_point), MAX_POINTS_PER_SECTOR)
        settlements = found.settlements
        drawn = sampling.draw_points(
            found.polygon,
            [s.lon for s in settlements],
            [s.lat for s in settlements],
            [s.population or 0 for s in settlements],
            count,
            # The sector's own stream, keyed by its path: the same points in any copy of the tree.
            sampling.sector_rng(current.seed, zlib.crc32(sector.path.encode())),
        )
        each = sampling.interviews_at_each(target, len(drawn))
        rows.extend(
            StartPoint(
                wave=current,
                sector=sector,
                settlement=settlements[point.settlement] if point.settlement is not None else None,
                sequence=number,
                lon=round(point.lon, 6),
                lat=round(point.lat, 6),
                interviews=each,
            )
            for number, point in enumerate(drawn, start=1)
        )
    StartPoint.objects.bulk_create(rows)
    return list(selectors.list_start_points(current))
