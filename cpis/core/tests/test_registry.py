"""Every CPIS app plugs in through its AppConfig, and what it declares exists."""

from django.apps import apps
from django.urls import include

from cpis.core import registry


def test_every_cpis_app_has_a_cpis_app_config():
    # An apps.py that names two AppConfig classes makes Django fall back to a
    # plain AppConfig, and the app's URLs, API, demo and jobs would vanish.
    plain = [
        config.name
        for config in apps.get_app_configs()
        if config.name.startswith("cpis.") and not isinstance(config, registry.CpisAppConfig)
    ]
    assert plain == []


def test_what_the_apps_declare_resolves():
    for _prefix, module in registry.app_urls():
        assert include(module)[1], module  # every URL module has its app_name
    assert len(registry.api_routers()) == len([c for c in registry.cpis_apps() if c.api])
    demos = registry.demo_modules()
    assert all(callable(m.clear_demo) and callable(m.load_demo) for m in demos)
    # The analytics scan reads every other demo's data, problems take up its clusters; the
    # officers' records and their evaluations count what the demos before them wrote; the
    # media log links reports to the problems planted; the access log's demo reads their
    # records and writes nothing any other demo reads; the surveys' demo reads the problems
    # planted and worked by then; the alerts' demo starts its watermarks after everything
    # the others wrote.
    assert [m.__name__ for m in demos][-8:] == [
        "cpis.analytics.demo",
        "cpis.problems.demo",
        "cpis.people.demo",
        "cpis.appraisals.demo",
        "cpis.media.demo",
        "cpis.privacy.demo",
        "cpis.surveys.demo",
        "cpis.alerts.demo",
    ]
    assert next(job for job, _function in registry.daily_jobs()) == "cpis.core.tasks.prune_spent"
    frequent = dict(registry.frequent_jobs())
    assert callable(frequent["cpis.alerts.tasks.fan_out_job"])
    kinds = [kind for module in registry.personal_data_modules() for kind in module.KINDS]
    assert {kind.subject_type for kind in kinds} >= {
        "concerns.concern",
        "complaints.complaint",
        "forums.forummember",
        "partners.partnercontact",
        "partners.volunteer",
    }
    assert len({kind.subject_type for kind in kinds}) == len(kinds)


def test_an_app_is_named_after_the_package_of_its_apps_module():
    for config in registry.cpis_apps():
        assert config.name == type(config).__module__.removesuffix(".apps")
    assert apps.get_app_config("partners").name == "cpis.partners"
