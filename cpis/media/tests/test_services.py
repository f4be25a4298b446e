"""Logging, changing and deleting reports: checked fields with translated errors,
nothing changed on bad input, duplicates refused, place rules kept."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone, translation

from cpis.core.errors import InvalidInput
from cpis.media import services
from cpis.media.models import MediaItem, MediaPlace, Outlet
from cpis.outreach import services as outreach
from cpis.outreach.models import Kind


def _log(actor, outlets, topics, units=(), **changes):
    fields = {
        "published_on": date(2025, 4, 2),
        "outlet": outlets["tv"],
        "headline": "Police meet residents",
        "topic": topics["community_policing"],
        "tone": "positive",
        "units": list(units),
    }
    return services.log_item(actor, **(fields | changes))


def test_coordinator_logs_a_report_with_its_places_and_municipalities(tree, actor_for, outlets, topics):
    from cpis.organisation.tests.factories import MunicipalityFactory

    municipality = MunicipalityFactory()
    item = _log(
        actor_for("coordinator_n1"),
        outlets,
        topics,
        [tree.n1a, tree.n1b, tree.n1a],
        url="https://www.Agimi.example/lajme/1/",
        summary="  A meeting.  ",
        municipalities=[municipality],
    )
    item.refresh_from_db()
    assert sorted(item.places.values_list("unit_path", flat=True)) == [tree.n1a.path, tree.n1b.path]
    assert list(item.municipalities.all()) == [municipality]
    assert item.summary == "A meeting."
    assert item.url_key == "https://agimi.example/lajme/1"
    assert item.headline_key == "police meet residents"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tone": "angry"}, "Choose the tone toward the police"),
        ({"headline": "   "}, "Give the headline."),
        ({"url": "javascript:alert(1)"}, "The link must be a web address"),
        ({"published_on": timezone.localdate() + timedelta(days=1)}, "The date cannot be in the future."),
        ({"published_on": date(1999, 12, 31)}, "The date is too far in the past."),
        ({"units": []}, "Choose at least one place"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_stored(
    tree, actor_for, outlets, topics, changes, message
):
    actor = actor_for("coordinator_n1")
    with translation.override("en"), pytest.raises(InvalidInput, match=message):
        _log(actor, outlets, topics, **({"units": [tree.n1a]} | changes))
    assert MediaItem.objects.count() == 0
    assert MediaPlace.objects.count() == 0


def test_the_message_is_in_the_readers_language(tree, actor_for, outlets, topics):
    future = timezone.localdate() + timedelta(days=1)
    with translation.override("sq"):
        expected = translation.gettext("The date cannot be in the future.")
        with pytest.raises(InvalidInput) as refused:
            _log(actor_for("coordinator_n1"), outlets, topics, units=[tree.n1a], published_on=future)
    assert expected != "The date cannot be in the future."  # the catalogue has it in Albanian
    assert str(refused.value) == expected


def test_an_outlet_out_of_use_is_refused(tree, actor_for, outlets, topics):
    Outlet.objects.filter(pk=outlets["tv"].pk).update(is_active=False)
    outlets["tv"].refresh_from_db()
    with pytest.raises(InvalidInput, match="no longer in use"):
        _log(actor_for("coordinator_n1"), outlets, topics, [tree.n1a])


def test_the_same_link_or_the_same_headline_on_the_same_day_is_not_logged_twice(
    tree, actor_for, outlets, topics
):
    actor = actor_for("coordinator_n1")
    _log(actor, outlets, topics, [tree.n1a], url="https://agimi.example/a/1")
    with translation.override("en"), pytest.raises(services.DuplicateItem, match="already in the media log"):
        _log(actor, outlets, topics, [tree.n1b], url="http://AGIMI.example/a/1/", headline="Another headline")
    with pytest.raises(services.DuplicateItem):
        _log(actor, outlets, topics, [tree.n1b], headline="  police MEET   residents ")
    assert MediaItem.objects.count() == 1
    # Another outlet, or another day, is another report.
    _log(actor, outlets, topics, [tree.n1a], outlet=outlets["online"], url="https://agimi.example/a/1")
    _log(actor, outlets, topics, [tree.n1a], published_on=date(2025, 4, 3))
    assert MediaItem.objects.count() == 3


def test_nobody_logs_for_a_place_outside_their_own(tree, actor_for, outlets, topics):
    with pytest.raises(Http404):
        _log(actor_for("commander_s1"), outlets, topics, [tree.n1a])
    with pytest.raises(Http404):  # one place of two outside
        _log(actor_for("commander_n1"), outlets, topics, [tree.n1a, tree.s1a])
    with pytest.raises(Http404):  # a sector officer is not among the media roles
        _log(actor_for("officer_n1a"), outlets, topics, [tree.n1a])
    assert MediaItem.objects.count() == 0


def test_links_to_records_the_actor_may_see_are_kept_and_others_refused(tree, actor_for, outlets, topics):
    system = actor_for("admin")
    north = outreach.log_activity(
        system, kind=Kind.MEDIA, happened_on=date(2025, 4, 1), unit=tree.n1, audience=0
    )
    south = outreach.log_activity(
        system, kind=Kind.MEDIA, happened_on=date(2025, 4, 1), unit=tree.s1, audience=0
    )
    actor = actor_for("commander_n1")
    item = _log(actor, outlets, topics, [tree.n1], links=services.Links(activity_ids=[north.pk]))
    assert list(item.activities.values_list("pk", flat=True)) == [north.pk]
    with pytest.raises(InvalidInput, match="linked record"):
        _log(
            actor, outlets, topics, [tree.n1], headline="Other", links=services.Links(activity_ids=[south.pk])
        )
    with pytest.raises(InvalidInput, match="linked record"):
        _log(actor, outlets, topics, [tree.n1], headline="Other", links=services.Links(problem_ids=[999_999]))
    assert MediaItem.objects.count() == 1


def test_the_author_changes_their_report_and_a_duplicate_change_is_refused(tree, actor_for, outlets, topics):
    actor = actor_for("strategy_coordinator")
    first = _log(actor, outlets, topics, [tree.n1a])
    second = _log(actor, outlets, topics, [tree.n1a], headline="Second")
    changed = services.update_item(
        actor,
        item=second,
        published_on=second.published_on,
        outlet=second.outlet,
        headline="Second, corrected",
        topic=topics["crime"],
        tone="negative",
        units=[tree.s1a],
    )
    assert changed.tone == "negative"
    assert list(changed.places.values_list("unit_id", flat=True)) == [tree.s1a.pk]
    with pytest.raises(services.DuplicateItem):
        services.update_item(
            actor,
            item=second,
            published_on=first.published_on,
            outlet=first.outlet,
            headline=first.headline,
            topic=first.topic,
            tone="neutral",
            units=[tree.n1a],
        )
    second.refresh_from_db()
    assert second.headline == "Second, corrected"


def test_someone_elses_report_is_changed_by_a_station_lead_of_its_places(tree, actor_for, outlets, topics):
    item = _log(actor_for("strategy_coordinator"), outlets, topics, [tree.n1a])
    services.update_item(
        actor_for("commander_n1"),
        item=item,
        published_on=item.published_on,
        outlet=item.outlet,
        headline="Corrected by the commander",
        topic=item.topic,
        tone="neutral",
        units=[tree.n1a],
    )
    item.refresh_from_db()
    assert item.headline == "Corrected by the commander"
    services.delete_item(actor_for("commander_n1"), item=item)
    assert not MediaItem.objects.exists()


def test_the_strategy_coordinator_may_not_change_another_persons_report(tree, actor_for, outlets, topics):
    item = _log(actor_for("commander_n1"), outlets, topics, [tree.n1a])
    with pytest.raises(services.NotYourItem):
        services.delete_item(actor_for("strategy_coordinator"), item=item)
    with pytest.raises(Http404):
        services.delete_item(actor_for("commander_s1"), item=item)
    assert MediaItem.objects.count() == 1


def test_outlets_are_added_by_the_directorate_once(tree, actor_for):
    outlet = services.add_outlet(
        actor_for("directorate"), name="Radio Jehona", kind="radio", language="sq", reach=500
    )
    assert outlet.kind == "radio"
    with pytest.raises(services.DuplicateOutlet):
        services.add_outlet(actor_for("directorate"), name="radio jehona", kind="tv", language="sq")
    with pytest.raises(InvalidInput, match="kind of outlet"):
        services.add_outlet(actor_for("directorate"), name="X", kind="blog", language="sq")
    with pytest.raises(PermissionDenied):
        services.add_outlet(actor_for("commander_n1"), name="Y", kind="tv", language="sq")
    assert Outlet.objects.count() == 1
