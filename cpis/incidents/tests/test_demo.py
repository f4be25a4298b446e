"""The demo incidents: deterministic, in the demo's sectors, over the last
five years, and with the patterns analyses look for — a winter burglary
peak in the evenings, weekend nights of disorder, near-repeat burglaries
beyond what chance gives, hot spots, and a burst in the last weeks."""

from datetime import date, timedelta

import numpy as np
import pytest
from scipy.spatial import cKDTree

from cpis.incidents import demo
from cpis.incidents.models import Incident
from cpis.organisation.demo import load_demo as load_organisation

TODAY = date(2026, 11, 1)
SEED = 7


@pytest.fixture
def loaded(db, taxonomy):
    load_organisation(scale="small", seed=SEED, today=TODAY)
    return demo.load_demo(scale="small", seed=SEED, today=TODAY)


def _columns(code: str | None = None):
    rows = Incident.objects.filter(source=demo.SOURCE)
    if code:
        rows = rows.filter(category__code=code)
    values = list(rows.order_by("source_id").values_list("lon", "lat", "occurred_on", "occurred_time"))
    lon = np.array([v[0] for v in values])
    lat = np.array([v[1] for v in values])
    day = np.array([v[2].toordinal() for v in values])
    hour = np.array([-1 if v[3] is None else v[3].hour for v in values])
    return lon, lat, day, hour


def _metres(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return np.column_stack((lon * 111_320 * np.cos(np.radians(42.6)), lat * 111_320))


def test_the_demo_is_deterministic_placed_and_within_five_years(loaded):
    count = Incident.objects.filter(source=demo.SOURCE).count()
    assert loaded == [f"{count:,} demo incidents over 5 years (kp-demo)."]
    assert 4_800 <= count <= 5_300
    assert not Incident.objects.filter(sector__isnull=True).exists()
    assert all(
        path.startswith(("kp/pr/", "kp/mv/")) for path in Incident.objects.values_list("unit_path", flat=True)
    )
    first = Incident.objects.order_by("occurred_on").first().occurred_on
    last = Incident.objects.order_by("-occurred_on").first().occurred_on
    assert last <= TODAY and first >= TODAY - timedelta(days=5 * 366) and (last - first).days > 5 * 360
    fields = ("source_id", "category_id", "occurred_on", "occurred_time", "lat", "lon", "sector_id", "place")
    before = list(Incident.objects.order_by("source_id").values_list(*fields))
    demo.clear_demo()
    demo.load_demo(scale="small", seed=SEED, today=TODAY)
    assert list(Incident.objects.order_by("source_id").values_list(*fields)) == before
    demo.clear_demo()
    demo.load_demo(scale="small", seed=SEED + 1, today=TODAY)
    assert list(Incident.objects.order_by("source_id").values_list(*fields)) != before


def test_burglary_peaks_in_winter_and_in_winter_evenings(loaded):
    _lon, _lat, day, hour = _columns("burglary")
    month = np.array([date.fromordinal(int(d)).month for d in day])
    winter, summer = np.isin(month, [11, 12, 1, 2]), np.isin(month, [5, 6, 7, 8])
    assert winter.sum() > 1.3 * summer.sum()  # four months each
    timed = hour >= 0
    evening = (hour >= 17) & (hour <= 21)
    assert (evening & winter & timed).sum() / (winter & timed).sum() > 0.45
    assert (evening & summer & timed).sum() / (summer & timed).sum() < 0.40


def test_assault_and_disorder_crowd_into_weekend_nights(loaded):
    for code in ("assault", "public-order"):
        _lon, _lat, day, hour = _columns(code)
        weekend = (day - 1) % 7 >= 4  # Friday to Sunday
        night = (hour >= 20) | ((hour >= 0) & (hour <= 3))
        assert weekend.mean() > 3 / 7 + 0.08, code
        assert (night & weekend).sum() / weekend.sum() > (night & ~weekend).sum() / (~weekend).sum(), code


def test_near_repeat_burglaries_exceed_what_chance_gives(loaded):
    """Knox: pairs within 200 m and 14 days, against the same pairs with
    the days shuffled (99 permutations; observed above every one)."""
    lon, lat, day, _hour = _columns("burglary")
    pairs = np.array(sorted(cKDTree(_metres(lon, lat)).query_pairs(200.0)))
    close = lambda days: int((np.abs(days[pairs[:, 0]] - days[pairs[:, 1]]) <= 14).sum())  # noqa: E731
    observed = close(day)
    rng = np.random.default_rng(1)
    shuffled = np.array([close(rng.permutation(day)) for _ in range(99)])
    assert observed > shuffled.max()
    assert observed > 1.5 * shuffled.mean()


def test_a_few_hot_spots_hold_a_large_share(loaded):
    lon, lat, _day, _hour = _columns()
    cells = np.floor(_metres(lon, lat) / 250.0).astype(np.int64)
    _keys, counts = np.unique(cells, axis=0, return_counts=True)
    top = np.sort(counts)[::-1]
    assert top[: max(1, len(top) // 100)].sum() > 0.10 * len(lon)


def test_a_burst_in_the_last_weeks_stands_out(loaded):
    lon, lat, day, _hour = _columns("vehicle-theft")
    xy = _metres(lon, lat)
    last = TODAY.toordinal()

    def densest(start: int, end: int) -> int:
        window = (day >= start) & (day <= end)
        if window.sum() == 0:
            return 0
        points = xy[window]
        return max(len(n) for n in cKDTree(points).query_ball_point(points, 300.0))

    recent = densest(last - 14, last)
    earlier = max(densest(last - 14 - 30 * k, last - 30 * k) for k in range(2, 12))
    assert recent >= 20 and recent > 3 * max(earlier, 1)


def test_the_planted_problems_fall_after_their_response_as_planted(loaded):
    sites = demo.demo_planted_problems(scale="small", seed=SEED, today=TODAY)
    assert {site.effect for site in sites} == set(demo.PLANTED_EFFECTS)
    assert len(sites) == len(demo.PLANTED_EFFECTS) * demo.PLANTED_PER_EFFECT["small"]
    for site in sites:
        lon, lat, day, _hour = _columns(site.code)
        centre = _metres(np.array([site.lon]), np.array([site.lat]))[0]
        distance = np.hypot(*(_metres(lon, lat) - centre).T)
        before = (day >= site.response_day - 365) & (day < site.response_day)
        after = day > site.response_day
        after_days = TODAY.toordinal() - site.response_day

        def rate(where, when, days):
            return (where & when).sum() / days

        inside = distance <= demo.TARGET_METRES
        ring = (distance > demo.TARGET_METRES) & (distance <= demo.TARGET_METRES + demo.BUFFER_METRES)
        change = rate(inside, after, after_days) / rate(inside, before, 365)
        if site.effect == "none":
            assert change > 0.6, site
        else:
            assert change < 0.75, site  # 0.35 planted; seasons and the background move it
        if site.effect == "displaced":
            assert rate(ring, after, after_days) > rate(ring, before, 365) + 0.2 * site.monthly / 30, site
