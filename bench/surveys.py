"""Survey results benchmark (issue #14): every sector, item and wave of a national
survey — 331 sectors, the safety-and-trust questionnaire's 15 estimated items, three
waves, 100,000 responses — weighted, with small-area estimates, in under a second.

Builds a throwaway SQLite database var/bench_surveys.sqlite3 (`--reuse` keeps the last
one; `--engine postgresql` uses `cpis_bench_surveys` on 127.0.0.1:5432) with the
organisation demo at national scale and three waves of RESPONSES responses in all,
drawn from a known truth per sector with response rates that differ by gender and age
band (so the weights vary), with the population margins of the waves.

Measured in the same process and run, median of RUNS runs:
1. ours: `results.compute(wave)` for the three waves end to end — the rows read from the
   database, post-stratified and raked weights, every item × place (sector, station,
   region, country) × group (everyone, 9 communities, 3 genders, 6 age bands) with its
   interval, and the Fay–Herriot small-area estimate of every sector and item; and its
   two halves (reading and weighting; the estimates);
2. the floor: the same rows read through the ORM (answers decoded in one call with the
   cyclic garbage collector paused, as ours)
   and one unweighted share or mean per sector and item with `np.bincount` — the least
   the task needs: no weights, no groups, no higher places, no intervals;
3. the reference, samplics 0.6.1: its Taylor-linearised estimator (`TaylorEstimator`,
   by sector, station, region and country, with our weights) for every item, and its
   Fay–Herriot EBLUP (`EblupAreaModel`, REML) for every item at sector level with the
   same inputs as ours.

Before any time counts, ours and the reference are checked equal: estimates and
standard errors to 1e-9 (relative), small-area estimates and MSEs to 1e-6. Exits
non-zero if they differ or if ours takes 1 s or more for the three waves.

    python bench/surveys.py [--reuse] [--engine sqlite|postgresql]
"""

import gc
import importlib.metadata
import json
import os
import platform
import statistics
import sys
import time
import warnings
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stack

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "cpis_bench_surveys"
DATABASES = {
    "postgresql": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "sqlite": f"sqlite:///{ROOT / 'var' / 'bench_surveys.sqlite3'}",
}
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
RESPONSES = int(os.environ.get("BENCH_RESPONSES", "100000"))
WAVES = 3
TARGET_S = 1.0
SEED = 2012

GENDERS = ["female", "male"]
AGES = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
AGE_SHARES = np.array([0.16, 0.21, 0.19, 0.17, 0.14, 0.13])
# Who answers: older women most, young men least (relative propensities).
PROPENSITY = {("female", a): p for a, p in zip(AGES, [0.6, 0.8, 1.0, 1.2, 1.4, 1.5], strict=True)}
PROPENSITY |= {("male", a): p for a, p in zip(AGES, [0.3, 0.5, 0.7, 0.9, 1.1, 1.2], strict=True)}


def machine(engine: str) -> dict:
    cpu = platform.processor() or platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "engine": engine,
        **{name: importlib.metadata.version(name) for name in ("numpy", "scipy", "django", "samplics")},
    }


