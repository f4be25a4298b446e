"""The demo's data-subject requests: consistent with the other demos, an
open access request whose person the search finds in several kinds of
record, and an erasure request answered with its steps. One test, as
loading the demos takes seconds."""

from datetime import date

import pytest
from django.utils import translation

from cpis.concerns import demo as concerns_demo
from cpis.concerns.models import Concern
from cpis.core.subjects import EMAIL
from cpis.forums import demo as forums_demo
from cpis.forums.models import ForumMember
from cpis.organisation.access import Actor
from cpis.organisation.demo import load_demo as load_organisation
from cpis.organisation.models import Role, RoleGrant
from cpis.partners import demo as partners_demo
from cpis.privacy import demo_requests
from cpis.privacy.models import RequestKind, RequestStatus, StepKind, SubjectRequest
from cpis.privacy.selectors import requests as selectors
from cpis.privacy.services import requests as services

TODAY = date(2026, 11, 1)


@pytest.fixture
def loaded(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_organisation(scale="small", seed=2012, today=TODAY)
    for demo in (forums_demo, partners_demo, concerns_demo):
        demo.load_demo(scale="small", seed=2012, today=TODAY)
    with translation.override("en"):
        return demo_requests.load_requests(scale="small", seed=2012, today=TODAY)


def test_the_demo_requests_are_consistent_with_the_demo(loaded):
    assert loaded and "DSR-2026-0001" in loaded[0]
    officer = Actor.for_user(RoleGrant.objects.get(role=Role.DATA_PROTECTION_OFFICER).user)

    access = SubjectRequest.objects.get(kind=RequestKind.ACCESS)
    assert access.status == RequestStatus.OPEN and access.received_on < TODAY
    step = services.run_search(officer, subject_request=access, http_request=None)
    kinds = {subject_type for subject_type, _id, _matched in selectors.found_records(step)}
    assert {"forums.forummember", "concerns.concern", "partners.volunteer"} <= kinds
    # The request typed the name in Cyrillic and the phone in the national format.
    assert not access.names.isascii() and access.phones.startswith("0")

    erasure = SubjectRequest.objects.get(kind=RequestKind.ERASURE)
    assert erasure.status == RequestStatus.ANSWERED and erasure.outcome
    steps = list(erasure.steps.values_list("kind", "subject_type"))
    assert steps[:3] == [(StepKind.RECEIVED, ""), (StepKind.SEARCH, ""), (StepKind.EXPORT, "")]
    assert steps[-1] == (StepKind.CLOSED, "")
    erased = {
        (t, i)
        for t, i in erasure.steps.filter(kind=StepKind.ERASED).values_list("subject_type", "subject_id")
    }
    assert {t for t, _i in erased} == {"forums.forummember", "concerns.concern"}
    for subject_type, subject_id in erased:
        if subject_type == "forums.forummember":
            assert ForumMember.objects.get(pk=subject_id).name == f"[{erasure.reference}]"
        else:
            assert Concern.objects.get(pk=subject_id).reporter_email == ""
    # Namesakes found by the name alone were left alone.
    found = selectors.found_records(selectors.latest_search(erasure))
    assert all(EMAIL in matched for t, i, matched in found if (t, i) in erased)

    demo_requests.clear_requests()
    assert not SubjectRequest.objects.exists()
