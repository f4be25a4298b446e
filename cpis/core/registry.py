"""How an app plugs into the project: its AppConfig declares its URLs, API
router, demo data, daily jobs, what it holds about people and what it asks of
a person today as dotted paths, and the URL map, the API, `cpis load_demo`,
`cpis run_scheduled`, the data-subject requests and the staff home ("my work
today") find them here, in INSTALLED_APPS order. Nothing is
imported until it is used, so the kernel imports no app.

Apps subclass `registry.CpisAppConfig` through the module (`from cpis.core import
registry`): an apps.py that names two AppConfig classes would make Django pick neither."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from ninja import Router

    from cpis.organisation.access import Actor


class CpisAppConfig(AppConfig):
    """The base of every CPIS app's AppConfig; every attribute is optional.

    name: the app's package, taken from the module the class is written in
        (`cpis.forums.apps` gives `cpis.forums`), so an apps.py says only what is
        particular to its app.
    urls: (prefix, urls module) pairs mounted in cpis/urls.py, e.g.
        `(("staff/forums/", "cpis.forums.urls"),)`; the module's `app_name` is the namespace.
    api: (prefix, "module.router") of the app's django-ninja Router under /api/v1/.
    demo: a module with `clear_demo()` and `load_demo(*, scale, seed, today) -> list[str]`.
    demo_order: demo modules load by (demo_order, INSTALLED_APPS order); an app whose
        demo reads what every other demo wrote sets 1 to load after them.
    daily_jobs: functions that take nothing and return a line to print, run at most
        once a day each by `cpis run_scheduled`.
    frequent_jobs: functions like daily jobs, run on every call of `cpis
        run_scheduled` (every few minutes from cron, or each loop), before the
        outbox is swept; they must be cheap when there is nothing to do and
        safe when two runners call them at once.
    personal_data: a module whose `KINDS` (core.subjects.Kind) find, export and erase
        what the app holds about a person, for data-subject requests.
    work_today: a function `(actor) -> list[WorkItem]`: what waits for this person in
        the app now (counted at the places the app's policy gives them), for the staff
        home's "my work today".
    evaluation_sections: functions `(unit, start, end) -> core.evaluation.Section | None`:
        the app's elements of the strategy's six-monthly evaluation (see core.evaluation).
    """

    urls: tuple[tuple[str, str], ...] = ()
    api: tuple[str, str] | None = None
    demo: str = ""
    demo_order: int = 0
    daily_jobs: tuple[str, ...] = ()
    frequent_jobs: tuple[str, ...] = ()
    personal_data: str = ""
    work_today: str = ""
    evaluation_sections: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        # Django reads `name` from the class when INSTALLED_APPS names the package.
        if "name" not in cls.__dict__:
            cls.name = cls.__module__.removesuffix(".apps")


def cpis_apps() -> list[CpisAppConfig]:
    return [config for config in apps.get_app_configs() if isinstance(config, CpisAppConfig)]


def app_urls() -> list[tuple[str, str]]:
    """(prefix, urls module) of every app."""
    return [mount for config in cpis_apps() for mount in config.urls]


def api_routers() -> list[tuple[str, "Router"]]:
    """(prefix, Router) of every app that has an API."""
    return [(config.api[0], import_string(config.api[1])) for config in cpis_apps() if config.api]


def demo_modules() -> list[ModuleType]:
    """The apps' demo modules, lower apps first."""
    ordered = sorted((config for config in cpis_apps() if config.demo), key=lambda config: config.demo_order)
    return [import_module(config.demo) for config in ordered]


def daily_jobs() -> list[tuple[str, Callable[[], str]]]:
    """(dotted path, function) of every app's daily job."""
    return [(job, import_string(job)) for config in cpis_apps() for job in config.daily_jobs]


def frequent_jobs() -> list[tuple[str, Callable[[], str]]]:
    """(dotted path, function) of every app's job run on each scheduler call."""
    return [(job, import_string(job)) for config in cpis_apps() for job in config.frequent_jobs]


def evaluation_sections() -> list[Callable[..., Any]]:
    """Every app's functions of the six-monthly evaluation's sections, in INSTALLED_APPS order."""
    return [import_string(path) for config in cpis_apps() for path in config.evaluation_sections]


def personal_data_modules() -> list[ModuleType]:
    """The apps' modules of what they hold about a person, lower apps first."""
    return [import_module(config.personal_data) for config in cpis_apps() if config.personal_data]


class Urgency(IntEnum):
    """How soon a work item needs its person; the staff home lists the most urgent first."""

    OVERDUE = 0  # a deadline has passed
    NOW = 1  # waits for this person: assigned, to triage, to review
    SOON = 2  # comes up in the next days, or runs now without a deadline of its own


@dataclass(frozen=True)
class WorkItem:
    """One line of "my work today": `count` records behind `url` that need the person.
    `label` names them in the plural form that fits the count (ngettext), without the
    number, which the page shows beside it; `detail` adds a short note (the nearest
    deadline, the place)."""

    label: str
    count: int
    url: str
    urgency: Urgency = Urgency.NOW
    detail: str = ""


def work_today(actor: "Actor") -> list[WorkItem]:
    """Every app's work items for the actor that count something, most urgent first
    and, within the same urgency, in INSTALLED_APPS order (lower apps first)."""
    items = [
        item
        for config in cpis_apps()
        if config.work_today
        for item in import_string(config.work_today)(actor)
        if item.count > 0
    ]
    return sorted(items, key=lambda item: item.urgency)