def setup(engine: str, reuse: bool) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cpis.settings.demo",
            "DATABASE_URL": DATABASES[engine],
            "LOG_LEVEL": "WARNING",
        }
    )
    (ROOT / "var").mkdir(exist_ok=True)
    sys.path.insert(0, str(ROOT))
    if not reuse:
        print(f"{engine}: preparing a database with the national organisation demo…", flush=True)
        if engine == "postgresql":
            stack.reset_database(DB_NAME)
        else:
            (ROOT / "var" / "bench_surveys.sqlite3").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from cpis.organisation import demo as organisation_demo
    from cpis.surveys.models import Response

    start = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    if not reuse:
        with transaction.atomic():
            organisation_demo.load_demo(scale="national", seed=SEED, today=date(2026, 12, 1))
            build_waves()
        print(f"{engine}: built in {time.perf_counter() - start:.0f} s.", flush=True)
    elif Response.objects.count() != RESPONSES:
        sys.exit(f"{engine}: the kept database has no {RESPONSES:,} responses; run without --reuse.")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def build_waves() -> None:
    """Three waves of the shipped safety-and-trust questionnaire over the whole
    country, RESPONSES responses in all, from a known truth per sector."""
    from django.utils import timezone

    from cpis.organisation.models import Unit, UnitKind
    from cpis.surveys.models import Margin, QuestionnaireVersion, Response, Wave, WaveStatus

    rng = np.random.default_rng(SEED)
    version = QuestionnaireVersion.objects.get(questionnaire__code="safety-and-trust", status="published")
    root = Unit.objects.get(kind=UnitKind.DIRECTORATE)
    sectors = list(Unit.objects.filter(kind=UnitKind.SECTOR).order_by("path"))
    population = np.array([s.population or 5000 for s in sectors], dtype=float)
    level = rng.normal(0.3, 0.6, len(sectors))  # each sector's latent trust
    cells = [(g, a) for g in GENDERS for a in AGES]
    cell_share = np.array([0.5 * s for _g in GENDERS for s in AGE_SHARES])
    propensity = np.array([PROPENSITY[c] for c in cells])
    sample_share = cell_share * propensity / (cell_share * propensity).sum()
    items = list(version.questions.order_by("position"))
    options = [o.code for o in next(q for q in items if q.code == "top_issue").options.all()]
    per_wave = RESPONSES // WAVES
    for w in range(WAVES):
        starts = date(2024 + w, 10, 1)
        wave = Wave.objects.create(
            name=f"Bench {2024 + w}",
            version=version,
            place=root,
            starts_on=starts,
            ends_on=starts + timedelta(days=45),
            status=WaveStatus.CLOSED,
        )
        Margin.objects.bulk_create(
            [Margin(wave=wave, dimension="gender", category=g, share=0.5) for g in GENDERS]
            + [
                Margin(wave=wave, dimension="age_band", category=a, share=float(s))
                for a, s in zip(AGES, AGE_SHARES, strict=True)
            ]
        )
        count = per_wave + (RESPONSES - per_wave * WAVES if w == WAVES - 1 else 0)
        # Sectors get answers roughly in proportion to √population, a few very few.
        weight = np.sqrt(population) * rng.gamma(2.0, 0.5, len(sectors))
        sector_of = rng.choice(len(sectors), count, p=weight / weight.sum())
        cell_of = rng.choice(len(cells), count, p=sample_share)
        age_effect = np.array([AGES.index(a) for _g, a in cells]) * 0.15 - 0.4
        woman = np.array([g == "female" for g, _a in cells])
        rows = []
        now = timezone.now()
        for i in range(count):
            s, c = sector_of[i], cell_of[i]
            latent = level[s] + 0.1 * w + age_effect[c]
            answers = {}
            for q in items:
                shift = -0.5 if (q.code == "safe_dark" and woman[c]) else 0.0
                p = 1 / (1 + np.exp(-(latent + shift)))
                if q.kind == "agree5":
                    answers[q.code] = int(rng.choice([4, 5]) if rng.random() < p else rng.integers(1, 4))
                elif q.kind == "score10":
                    answers[q.code] = int(np.clip(round(rng.normal(10 * p, 2)), 0, 10))
                elif q.kind == "yesno":
                    answers[q.code] = int(rng.random() < p * 0.6)
                elif q.kind == "single":
                    answers[q.code] = options[int(rng.integers(0, len(options)))]
            if rng.random() < 0.05:  # a few leave a question out
                answers.pop("rely", None)
            gender, age = cells[c]
            rows.append(
                Response(
                    version=version,
                    wave=wave,
                    sector=sectors[s],
                    channel="door",
                    gender=gender if rng.random() > 0.05 else "",
                    age_band=age,
                    answers=answers,
                    submitted_at=now,
                    idempotency_key=f"bench:{w}:{i}",
                )
            )
        Response.objects.bulk_create(rows, batch_size=5000)


# --- the three ways -----------------------------------------------------------------------


def ours(waves: list) -> tuple[list, float, float]:
    from cpis.surveys.selectors import results

    start = time.perf_counter()
    tables = [results.compute(wave) for wave in waves]
    total = time.perf_counter() - start
    start = time.perf_counter()
    for wave in waves:
        results.load_frame(wave, results.items_of(wave.version_id))
    loading = time.perf_counter() - start
    return tables, total, loading


