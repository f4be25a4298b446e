"""The demo tree and named personas every test can ask for.

    kp/                         General Police Directorate
      north/                    Region North
        n1/                     Station N1
          n1a/  n1b/            Sectors (0.1° squares at 21.0–21.2 E, 42.5 N)
      south/                    Region South
        s1/                     Station S1
          s1a/                  Sector (21.0 E, 41.9 N)

Each persona is a user holding one role at one place; fixtures are created
only when a test asks for them.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from cpis.accounts.tests.factories import UserFactory
from cpis.organisation.access import Actor
from cpis.organisation.models import Role, Unit, UnitKind
from cpis.organisation.tests.factories import RoleGrantFactory, UnitFactory, square

# The mission text and the reference data sit beside the repository, in ../shared.
SHARED = Path(os.environ.get("CPIS_SHARED", Path(__file__).resolve().parent.parent / "shared"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked `postgres` need PostgreSQL: on SQLite they are skipped, with the
    reason in the report (CI runs them in its PostgreSQL stage, which CI=true requires)."""
    if item.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (make test-postgres); this run is on SQLite")


@pytest.fixture(autouse=True)
def _reference_data_after_a_flush(request, django_db_blocker):
    """A transactional test (the browser journeys, the task and backup tests) empties
    every table when it ends, the reference data the data migrations seeded included
    (concern categories, the incident taxonomy, the shipped questionnaires); the tests
    after it on the same worker expect them. So, before each test that uses the
    database, put them back when they are missing. Before, not after: when the test's
    database fixture is set up ahead of this one (a `django_db` marker, pytest-django's
    live-server helper), its flush comes after anything this fixture does at teardown."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("django_db_setup")  # the test database, never the real one
    from cpis.concerns.categories import seed as seed_concern_categories
    from cpis.concerns.models import Category
    from cpis.incidents.models import IncidentCategory
    from cpis.incidents.taxonomy import seed as seed_taxonomy
    from cpis.surveys import models as surveys
    from cpis.surveys.spec import seed as seed_questionnaires

    with django_db_blocker.unblock():
        if not Category.objects.exists():
            seed_concern_categories(Category)
        if not IncidentCategory.objects.exists():
            seed_taxonomy(IncidentCategory)
        if not surveys.Questionnaire.objects.exists():
            seed_questionnaires(
                surveys.Questionnaire,
                surveys.QuestionnaireVersion,
                surveys.Question,
                surveys.Option,
                now=timezone.now(),
            )
    yield


@pytest.fixture
def shared_file():
    """shared_file("mission", "x.txt") → the path of a file in ../shared; a test that
    needs one fails, rather than skips, when it is missing."""

    def find(*parts: str) -> Path:
        path = SHARED.joinpath(*parts)
        if not path.exists():
            pytest.fail(
                f"{path} is missing: this test needs the shared folder beside the repository "
                "(../shared, or set CPIS_SHARED to where it is)",
                pytrace=False,
            )
        return path

    return find


@dataclass
class Tree:
    root: Unit
    north: Unit
    n1: Unit
    n1a: Unit
    n1b: Unit
    south: Unit
    s1: Unit
    s1a: Unit


@pytest.fixture
def tree(db) -> Tree:
    root = UnitFactory(
        code="kp", kind=UnitKind.DIRECTORATE, name_sq="Drejtoria", name_sr="Дирекција", name_en="Directorate"
    )
    north = UnitFactory(
        parent=root, code="north", kind=UnitKind.REGION, name_sq="Veriu", name_sr="Север", name_en="North"
    )
    n1 = UnitFactory(
        parent=north,
        code="n1",
        kind=UnitKind.STATION,
        name_sq="Stacioni N1",
        name_sr="Станица Н1",
        name_en="Station N1",
    )
    n1a = UnitFactory(
        parent=n1,
        code="n1a",
        kind=UnitKind.SECTOR,
        boundary=square(21.0, 42.5),
        name_sq="Sektori A",
        name_sr="Сектор А",
        name_en="Sector A",
    )
    n1b = UnitFactory(
        parent=n1,
        code="n1b",
        kind=UnitKind.SECTOR,
        boundary=square(21.1, 42.5),
        name_sq="Sektori B",
        name_sr="Сектор Б",
        name_en="Sector B",
    )
    south = UnitFactory(
        parent=root, code="south", kind=UnitKind.REGION, name_sq="Jugu", name_sr="Југ", name_en="South"
    )
    s1 = UnitFactory(
        parent=south,
        code="s1",
        kind=UnitKind.STATION,
        name_sq="Stacioni S1",
        name_sr="Станица С1",
        name_en="Station S1",
    )
    s1a = UnitFactory(
        parent=s1,
        code="s1a",
        kind=UnitKind.SECTOR,
        boundary=square(21.0, 41.9),
        name_sq="Sektori J",
        name_sr="Сектор Ј",
        name_en="Sector S",
    )
    return Tree(root, north, n1, n1a, n1b, south, s1, s1a)


PERSONAS = {
    # name: (role, place attribute on Tree)
    "officer_n1a": (Role.SECTOR_OFFICER, "n1a"),
    "leader_n1a": (Role.SECTOR_LEADER, "n1a"),
    "coordinator_n1": (Role.STATION_COORDINATOR, "n1"),
    "commander_n1": (Role.STATION_COMMANDER, "n1"),
    "commander_s1": (Role.STATION_COMMANDER, "s1"),
    "director_north": (Role.REGIONAL_DIRECTOR, "north"),
    "coordinator_north": (Role.REGIONAL_COORDINATOR, "north"),
    "directorate": (Role.DIRECTORATE, "root"),
    "strategy_coordinator": (Role.STRATEGY_COORDINATOR, "root"),
    "standards": (Role.PROFESSIONAL_STANDARDS, "root"),
    "admin": (Role.SYSTEM_ADMIN, "root"),
    "safeguarding_n1": (Role.SAFEGUARDING, "n1"),
    "personnel": (Role.PERSONNEL, "root"),
}


@pytest.fixture
def persona(tree):
    """persona("commander_n1") → the user; "citizen" → None (anonymous);
    "no_role" → a signed-in user with no role anywhere."""
    made: dict[str, object] = {}

    def make(name: str):
        if name == "citizen":
            return None
        if name not in made:
            user = UserFactory(username=name)
            if name != "no_role":
                role, place = PERSONAS[name]
                RoleGrantFactory(user=user, unit=getattr(tree, place), role=role)
            made[name] = user
        return made[name]

    return make


@pytest.fixture
def actor_for(persona):
    def make(name: str) -> Actor:
        user = persona(name)
        return Actor.anonymous() if user is None else Actor.for_user(user)

    return make


@pytest.fixture
def client_for(persona):
    def make(name: str) -> Client:
        client = Client()
        user = persona(name)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def api(persona):
    """api("commander_n1") → a client sending that persona's API token (extra
    keyword arguments become default headers)."""

    def make(name: str, **headers) -> Client:
        from cpis.accounts.services import create_api_token

        token = create_api_token(user=persona(name), name="app")[1]
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}", **headers)

    return make


@pytest.fixture
def pages(django_assert_max_num_queries):
    """pages(client, "/api/v1/partners", "name", queries=5) → (count, the `key` of each
    item on the page of two from the second), for a list endpoint with six items or
    more; on the way it checks that the body holds `items` and `count` only, and that a
    page of one and a page of six take the same `queries` queries at the most."""

    def check(client: Client, url: str, key: str, *, queries: int) -> tuple[int, list[object]]:
        page = client.get(f"{url}?limit=2&offset=1").json()
        assert set(page) == {"items", "count"}
        for limit in (1, 6):
            with django_assert_max_num_queries(queries):
                assert len(client.get(f"{url}?limit={limit}").json()["items"]) == limit
        return page["count"], [item[key] for item in page["items"]]

    return check


@pytest.fixture
def categories(db):
    """The seed categories, again: a transactional test's flush empties the
    table the data migration filled."""
    from cpis.concerns.categories import seed
    from cpis.concerns.models import Category

    seed(Category)
