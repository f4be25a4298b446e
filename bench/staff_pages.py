"""Every staff page as each demo role, on the national demo (PostgreSQL) —
issue #18 item 5: "p95 < 150 ms, none over 500 ms, and no page whose query
count grows with the rows it shows".

For each demo login (`organisation.demo.DEMO_LOGINS`) the script signs in
with Django's test client (in process, the second factor marked as given, as
bench/plans.py does), starts at /staff/ and follows every link under /staff/
breadth first: at most PER_PATTERN pages of one URL pattern (three concerns'
pages, not thirty thousand) and MAX_PAGES pages per role. Downloads (PDF,
XLSX, CSV, exports) are left out: they are the reports' own benchmarks.

Each page is opened twice; the second (warm: templates compiled, the
process's caches filled) is the one measured: server time in process (the
whole middleware stack, the view, the template) and its SQL queries.

Growth: for every list page that pages (a `page` link), the query count of
its first page is compared with that of a later page, and for every URL
pattern with several instances the counts are compared across them; a
pattern whose count differs is reported with both counts.

Needs PostgreSQL on 127.0.0.1:5432 (trust auth). `--reuse DB` measures an
existing database with the national demo instead of building one (e.g. the
one bench/plans.py leaves: cpis_bench_plans). Writes
bench/results/staff_pages.json; exits non-zero when an aim is missed.
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import Counter, defaultdict, deque
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import stack
from stack import run_cpis

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "cpis_bench_staff"
MAX_PAGES = int(os.environ.get("BENCH_STAFF_MAX_PAGES", "120"))
PER_PATTERN = 3
P95_AIM_MS = 150.0
MAX_AIM_MS = 500.0
SKIP = re.compile(r"\.(pdf|xlsx|csv|sav|zip|geojson|json|png|svg)$|/(export|exports|download|logout)\b")
HREF = re.compile(r'href="(/staff/[^"#]*)"')


def environment(db: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cpis.settings.demo",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "LOG_LEVEL": "ERROR",
    }


def pattern_of(url: str) -> str:
    """The URL's route (…/concerns/<int:pk>/) and the names of its query parameters."""
    from django.urls import Resolver404, resolve

    parts = urlsplit(url)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = parts.path
    keys = sorted(k for k, _v in parse_qsl(parts.query, keep_blank_values=True))
    return route + ("?" + "&".join(keys) if keys else "")


def signed_in_client(username: str):
    """The test client signed in as a demo login, reading the pages in Albanian."""
    client = stack.signed_in(username)
    client.cookies["cpis_language"] = "sq"  # the demo's first language
    return client