def floor(waves: list) -> float:
    """The least the task needs on the same stack: each wave's rows read through the
    ORM with their answers decoded in one call (as ours), each item's answers as a
    column, and one unweighted share or mean per sector — no weights, no groups, no
    places above the sector, no intervals, no small areas."""
    import json as json_module

    from django.db.models import TextField
    from django.db.models.functions import Cast

    from cpis.organisation.models import Unit, UnitKind
    from cpis.surveys.models import Response
    from cpis.surveys.selectors import results

    start = time.perf_counter()
    sectors = {
        pk: i for i, pk in enumerate(Unit.objects.filter(kind=UnitKind.SECTOR).values_list("pk", flat=True))
    }
    gc.disable()  # as ours: the cyclic collector waits while a wave's rows are decoded
    for wave in waves:
        items = results.items_of(wave.version_id)
        rows = list(
            Response.objects.filter(wave=wave, status="accepted").values_list(
                "sector_id", Cast("answers", TextField())
            )
        )
        answers = json_module.loads("[" + ",".join(text for _s, text in rows) + "]")
        sector = np.array([sectors[s] for s, _a in rows])
        for item in items:
            code, option = item.question.code, item.option
            raw = [a.get(code) for a in answers]
            if option:
                y = np.array([np.nan if v is None else float(v == option) for v in raw])
            else:
                y = np.array([np.nan if v is None else v for v in raw], dtype=float)
                if item.question.kind == "agree5":
                    y = np.where(np.isnan(y), np.nan, y >= results.AGREE)
            ok = ~np.isnan(y)
            np.bincount(sector[ok], weights=y[ok], minlength=len(sectors)) / np.maximum(
                np.bincount(sector[ok], minlength=len(sectors)), 1
            )
    gc.enable()
    return time.perf_counter() - start


def reference(waves: list, tables: list) -> tuple[float, dict]:
    """samplics on the same weights and items; returns its time and the largest
    differences from ours."""
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=RuntimeWarning)  # its log-likelihood's det underflows
    from samplics.estimation import TaylorEstimator
    from samplics.sae import EblupAreaModel
    from samplics.utils.types import FitMethod, PopParam

    from cpis.surveys.selectors import results
    from cpis.surveys.stats import small_area
    from cpis.surveys.stats import tables as tables_kernel

    worst = {"estimate": 0.0, "stderror": 0.0, "small_area": 0.0, "small_area_mse": 0.0}
    elapsed = 0.0
    skipped = 0
    for wave, table in zip(waves, tables, strict=True):
        items = results.items_of(wave.version_id)
        frame = results.load_frame(wave, items)
        levels = results._level_units(frame.sectors)
        start = time.perf_counter()
        for level, (_ids, of_sector) in levels.items():
            place = of_sector[frame.sector]
            for j, _item in enumerate(items):
                y = frame.values[:, j]
                ok = ~np.isnan(y)
                # samplics divides by the estimate (its coefficient of variation): a place
                # where nobody agreed stops it, so those few places are left out of the check.
                # Nor can it take a place with a single answer (n − 1 = 0).
                size = int(place.max()) + 1
                zero = (np.bincount(place[ok], weights=np.abs(y[ok]), minlength=size) == 0) | (
                    np.bincount(place[ok], minlength=size) < 2
                )
                skipped += int(zero.sum())
                ok &= ~zero[place]
                est = TaylorEstimator(PopParam.mean)
                est.estimate(y=y[ok], samp_weight=frame.weights[ok], by=place[ok], remove_nan=True)
                mine = table.figures[(level, "all")]
                for p, value in est.point_est.items():
                    worst["estimate"] = max(worst["estimate"], _rel(value, mine.estimate[p, 0, j]))
                    if np.isfinite(est.stderror[p]) and mine.n[p, 0, j] > 1:
                        worst["stderror"] = max(
                            worst["stderror"], _rel(est.stderror[p], np.sqrt(mine.variance[p, 0, j]))
                        )
        elapsed += time.perf_counter() - start
        # Fay–Herriot at sector level, on the scale and with the sampling variances ours
        # fits (stats.small_area): shares as arcsin √p̂ with 1/(4 n_eff), means with the
        # station's pooled spread over n_eff.
        groups = levels["station"][1]
        sector = table.figures[("sector", "all")]
        for j in range(len(items)):
            p, n, n_eff = sector.estimate[:, 0, j], sector.n[:, 0, j], sector.n_effective[:, 0, j]
            if table.is_share[j]:
                direct = np.arcsin(np.sqrt(np.clip(np.nan_to_num(p), 0, 1)))
                variance = np.where(n_eff > 0, 1 / (4 * np.maximum(n_eff, 1e-12)), np.nan)
            else:
                spread = tables_kernel.spread(table.sums[("sector", "all")][:, 0, j])
                direct, variance = p, small_area.mean_variance(spread, n, n_eff, groups)
            chosen = np.isfinite(p) & (n_eff > 0) & np.isfinite(variance) & (variance > 0)
            design = small_area.indicators(groups[chosen])
            start = time.perf_counter()
            model = EblupAreaModel(method=FitMethod.reml)
            area = np.arange(int(chosen.sum()))
            model.fit(
                yhat=direct[chosen],
                X=design,
                area=area,
                error_std=np.sqrt(variance[chosen]),
                intercept=False,
                tol=1e-10,
            )
            model.predict(X=design, area=area, intercept=False)
            elapsed += time.perf_counter() - start
            theirs = np.array([model.area_est[a] for a in area])
            theirs_mse = np.array([model.area_mse[a] for a in area])
            theirs = (
                np.sin(np.clip(theirs, 0, np.pi / 2)) ** 2 if table.is_share[j] else np.clip(theirs, 0, 10)
            )
            mine = table.small_area.estimate[chosen, j]
            worst["small_area"] = max(worst["small_area"], float(np.max(np.abs(theirs - mine))))
            mse = table.small_area.variance[chosen, j]
            worst["small_area_mse"] = max(worst["small_area_mse"], float(np.max(np.abs(theirs_mse - mse))))
    worst["places_not_checked_zero_share_or_one_answer"] = skipped
    return elapsed, worst


