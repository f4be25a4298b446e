"""submit_once: one submission once, whatever the retries (the helper every create-by-API path uses)."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from cpis.core import idempotency
from cpis.core.errors import InvalidInput
from cpis.core.models import IdempotencyRecord

pytestmark = pytest.mark.django_db

User = get_user_model()


def _submit(key, fields, *, fail=False):
    def create():
        user = User.objects.create(username=fields["name"])
        if fail:
            raise RuntimeError("the work failed")
        return user

    return idempotency.submit_once(key, fields, create=create, load=lambda pk: User.objects.get(pk=pk))


def test_a_retry_gets_the_first_record_back_and_nothing_new():
    first, replayed = _submit("k1", {"name": "arta"})
    assert not replayed
    again, replayed = _submit("k1", {"name": "arta"})
    assert (again, replayed) == (first, True)
    assert User.objects.count() == 1
    assert IdempotencyRecord.objects.get(key="k1").record_id == str(first.pk)


def test_the_same_key_with_another_body_is_refused_with_422():
    _submit("k1", {"name": "arta"})
    with pytest.raises(idempotency.IdempotencyKeyReused) as refused:
        _submit("k1", {"name": "besa"})
    assert refused.value.status_code == 422
    assert User.objects.count() == 1


def test_a_retry_while_the_first_is_still_running_gets_409():
    # The first submission has claimed the key (with the real fingerprint of
    # the same body) and not finished yet.
    assert idempotency.claim("k1", idempotency.fingerprint({"name": "arta"})) is None
    with pytest.raises(idempotency.SubmissionInProgress) as refused:
        _submit("k1", {"name": "arta"})
    assert refused.value.status_code == 409
    assert not User.objects.exists()


def test_failed_work_releases_the_key_so_the_retry_succeeds():
    with pytest.raises(RuntimeError):
        _submit("k1", {"name": "arta"}, fail=True)
    assert not IdempotencyRecord.objects.exists() and not User.objects.exists()
    user, replayed = _submit("k1", {"name": "arta"})
    assert not replayed and user.username == "arta"


@pytest.mark.parametrize("key", ["", "   ", "x" * 121])
def test_a_missing_or_overlong_key_is_refused(key):
    with translation.override("en"), pytest.raises(InvalidInput, match="key"):
        idempotency.require_key(key)
    assert idempotency.require_key(" abc ") == "abc"
