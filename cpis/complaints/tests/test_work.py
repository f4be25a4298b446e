"""What complaints put on "my work today": professional standards see the new
complaints to acknowledge and the late ones; nobody else sees any, and the
officer complained about does not see their own."""

import uuid
from datetime import timedelta

from django.utils import timezone

from cpis.complaints import services, work
from cpis.complaints.models import Complaint
from cpis.core.registry import Urgency
from cpis.organisation.models import Role
from cpis.organisation.tests.factories import OfficerFactory, RoleGrantFactory


def complain(unit):
    return services.submit_complaint(
        description="Zyrtari më fyeu gjatë kontrollit të trafikut.",
        language="sq",
        idempotency_key=uuid.uuid4().hex,
        unit=unit,
    ).complaint


def by_urgency(items):
    return [(item.urgency, item.count) for item in items]


def test_professional_standards_see_new_late_and_undecided_complaints(tree, actor_for):
    complain(tree.n1)
    late = complain(tree.s1)
    past = timezone.now() - timedelta(days=1)
    Complaint.objects.filter(pk=late.pk).update(acknowledge_by=past, decide_by=past)
    assert by_urgency(work.today(actor_for("standards"))) == [
        (Urgency.OVERDUE, 1),  # not acknowledged in time
        (Urgency.OVERDUE, 1),  # past its decision deadline
        (Urgency.NOW, 1),  # new, to acknowledge
    ]
    services.acknowledge_complaint(actor_for("standards"), complaint=late)
    assert by_urgency(work.today(actor_for("standards"))) == [
        (Urgency.OVERDUE, 0),
        (Urgency.OVERDUE, 1),
        (Urgency.NOW, 1),
    ]


def test_no_other_role_is_shown_complaints(tree, actor_for):
    complain(tree.n1)
    for name in [
        "officer_n1a",
        "commander_n1",
        "director_north",
        "directorate",
        "admin",
        "strategy_coordinator",
    ]:
        assert work.today(actor_for(name)) == [], name


def test_the_officer_complained_about_is_not_told_of_the_complaint(tree, actor_for, persona):
    accused = persona("officer_n1a")
    RoleGrantFactory(user=accused, unit=tree.root, role=Role.PROFESSIONAL_STANDARDS)
    complaint = complain(tree.n1)
    assert [item.count for item in work.today(actor_for("officer_n1a"))] == [0, 0, 1]
    # Identified as the officer complained about (the complaint still new, not yet acknowledged).
    officer = OfficerFactory(unit=tree.n1, user=accused)
    Complaint.objects.filter(pk=complaint.pk).update(accused_officer=officer, accused_unit_path=tree.n1.path)
    assert [item.count for item in work.today(actor_for("officer_n1a"))] == [0, 0, 0]
    assert [item.count for item in work.today(actor_for("standards"))] == [0, 0, 1]
