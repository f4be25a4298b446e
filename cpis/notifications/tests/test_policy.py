"""Who receives which kind, and who reads a notification: the matrix."""

import pytest
from django.http import Http404

from cpis.notifications import policy, services
from cpis.notifications.models import Kind

K = Kind
MATRIX = {
    # The sector team: near-repeat alerts are pushed to them alone.
    "officer_n1a": {K.CONCERN_ASSIGNED, K.CITIZEN_WROTE, K.CONCERN_OVERDUE, K.ACTION_DUE, K.HIGH_TENSION,
                    K.EMERGING_CLUSTER, K.NEAR_REPEAT, K.APPRAISAL_SUBMITTED},
    "leader_n1a": {K.CONCERN_ASSIGNED, K.CITIZEN_WROTE, K.CONCERN_OVERDUE, K.REPORT_RETURNED, K.ACTION_DUE,
                   K.HIGH_TENSION, K.EMERGING_CLUSTER, K.NEAR_REPEAT, K.APPRAISAL_SUBMITTED,
                   K.APPRAISAL_APPEALED},
    "coordinator_n1": {K.CONCERN_ASSIGNED, K.CITIZEN_WROTE, K.CONCERN_OVERDUE, K.REPORT_TO_REVIEW,
                       K.REPORT_RETURNED, K.ACTION_DUE, K.HIGH_TENSION, K.EMERGING_CLUSTER,
                       K.APPRAISAL_SUBMITTED},
    "commander_n1": {K.CONCERN_ASSIGNED, K.CITIZEN_WROTE, K.CONCERN_OVERDUE, K.ACTION_DUE, K.HIGH_TENSION,
                     K.EMERGING_CLUSTER, K.APPRAISAL_SUBMITTED, K.APPRAISAL_APPEALED},
    "director_north": {K.CONCERN_ASSIGNED, K.CITIZEN_WROTE, K.CONCERN_OVERDUE, K.REPORT_TO_REVIEW,
                       K.ACTION_DUE, K.EMERGING_CLUSTER, K.APPRAISAL_SUBMITTED, K.APPRAISAL_APPEALED},
    "directorate": {K.CONCERN_ASSIGNED, K.CITIZEN_WROTE, K.CONCERN_OVERDUE, K.REPORT_TO_REVIEW, K.ACTION_DUE,
                    K.EMERGING_CLUSTER, K.APPRAISAL_SUBMITTED, K.APPRAISAL_APPEALED},
    # Professional standards: complaints, and nothing of policing.
    "standards": {K.COMPLAINT_ARRIVED},
    "no_role": set(),
}  # fmt: skip


@pytest.mark.parametrize(("name", "kinds"), MATRIX.items())
def test_each_role_receives_the_kinds_of_its_work(actor_for, name, kinds):
    assert set(policy.kinds_for(actor_for(name))) == kinds


@pytest.mark.parametrize("reader", ["leader_n1a", "commander_n1", "directorate", "admin", "standards"])
def test_only_the_recipient_reads_a_notification(staff, actor_for, reader):
    [notification] = services.notify(
        kind=Kind.CONCERN_ASSIGNED, recipients=[staff("officer_n1a")], key="k", title="t", link="/"
    )
    assert policy.may_read(actor_for("officer_n1a"), notification)
    assert not policy.may_read(actor_for(reader), notification)
    with pytest.raises(Http404):
        policy.require_read(actor_for(reader), notification)
