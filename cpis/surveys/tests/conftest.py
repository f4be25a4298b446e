"""Fixtures the surveys' tests share, on the demo tree and personas of the root
conftest. A module that needs another `wave` defines its own, which wins."""

import pytest
from django.utils import translation

from cpis.surveys.selectors import questionnaires
from cpis.surveys.services import questionnaires as questionnaire_services

from .responses_factories import make_wave


@pytest.fixture
def english():
    """English while the test runs: messages are asserted as written (the site's
    default language is Albanian). A module uses it with
    `pytestmark = pytest.mark.usefixtures("english")`."""
    with translation.override("en"):
        yield


@pytest.fixture
def version(db):
    """The shipped safety-and-trust questionnaire's published version."""
    return questionnaires.get_published_version("safety-and-trust")


@pytest.fixture
def draft(tree, actor_for, version):
    """Version 2 of safety-and-trust, drafted by the directorate from the published one."""
    return questionnaire_services.new_draft(actor_for("directorate"), questionnaire=version.questionnaire)


@pytest.fixture
def populated(tree):
    """The demo tree with its sectors' populations: N1A 3,000, N1B 1,000, S1A 2,000."""
    for unit, population in ((tree.n1a, 3000), (tree.n1b, 1000), (tree.s1a, 2000)):
        unit.population = population
        unit.save()
    return tree


@pytest.fixture
def wave(tree):
    """An open wave of region North, running today."""
    return make_wave(tree.north)