def measure(client, url: str) -> tuple[int, float, int, str]:
    """(status, warm server ms, queries, body) of a GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # cold: templates, caches
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        ms = 1000 * (time.perf_counter() - start)
    html = response.get("Content-Type", "").startswith("text/html")
    body = response.content.decode("utf-8", "replace") if html else ""
    return response.status_code, ms, len(queries), body


def crawl(username: str) -> list[dict]:
    client = signed_in_client(username)
    seen: set[str] = set()
    per_pattern: Counter[str] = Counter()
    queue = deque(["/staff/"])
    pages: list[dict] = []
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or SKIP.search(urlsplit(url).path):
            continue
        seen.add(url)
        pattern = pattern_of(url)
        if per_pattern[pattern] >= PER_PATTERN:
            continue
        per_pattern[pattern] += 1
        status, ms, queries, body = measure(client, url)
        pages.append(
            {
                "role": username,
                "url": url,
                "pattern": pattern,
                "status": status,
                "ms": ms,
                "queries": queries,
                "paged": "page=2" in body,
            }
        )
        for link in HREF.findall(body):
            link = link.replace("&amp;", "&")
            if link not in seen:
                queue.append(link)
    return pages


def summary(pages: list[dict]) -> dict:
    times = sorted(p["ms"] for p in pages) or [0.0]
    return {
        "pages": len(pages),
        "p50_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
    }


def later_page(url: str, body_pages: int = 2) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query["page"] = str(body_pages)
    return f"{parts.path}?{urlencode(query)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", metavar="DB", help="an existing database with the national demo")
    args = parser.parse_args()
    db = args.reuse or DB_NAME
    env = environment(db)
    if not args.reuse:
        print(f"Preparing PostgreSQL database {db} with the national demo…", flush=True)
        stack.reset_database(db)
        run_cpis(env, "migrate", "--no-input")
        run_cpis(env, "load_demo", "--scale", "national")
    run_cpis(env, "collectstatic", "--no-input", "--verbosity", "0")  # the pages' hashed static names
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "LOG_LEVEL")})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1", "testserver"]
    from cpis.organisation.demo import DEMO_LOGINS

    pages: list[dict] = []
    for username, _role, _place in DEMO_LOGINS:
        found = crawl(username)
        ok = [p for p in found if p["status"] == 200]
        times = sorted(p["ms"] for p in ok)
        print(
            f"{username}: {len(found)} pages ({len(ok)} answered 200), "
            f"p50 {statistics.median(times):.0f} ms, max {max(times):.0f} ms",
            flush=True,
        )
        pages.extend(found)

    ok = [p for p in pages if p["status"] == 200]
    times = sorted(p["ms"] for p in ok)
    p95 = times[int(0.95 * (len(times) - 1))]
    over = sorted((p for p in ok if p["ms"] > MAX_AIM_MS), key=lambda p: -p["ms"])

    # Growth: the same pattern with different query counts, and a list's later page.
    by_pattern: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for p in ok:
        by_pattern[p["role"], p["pattern"]].append(p)
    growth = []
    for (role, pattern), found in sorted(by_pattern.items()):
        counts = sorted({p["queries"] for p in found})
        if len(counts) > 1 and counts[-1] - counts[0] > 2:
            urls = [p["url"] for p in found][:3]
            growth.append({"role": role, "pattern": pattern, "queries": counts, "urls": urls})
    paged = []
    for username, _role, _place in DEMO_LOGINS:
        client = signed_in_client(username)
        for p in ok:
            if p["role"] != username or not p["paged"] or "page=" in p["url"]:
                continue
            status, _ms, queries, _body = measure(client, later_page(p["url"]))
            if status == 200 and queries > p["queries"] + 2:
                paged.append({"url": p["url"], "role": username, "first": p["queries"], "page_2": queries})

    slowest = sorted(ok, key=lambda p: -p["ms"])[:20]
    data = {
        "pages": len(pages),
        "answered_200": len(ok),
        "statuses": dict(Counter(p["status"] for p in pages)),
        "ms": {"p50": statistics.median(times), "p95": p95, "max": times[-1]},
        "aims": {"p95_ms": P95_AIM_MS, "max_ms": MAX_AIM_MS},
        "over_max": [{k: p[k] for k in ("role", "url", "ms", "queries")} for p in over],
        "query_count_differs_within_pattern": growth,
        "query_count_grows_on_a_later_page": paged,
        "slowest": [{k: p[k] for k in ("role", "url", "ms", "queries")} for p in slowest],
        "per_role": {
            username: summary([p for p in ok if p["role"] == username]) for username, _r, _p in DEMO_LOGINS
        },
        "all_pages": pages,
        "load_average": os.getloadavg(),
        "machine": stack.machine(),
    }
    (ROOT / "bench" / "results" / "staff_pages.json").write_text(
        json.dumps(data, indent=2, default=str) + "\n"
    )
    print(f"\n{len(ok)} pages answered 200 of {len(pages)} opened; statuses {data['statuses']}.")
    print(f"Server time, warm: p50 {data['ms']['p50']:.0f} ms, p95 {p95:.0f} ms, max {times[-1]:.0f} ms.")
    print("| slowest pages | role | ms | queries |\n|---|---|---:|---:|")
    for p in slowest:
        print(f"| {p['url']} | {p['role']} | {p['ms']:.0f} | {p['queries']} |")
    for g in growth:
        urls = ", ".join(g["urls"])
        print(f"query count differs within {g['pattern']} ({g['role']}): {g['queries']} ({urls})")
    for g in paged:
        print(f"query count grows on page 2 of {g['url']} ({g['role']}): {g['first']} → {g['page_2']}")
    missed = []
    if p95 >= P95_AIM_MS:
        missed.append(f"p95 {p95:.0f} ms (aim < {P95_AIM_MS:.0f})")
    if over:
        missed.append(f"{len(over)} pages over {MAX_AIM_MS:.0f} ms")
    if paged:
        missed.append(f"{len(paged)} lists whose query count grows with the page")
    if missed:
        print("MISSED: " + "; ".join(missed))
        sys.exit(1)


if __name__ == "__main__":
    main()