def _rel(a: float, b: float) -> float:
    return abs(a - b) / max(abs(b), 1e-12)


def main() -> None:
    engine = (
        "postgresql"
        if "--engine" in sys.argv and sys.argv[sys.argv.index("--engine") + 1] == "postgresql"
        else "sqlite"
    )
    setup(engine, "--reuse" in sys.argv)
    from django.core.cache import cache

    from cpis.surveys.models import Response, Wave

    cache.clear()
    waves = list(Wave.objects.order_by("starts_on").select_related("place", "version"))
    responses = Response.objects.filter(wave__in=waves).count()
    tables, _t, _l = ours(waves)  # warm-up, and the tables the reference is checked against
    elapsed_ref, worst = reference(waves, tables)
    equal = (
        worst["estimate"] < 1e-9
        and worst["stderror"] < 1e-9
        and worst["small_area"] < 1e-6
        and worst["small_area_mse"] < 1e-6
    )
    runs = [ours(waves) for _ in range(RUNS)]
    total = statistics.median(r[1] for r in runs)
    loading = statistics.median(r[2] for r in runs)
    floors = [floor(waves) for _ in range(RUNS)]
    figures = sum(t.figures[(lv, d)].estimate.size for t in tables for (lv, d) in t.figures)
    out = {
        "machine": machine(engine),
        "responses": responses,
        "waves": len(waves),
        "sectors": len(tables[0].places["sector"]),
        "items": len(tables[0].items),
        "figures": int(figures),
        "ours_s": {"median": total, "min": min(r[1] for r in runs), "max": max(r[1] for r in runs)},
        "ours_reading_and_weighting_s": loading,
        "ours_estimates_s": total - loading,
        "floor_s": {"median": statistics.median(floors), "min": min(floors), "max": max(floors)},
        "samplics_s": elapsed_ref,
        "largest_difference_from_samplics": worst,
        "equal": equal,
        "target_s": TARGET_S,
        "met": total < TARGET_S and equal,
    }
    print(json.dumps(out, indent=2))
    results_dir = ROOT / "bench" / "results"
    (results_dir / f"surveys_{engine}.json").write_text(json.dumps(out, indent=2) + "\n")
    if not out["met"]:
        sys.exit(
            "surveys benchmark: "
            + ("results differ from samplics" if not equal else f"ours took {total:.2f} s")
        )


if __name__ == "__main__":
    main()
