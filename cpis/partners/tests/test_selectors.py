"""Reads of the partners app: what each place sees, contacts written to the
access log, hour totals, and the counts for the action plan's indicators."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cpis.accounts.models import AccessLogEntry
from cpis.core.periods import half_years
from cpis.organisation.access import Actor
from cpis.partners import selectors, services
from cpis.partners.models import AgreementStatus, PartnerKind, PartnerLevel
from cpis.partners.tests.factories import SYSTEM, agreement, contact, group, hours, partner, volunteer

PLAN_YEARS = half_years(date(2012, 1, 1), date(2016, 12, 31))  # 10 half-years


def test_the_registry_holds_the_partners_of_the_actors_places_only(tree, actor_for):
    station = partner(tree.n1, name="Komuna e Mitrovicës")
    sector = partner(tree.n1a, name="Shkolla Naim Frashëri")
    partner(tree.s1, name="Komuna e Prizrenit")
    partner(tree.root, name="Ministria e Arsimit", level=PartnerLevel.CENTRAL, kind=PartnerKind.MINISTRY)
    assert list(selectors.list_partners(actor_for("coordinator_n1"))) == [station, sector]
    assert list(selectors.list_partners(actor_for("officer_n1a"))) == [sector]
    assert selectors.list_partners(actor_for("directorate")).count() == 4
    assert not selectors.list_partners(actor_for("standards")).exists()
    assert not selectors.list_partners(Actor.anonymous()).exists()


def test_another_places_partner_and_a_missing_one_both_answer_404(tree, actor_for):
    theirs = partner(tree.s1)
    for missing in [theirs.pk, theirs.pk + 100]:
        with pytest.raises(Http404):
            selectors.get_partner(actor_for("coordinator_n1"), missing)


def test_the_registry_filters_by_kind_level_activity_and_text(tree, actor_for):
    services.update_partner(
        SYSTEM,
        partner=partner(tree.n1, name="Radio Mitrovica", kind=PartnerKind.MEDIA),
        data=services.PartnerData(
            kind=PartnerKind.MEDIA, name="Radio Mitrovica", level="local", unit=tree.n1, is_active=False
        ),
    )
    partner(tree.n1, name="Komuna e Mitrovicës", description="Zyra për komunitete")
    actor = actor_for("coordinator_n1")

    def names(**filters):
        return [p.name for p in selectors.list_partners(actor, selectors.PartnerFilters(**filters))]

    assert names(kind=PartnerKind.MEDIA) == ["Radio Mitrovica"]
    assert names(active="no") == ["Radio Mitrovica"]
    assert names(active="yes") == ["Komuna e Mitrovicës"]
    assert names(query="komunitete") == ["Komuna e Mitrovicës"]
    assert names(level="central") == []


def test_each_contact_shown_is_written_to_the_access_log(tree, actor_for, rf):
    local = partner(tree.n1)
    contact(local, name="Arta Krasniqi")
    contact(local, name="Blerim Shala")
    request = rf.get("/staff/partners/1/")
    shown = selectors.list_contacts(actor_for("coordinator_n1"), local, request=request)
    assert [c.name for c in shown] == ["Arta Krasniqi", "Blerim Shala"]
    logged = AccessLogEntry.objects.reads().filter(subject_type="partners.partnercontact")
    assert sorted(int(e.subject_id) for e in logged) == sorted(c.pk for c in shown)
    assert {e.source for e in logged} == {"/staff/partners/1/"}


def test_contacts_are_refused_to_a_sector_officer_and_unlogged(tree, actor_for):
    local = partner(tree.n1a)
    contact(local)
    with pytest.raises(PermissionDenied):
        selectors.list_contacts(actor_for("officer_n1a"), local, request=None)
    with pytest.raises(PermissionDenied):
        selectors.get_volunteer_contact(actor_for("officer_n1a"), volunteer(tree.n1a), request=None)
    assert not AccessLogEntry.objects.reads().exists()


def test_hour_totals_per_volunteer_and_per_group_for_a_half_year(tree, actor_for):
    watch = group(tree.n1)
    first = volunteer(tree.n1, name="Dritan Berisha", group=watch)
    second = volunteer(tree.n1a, name="Arta Gashi", group=watch)
    loner = volunteer(tree.n1, name="Besim Morina")
    hours(first, date(2014, 2, 1), "2.5")
    hours(first, date(2014, 3, 1), "3")
    hours(second, date(2014, 4, 1), "4")
    hours(loner, date(2014, 5, 1), "1")
    hours(loner, date(2014, 8, 1), "7")  # the next half-year
    hours(volunteer(tree.s1, name="Goran Petrović"), date(2014, 2, 1), "9")  # another region
    period = PLAN_YEARS[4]  # 2014 H1
    totals = selectors.hours_totals(actor_for("coordinator_n1"), period)
    assert [(r["volunteer__name"], r["total"], r["days"]) for r in totals.by_volunteer] == [
        ("Dritan Berisha", 5.5, 2),
        ("Arta Gashi", 4, 1),
        ("Besim Morina", 1, 1),
    ]
    assert [(r["volunteer__group__name"], r["total"], r["volunteers"]) for r in totals.by_group] == [
        (watch.name, 9.5, 2),
        (None, 1, 1),
    ]
    assert totals.total == 10.5
    by_period = {row.period.label: row.hours for row in selectors.volunteer_hours_by_period(loner)}
    assert by_period["2014 H1"] == 1 and by_period["2014 H2"] == 7
    assert {r.period.label: r.hours for r in selectors.group_hours_by_period(watch)}["2014 H1"] == 9.5


# --- counts for the action plan ------------------------------------------------------


def _series(counter, **kwargs):
    return dict(zip([p.label for p in PLAN_YEARS], counter(PLAN_YEARS, **kwargs), strict=True))


def test_partners_identified_are_counted_per_half_year_and_place(tree, django_assert_num_queries):
    partner(tree.root, level=PartnerLevel.CENTRAL, kind=PartnerKind.MINISTRY, identified_on=date(2012, 3, 1))
    partner(tree.n1, identified_on=date(2012, 6, 30))
    partner(tree.n1a, identified_on=date(2012, 7, 1))
    partner(tree.s1, identified_on=date(2016, 12, 31))
    partner(tree.s1, identified_on=date(2017, 1, 1))  # after the plan
    with django_assert_num_queries(1):
        national = _series(selectors.count_partners_identified)
    assert national["2012 H1"] == 2 and national["2012 H2"] == 1 and national["2016 H2"] == 1
    assert sum(national.values()) == 4
    north = _series(selectors.count_partners_identified, path=tree.north.path)
    assert north["2012 H1"] == 1 and north["2012 H2"] == 1 and sum(north.values()) == 2


def test_agreements_signed_count_expired_and_terminated_ones_but_not_drafts(tree, django_assert_num_queries):
    ours = partner(tree.n1)
    agreement(tree.n1, [ours], signed_on=date(2013, 2, 1))
    agreement(tree.n1, [ours], status=AgreementStatus.EXPIRED, signed_on=date(2013, 3, 1))
    agreement(tree.n1, [ours], status=AgreementStatus.TERMINATED, signed_on=date(2013, 8, 1))
    agreement(tree.n1, [ours], status=AgreementStatus.DRAFT)
    agreement(tree.s1, [partner(tree.s1)], signed_on=date(2013, 2, 1))
    with django_assert_num_queries(1):
        counts = _series(selectors.count_agreements_signed, path=tree.n1.path)
    assert counts["2013 H1"] == 2 and counts["2013 H2"] == 1 and sum(counts.values()) == 3
    assert _series(selectors.count_agreements_signed)["2013 H1"] == 3


def test_recognitions_are_counted_when_awarded(tree):
    for day in [date(2013, 6, 9), date(2013, 6, 9), date(2014, 1, 2)]:
        services.award_recognition(
            SYSTEM,
            data=services.RecognitionData(
                recipient_kind="citizen",
                recipient_name="Agim Gashi",
                reason="Ndihmë",
                awarded_on=day,
                unit=tree.n1,
            ),
        )
    recognitions = _series(selectors.count_recognitions, path=tree.north.path)
    assert recognitions["2013 H1"] == 2 and recognitions["2014 H1"] == 1
    assert sum(_series(selectors.count_recognitions, path=tree.south.path).values()) == 0


def test_volunteers_are_counted_in_every_half_year_they_served(tree, django_assert_num_queries):
    volunteer(tree.n1, joined_on=date(2012, 5, 1), left_on=date(2013, 2, 1))
    volunteer(tree.n1a, joined_on=date(2013, 1, 1))
    volunteer(tree.s1, joined_on=date(2016, 12, 31))
    with django_assert_num_queries(1):
        counts = selectors.count_volunteers_active(PLAN_YEARS)
    assert counts == [1, 1, 2, 1, 1, 1, 1, 1, 1, 2]
    assert selectors.count_volunteers_active(PLAN_YEARS, path=tree.s1.path)[-1] == 1


def test_the_partners_for_a_place_are_those_at_under_and_above_it_that_the_actor_sees(tree, actor_for):
    central = partner(
        tree.root, name="Ministria e Arsimit", level=PartnerLevel.CENTRAL, kind=PartnerKind.MINISTRY
    )
    station = partner(tree.n1, name="Komuna e Mitrovicës")
    sector = partner(tree.n1a, name="Shkolla Naim Frashëri")
    partner(tree.n1b, name="Shkolla e fqinjit")
    partner(tree.s1, name="Komuna e Prizrenit")
    services.update_partner(
        SYSTEM,
        partner=partner(tree.n1a, name="Radio e mbyllur", kind=PartnerKind.MEDIA),
        data=services.PartnerData(
            kind=PartnerKind.MEDIA, name="Radio e mbyllur", level="local", unit=tree.n1a, is_active=False
        ),
    )
    assert list(selectors.list_partners_for_place(actor_for("directorate"), tree.n1a)) == [
        station,
        central,
        sector,
    ]
    assert list(selectors.list_partners_for_place(actor_for("commander_n1"), tree.n1a)) == [station, sector]
    assert list(selectors.list_partners_for_place(actor_for("officer_n1a"), tree.n1a)) == [sector]
    assert not selectors.list_partners_for_place(actor_for("commander_s1"), tree.n1a).exists()
