"""CPIS benchmarks: one command (`make bench`), figures for docs/performance.md.

Point → sector lookup over the national demo sectors, ours next to two
peers run on the same points in the same process:
  * naive scan: for each point, test every sector polygon (prepared) in turn,
    the loop a first implementation writes;
  * vectorised brute force: shapely.contains_xy of every polygon over the
    whole point array, the strongest approach without a spatial index.
Ours: the STRtree in cpis.organisation.geo, in bulk (imports, analytics) and
point by point (the API path), and locate_sector through Django and SQLite
(one aggregate query to check the index is current, one to load the sector).
Every method's answers are checked against the others before timing counts.
"""

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Polygon, shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_POINTS_PER_SECOND = 100_000


def _timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def _machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "shapely": shapely.__version__,
        "geos": ".".join(map(str, shapely.geos_version)),
    }


def geometry_benchmarks() -> list[dict]:
    from cpis.organisation.demo import load_geography
    from cpis.organisation.demo_geometry import build_sectors
    from cpis.organisation.geo import SectorIndex

    geography = load_geography()
    sectors = build_sectors(geography, seed=2012)
    polygons = [shape(s.geojson()) for s in sectors]
    ids = list(range(1, len(polygons) + 1))
    outline = Polygon(geography["outline"])
    minx, miny, maxx, maxy = outline.bounds
    rng = np.random.default_rng(2012)
    n = 1_000_000
    lons, lats = rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)

    index, build_seconds = _timed(SectorIndex, ids, polygons)
    ours, ours_seconds = _timed(index.locate_many, lons, lats)

    def brute_force(xs, ys):
        result = np.full(len(xs), -1, dtype=np.int64)
        for sector_id, polygon in sorted(zip(ids, polygons, strict=True), reverse=True):
            result[shapely.contains_xy(polygon, xs, ys) | shapely.intersects_xy(polygon.boundary, xs, ys)] = (
                sector_id
            )
        return result

    brute, brute_seconds = _timed(brute_force, lons, lats)

    sample = 20_000
    prepared = list(zip(ids, polygons, strict=True))
    for _id, polygon in prepared:
        shapely.prepare(polygon)

    def naive(xs, ys):
        out = []
        for x, y in zip(xs, ys, strict=True):
            point = shapely.Point(x, y)
            out.append(next((i for i, p in prepared if p.intersects(point)), -1))
        return out

    naive_result, naive_seconds = _timed(naive, lons[:sample], lats[:sample])

    def single(xs, ys):
        return [index.locate(x, y) for x, y in zip(xs, ys, strict=True)]

    single_result, single_seconds = _timed(single, lons[:sample], lats[:sample])

    assert np.array_equal(ours, brute), "STRtree and brute force disagree"
    assert naive_result == ours[:sample].tolist(), "naive scan disagrees"
    assert [-1 if r is None else r for r in single_result] == ours[:sample].tolist()
    inside = int((ours >= 0).sum())
    return [
        {"name": "index build (STRtree, prepared)", "sectors": len(polygons), "seconds": build_seconds},
        {
            "name": "ours: STRtree bulk (locate_many)",
            "points": n,
            "seconds": ours_seconds,
            "points_per_second": n / ours_seconds,
            "inside_share": inside / n,
        },
        {
            "name": "peer: vectorised brute force (contains_xy per sector)",
            "points": n,
            "seconds": brute_seconds,
            "points_per_second": n / brute_seconds,
        },
        {
            "name": "ours: STRtree point by point (locate)",
            "points": sample,
            "seconds": single_seconds,
            "points_per_second": sample / single_seconds,
        },
        {
            "name": "peer: naive scan point by point",
            "points": sample,
            "seconds": naive_seconds,
            "points_per_second": sample / naive_seconds,
        },
    ]


def setup_django() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="cpis-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpis.settings.test")
    import django

    django.setup()


def django_benchmark() -> dict:
    """locate_sector as the API calls it, over the national demo in SQLite."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from cpis.organisation.demo import load_demo, load_geography
    from cpis.organisation.selectors import locate_sector

    load_demo(scale="national", seed=2012)
    outline = Polygon(load_geography()["outline"])
    rng = np.random.default_rng(7)
    minx, miny, maxx, maxy = outline.bounds
    points = [(rng.uniform(miny, maxy), rng.uniform(minx, maxx)) for _ in range(3000)]
    locate_sector(lat=points[0][0], lon=points[0][1])  # build the index once
    start = time.perf_counter()
    found = sum(locate_sector(lat=lat, lon=lon) is not None for lat, lon in points)
    seconds = time.perf_counter() - start
    return {
        "name": "ours: locate_sector via Django + SQLite (per call)",
        "points": len(points),
        "seconds": seconds,
        "points_per_second": len(points) / seconds,
        "inside_share": found / len(points),
    }


def main() -> None:
    setup_django()
    results = geometry_benchmarks()
    results.append(django_benchmark())
    report = {
        "machine": _machine(),
        "date": time.strftime("%Y-%m-%d"),
        "results": results,
        "target_points_per_second": TARGET_POINTS_PER_SECOND,
    }
    (ROOT / "bench" / "results" / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"Machine: {report['machine']}")
    print("| benchmark | points | seconds | points/s |")
    print("|---|---:|---:|---:|")
    for row in results:
        rate = f"{row['points_per_second']:,.0f}" if "points_per_second" in row else "–"
        count = row.get("points", row.get("sectors", 0))
        print(f"| {row['name']} | {count:,} | {row['seconds']:.3f} | {rate} |")
    bulk = results[1]["points_per_second"]
    verdict = "meets" if bulk >= TARGET_POINTS_PER_SECOND else "MISSES"
    print(
        f"\nBulk lookup {bulk:,.0f} points/s {verdict} the target of {TARGET_POINTS_PER_SECOND:,} points/s."
    )
    if bulk < TARGET_POINTS_PER_SECOND:
        sys.exit(1)


if __name__ == "__main__":
    main()
