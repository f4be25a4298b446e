"""A fault under a citizen's submission: a clean 503, nothing kept."""

from django.db import OperationalError, connection
from django.test import Client

from cpis.concerns.models import Concern
from cpis.core.models import RateBucket

from .test_report import _form


def test_a_locked_rate_limit_write_is_a_clean_503_and_nothing_is_kept(tree):
    """SQLite gives up on a write lock after its busy timeout with
    OperationalError("database is locked"); the citizen is told to try again."""
    table = RateBucket._meta.db_table

    def locked(execute, sql, params, many, context):
        if table in sql and sql.lstrip().upper().startswith("INSERT"):
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(locked):
        response = Client(raise_request_exception=False).post("/report/", _form())
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert not Concern.objects.exists()
