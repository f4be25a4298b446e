"""The analyses of a place, labelled for people. One module per kind of
analysis, as `stats/` has one per kernel:

    trends.py      CompStat comparisons, weekly bands, EWMA/CUSUM alarms, five-year trend
    hotspots.py    Getis-Ord Gi* hot spots and the kernel density surface
    knox.py        near-repeat (the Knox test), its alert and the alert's latest events
    scan.py        emerging clusters (the space-time permutation scan), once or per category
    priorities.py  the priorities of a sector: a table of named, weighted rules
    deployment.py  officers per sector against the load
    service.py     service statistics: first contact, closure, due time, satisfaction, workload
    parameters.py  every analysis's parameters and `check_params`
    tables.py      a near-repeat or scan result as a table (CSV and command line)
    files.py       events from the analyst's own file (CSV, XLSX, GeoJSON) in its own CRS
    common.py      what they share: the located events of a scope, the grid over them

Each analysis loads the scope's events through the selectors (so it sees only
what the actor may see), runs a kernel from `stats/` and returns a dataclass
the pages, the API and the command line all use. Parameters from outside are
checked by `check_params` first, with translated messages.

The public functions and types are named here: `analyses.trends(...)` is the
function (it hides the module of the same name; import a module's other names
from the module itself, `from .analyses.trends import WEEKS_LOADED`)."""

from ..selectors import Scope
from .deployment import Deployment, DeploymentRow, deployment
from .files import MAX_FILE_BYTES, FileEvents, read_events, read_events_from_path
from .hotspots import HOTSPOT_DAYS, DensityOutcome, HotspotOutcome, density, hotspots, hotspots_of_file
from .knox import (
    ActiveAlert,
    NearRepeatOutcome,
    active_alerts,
    band_options,
    near_repeat,
    near_repeat_of_file,
    risk_sentence,
)
from .parameters import check_params
from .priorities import Priority, priorities
from .scan import DAILY_SCAN, Finding, ScanOutcome, scan, scan_by_category, scan_of_file
from .service import MonthService, PlaceService, ServiceReport, service_rows, service_statistics
from .tables import band_interval, p_stated, result_table
from .trends import WEEKS_SHOWN, Change, TrendReport, TrendRow, trends, trends_of_file

__all__ = [
    "DAILY_SCAN",
    "HOTSPOT_DAYS",
    "MAX_FILE_BYTES",
    "WEEKS_SHOWN",
    "ActiveAlert",
    "Change",
    "DensityOutcome",
    "Deployment",
    "DeploymentRow",
    "FileEvents",
    "Finding",
    "HotspotOutcome",
    "MonthService",
    "NearRepeatOutcome",
    "PlaceService",
    "Priority",
    "ScanOutcome",
    "Scope",
    "ServiceReport",
    "TrendReport",
    "TrendRow",
    "active_alerts",
    "band_interval",
    "band_options",
    "check_params",
    "density",
    "deployment",
    "hotspots",
    "hotspots_of_file",
    "near_repeat",
    "near_repeat_of_file",
    "p_stated",
    "priorities",
    "read_events",
    "read_events_from_path",
    "result_table",
    "risk_sentence",
    "scan",
    "scan_by_category",
    "scan_of_file",
    "service_rows",
    "service_statistics",
    "trends",
    "trends_of_file",
]
