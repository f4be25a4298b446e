"""The perception-survey demo over the small demo: three waves (the latest open),
every answer fit for its question, drawn from a truth that falls with crime and
rises after a solved problem, biased by non-response so that weighting matters,
and the same for the same seed and day."""

from datetime import date, datetime, time, timedelta

import numpy as np
import pytest
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from cpis.concerns import demo as concerns_demo
from cpis.concerns.categories import seed as seed_concern_categories
from cpis.concerns.models import Category
from cpis.forums import demo as forums_demo
from cpis.incidents import demo as incidents_demo
from cpis.incidents.models import IncidentCategory
from cpis.incidents.taxonomy import seed as seed_taxonomy
from cpis.organisation.demo import load_demo as load_organisation
from cpis.organisation.models import Unit, UnitKind
from cpis.outreach import demo as outreach_demo
from cpis.surveys import demo
from cpis.surveys.models import (
    Channel,
    Dimension,
    Invitation,
    Margin,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseStatus,
    StartPoint,
    TextReview,
    Wave,
    WaveStatus,
    WaveTarget,
)
from cpis.surveys.stats import estimates as est
from cpis.surveys.stats import truth

TODAY = date(2026, 11, 1)
SEED = 7


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demos the surveys read, then the surveys', once for the module (in a
    transaction rolled back at its end: loading takes seconds)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            seed_taxonomy(IncidentCategory)
            seed_concern_categories(Category)
            load_organisation(scale="small", seed=SEED, today=TODAY)
            forums_demo.load_demo(scale="small", seed=SEED, today=TODAY)
            outreach_demo.load_demo(scale="small", seed=SEED, today=TODAY)
            # A year of concerns is what the questionnaire after a concern reads.
            concerns_demo.add_demo_concerns(
                count=1500, start=TODAY - timedelta(days=400), days=400, seed=SEED, today=TODAY
            )
            incidents_demo.load_demo(scale="small", seed=SEED, today=TODAY)
            yield demo.load_demo(scale="small", seed=SEED, today=TODAY)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _waves() -> list[Wave]:
    return list(Wave.objects.order_by("starts_on"))


def test_three_waves_a_year_apart_the_latest_open_with_targets_and_margins(loaded, db):
    waves = _waves()
    assert len(waves) == 3
    assert [w.status for w in waves] == [WaveStatus.CLOSED, WaveStatus.CLOSED, WaveStatus.OPEN]
    latest = waves[-1]
    assert latest.starts_on < TODAY < latest.ends_on
    assert [w.starts_on.year for w in waves] == [TODAY.year - 2, TODAY.year - 1, TODAY.year]
    root = Unit.objects.get(parent__isnull=True)
    sectors = set(Unit.objects.filter(kind=UnitKind.SECTOR).values_list("pk", flat=True))
    for wave in waves:
        assert wave.place == root
        assert wave.version.questionnaire.code == "safety-and-trust"
        targets = dict(WaveTarget.objects.filter(wave=wave).values_list("sector_id", "target"))
        assert set(targets) == sectors
        assert 25 <= np.mean(list(targets.values())) <= 40
        for dimension in Dimension.values:
            shares = Margin.objects.filter(wave=wave, dimension=dimension).values_list("share", flat=True)
            assert sum(shares) == pytest.approx(1.0, abs=1e-9), dimension
        assert Margin.objects.get(wave=wave, dimension="community", category="serb").share > 0.1

        # About the target in most sectors, far fewer in a few (suppressed), none empty.
        counted = Response.objects.counted().filter(wave=wave)
        per_sector = dict(
            counted.values_list("sector_id").annotate(n=Count("id")).values_list("sector_id", "n")
        )
        achieved = np.array([per_sector.get(s, 0) for s in sectors])
        assert (achieved < wave.min_n).sum() >= 2
        assert np.median(achieved) >= (20 if wave == latest else 28)

        # Inside the wave's dates, and nothing in the future.
        first, last = counted.order_by("submitted_at").first(), counted.order_by("submitted_at").last()
        assert timezone.localdate(first.submitted_at) >= wave.starts_on
        assert timezone.localdate(last.submitted_at) <= min(wave.ends_on, TODAY)
    total = Response.objects.filter(wave__isnull=False).count()
    assert 8_000 < total < 14_000
    assert loaded[0].startswith("Surveys: 3 waves")
    # The open wave's interviewers have their start points; closed waves need none.
    drawn = set(StartPoint.objects.filter(wave=latest).values_list("sector_id", flat=True))
    with_boundary = set(
        Unit.objects.filter(kind=UnitKind.SECTOR, boundary__isnull=False).values_list("pk", flat=True)
    )
    assert drawn == with_boundary and with_boundary
    assert not StartPoint.objects.exclude(wave=latest).exists()


def test_the_channels_the_background_and_the_review_queue_look_real(loaded, db):
    responses = Response.objects.filter(wave__isnull=False)
    channels = dict(responses.values_list("channel").annotate(n=Count("id")).values_list("channel", "n"))
    total = sum(channels.values())
    assert channels[Channel.DOOR] > total / 2
    for channel in (Channel.PORTAL, Channel.MEETING, Channel.OUTREACH, Channel.PAPER):
        assert channels.get(channel, 0) > 0, channel
    # Portal answers come from the young.
    portal = responses.filter(channel=Channel.PORTAL).exclude(age_band="")
    door = responses.filter(channel=Channel.DOOR).exclude(age_band="")
    young = {"18-24", "25-34"}
    assert portal.filter(age_band__in=young).count() / portal.count() > 2 * (
        door.filter(age_band__in=young).count() / door.count()
    )
    # Meetings and outreach: the sector's own, during the wave.
    for response in responses.filter(channel=Channel.MEETING).select_related("meeting__forum", "wave")[:50]:
        assert response.meeting.forum.unit_id == response.sector_id
        held_on = timezone.localdate(response.meeting.starts_at)
        assert response.wave.starts_on <= held_on <= response.wave.ends_on
    for response in responses.filter(channel=Channel.OUTREACH).select_related("outreach", "wave")[:50]:
        assert response.outreach.unit_id == response.sector_id
    # Officers enter what they collect; the portal has a device and no officer.
    assert responses.filter(channel=Channel.DOOR, entered_by__isnull=False).exists()
    assert not responses.filter(channel=Channel.PORTAL, entered_by__isnull=False).exists()
    assert not responses.filter(channel=Channel.PORTAL, device="").exists()
    assert not responses.exclude(channel=Channel.PORTAL).exclude(device="").exists()
    # Background left blank now and then.
    blank = responses.filter(community="").count() + responses.filter(gender="", community__gt="").count()
    assert 0.04 < blank / total < 0.12
    assert not responses.filter(municipality__isnull=True).exists()
    # A handful held for review in the open wave (the same device twice), the
    # closed waves' reviewed and not counted.
    latest = _waves()[-1]
    held = Response.objects.filter(status=ResponseStatus.HELD)
    assert 1 <= held.count() <= 10
    assert set(held.values_list("wave", flat=True)) == {latest.pk}
    for response in held:
        assert response.held_reason == "device"
        assert Response.objects.filter(
            wave=latest, device=response.device, status=ResponseStatus.ACCEPTED
        ).exists()
    rejected = Response.objects.filter(status=ResponseStatus.REJECTED)
    assert rejected.exists() and not rejected.filter(reviewed_at__isnull=True).exists()
    # Free text: reviewed in the closed waves (some withheld), waiting in the open one.
    texts = responses.exclude(text_review=TextReview.NONE)
    assert texts.filter(text_review=TextReview.PENDING, wave=latest).exists()
    assert not texts.filter(text_review=TextReview.PENDING).exclude(wave=latest).exists()
    assert texts.filter(text_review=TextReview.WITHHELD).exists()
    languages = set(texts.values_list("language", flat=True))
    assert {"sq", "sr"} <= languages
    assert all(k.startswith("demo:") for k in Response.objects.values_list("idempotency_key", flat=True))


def _fits(question: Question, value: object, options: set[str]) -> bool:
    kind = question.kind
    if kind == QuestionKind.AGREE5:
        return type(value) is int and 1 <= value <= 5
    if kind == QuestionKind.SCORE10:
        return type(value) is int and 0 <= value <= 10
    if kind == QuestionKind.YESNO:
        return value in (0, 1) and type(value) is int
    if kind == QuestionKind.SINGLE:
        return value in options
    if kind == QuestionKind.MULTIPLE:
        return isinstance(value, list) and set(value) <= options
    return isinstance(value, str) and 0 < len(value) <= 500


def test_every_answer_fits_its_question(loaded, db):
    questions: dict[int, dict[str, tuple[Question, set[str]]]] = {}
    for question in Question.objects.prefetch_related("options"):
        questions.setdefault(question.version_id, {})[question.code] = (
            question,
            {o.code for o in question.options.all()},
        )
    checked = 0
    for version_id, answers in Response.objects.values_list("version_id", "answers"):
        asked = questions[version_id]
        assert set(answers) <= set(asked), answers
        for code, value in answers.items():
            question, options = asked[code]
            assert _fits(question, value, options), (code, value)
        for code, (question, _options) in asked.items():
            assert not question.required or code in answers, code
        checked += 1
    assert checked == Response.objects.count()


def test_satisfaction_after_a_concern_answers_invitations_of_closed_concerns(loaded, db):
    after = Response.objects.filter(channel=Channel.AFTER_CONCERN)
    assert 30 <= after.count() <= 100
    assert not after.filter(wave__isnull=False).exists()
    assert set(after.values_list("version__questionnaire__code", flat=True)) == {"after-concern"}
    invitations = Invitation.objects.select_related("concern", "response")
    assert invitations.count() == demo.INVITATIONS["small"]
    for invitation in invitations:
        concern = invitation.concern
        assert concern.closed_at is not None and concern.closed_at <= invitation.sent_at
        assert concern.reporter_email or concern.reporter_phone
        assert len(invitation.token_hash) == 64
        if invitation.response is not None:
            assert invitation.response.channel == Channel.AFTER_CONCERN
            assert invitation.sent_at <= invitation.response.submitted_at <= invitation.expires_at
            assert invitation.response.sector_id == concern.sector_id
    assert invitations.filter(response__isnull=False).count() == after.count()


def test_the_truth_falls_with_crime_and_rises_after_a_planted_problem_is_solved(loaded, db):
    waves = _waves()
    truths = [demo.wave_truth(w) for w in waves]
    for result in truths:
        # Across sectors of one community mix, crime and confidence go opposite ways.
        albanian = result.compositions[:, truth.CELL_COMMUNITY == 0].sum(axis=1) > 0.9
        r = np.corrcoef(result.crime[albanian], result.values["confidence"][albanian])[0, 1]
        assert r < -0.3
        assert np.corrcoef(result.crime, result.values["safe_dark"])[0, 1] < -0.5
    # The planted falls (incidents demo) were responded to within the last year and a
    # half: none before the first wave, all felt by the last.
    assert not truths[0].exposure.any()
    exposed = np.flatnonzero(truths[2].exposure > 0.3)
    assert len(exposed) >= 1
    typical = np.median(truths[2].values["confidence"] - truths[1].values["confidence"])
    for i in exposed:
        before = 0 if truths[1].exposure[i] == 0 else 1
        rise = truths[2].values["confidence"][i] - truths[before].values["confidence"][i]
        assert rise > typical + 0.03, truths[2].sector_ids[i]


def test_demo_truth_gives_every_sector_and_item_and_the_places(loaded, db):
    wave = _waves()[1]
    by_sector = demo.demo_truth(wave)
    sectors = set(Unit.objects.filter(kind=UnitKind.SECTOR).values_list("pk", flat=True))
    assert {s for s, _k in by_sector} == sectors
    assert {k for _s, k in by_sector} == set(truth.ITEM_KEYS)
    assert all(0 <= v <= 1 for (_s, k), v in by_sector.items() if k != "safety_score")
    country = demo.demo_place_truth(wave)
    region = Unit.objects.get(kind=UnitKind.REGION, code="mv")
    north = demo.demo_place_truth(wave, region)
    assert north["confidence"] < country["confidence"] - 0.1  # the Serb-majority north
    population = dict(Unit.objects.filter(kind=UnitKind.SECTOR).values_list("pk", "population"))
    total = sum(population.values())
    assert country["confidence"] == pytest.approx(
        sum(population[s] * by_sector[(s, "confidence")] for s in sectors) / total
    )
    serb = demo.demo_place_truth(wave, dimension="community", category="serb")
    albanian = demo.demo_place_truth(wave, dimension="community", category="albanian")
    assert serb["confidence"] < albanian["confidence"] - 0.2
    # Computed again from the wave: the demo's day is found from its newest wave.
    assert demo._demo_waves(wave)[-1].starts_on + timedelta(days=demo.OPEN_SINCE_DAYS) == TODAY


def _weighted_errors(wave: Wave) -> dict[str, tuple[float, float]]:
    """(unweighted − truth, weighted − truth) of the country's share agreeing, from
    the respondents who gave their whole background: post-stratified to the sectors'
    adults, then raked to the wave's margins (communities with few respondents
    merged into "other")."""
    result = demo.wave_truth(wave)
    country = result.place()
    rows = list(
        Response.objects.counted()
        .filter(wave=wave)
        .exclude(community="")
        .exclude(gender="")
        .exclude(age_band="")
        .values_list("sector_id", "community", "gender", "age_band", "answers")
    )
    position = {s: i for i, s in enumerate(result.sector_ids)}
    sector = np.array([position[row[0]] for row in rows])
    sampled = {int(s): float(result.adults[s]) for s in np.unique(sector)}
    weights = est.poststratify(sector, sampled)
    total = sum(sampled.values())
    margins = [(sector, sampled)]
    shares: dict[str, dict[str, float]] = {}
    for dimension, category, share in Margin.objects.filter(wave=wave).values_list(
        "dimension", "category", "share"
    ):
        shares.setdefault(dimension, {})[category] = share
    for column, dimension in ((1, "community"), (2, "gender"), (3, "age_band")):
        said = [row[column] for row in rows]
        few = {c for c in shares[dimension] if said.count(c) < 30}
        merged: dict[str, float] = {}
        for category, share in shares[dimension].items():
            key = "other" if category in few else category
            merged[key] = merged.get(key, 0.0) + share
        codes = {c: i for i, c in enumerate(sorted(merged))}
        margins.append(
            (
                np.array([codes["other" if c in few else c] for c in said]),
                {codes[c]: share * total for c, share in merged.items()},
            )
        )
    raked = est.rake(margins, weights)
    out = {}
    for item in ("confidence", "safe_dark"):
        answer = np.array([row[4].get(item, 0) for row in rows])
        answered = answer > 0
        agree = answer[answered] >= 4
        out[item] = (
            est.proportion(agree).estimate - country[item],
            est.proportion(agree, raked[answered]).estimate - country[item],
        )
    return out


def test_weighting_takes_away_most_of_the_non_response_bias(loaded, db):
    """Unweighted, the country's confidence and safety after dark are visibly
    below the truth (the small Serb-majority sectors weigh as much as the city's,
    women answer more and feel less safe after dark); weighted, most of it goes.
    Averaged over the three waves, so that one wave's sampling error does not decide."""
    errors = [_weighted_errors(w) for w in _waves()]
    unweighted = {item: np.mean([e[item][0] for e in errors]) for item in ("confidence", "safe_dark")}
    weighted = {item: np.mean([e[item][1] for e in errors]) for item in ("confidence", "safe_dark")}
    assert unweighted["confidence"] < -0.015
    assert unweighted["safe_dark"] < -0.04
    for item in unweighted:
        assert abs(weighted[item]) < abs(unweighted[item]), item
    assert sum(abs(v) for v in weighted.values()) < 0.5 * sum(abs(v) for v in unweighted.values())


def _fingerprint() -> list[str]:
    return sorted(
        str(row)
        for row in Response.objects.values_list(
            "wave__starts_on",
            "sector__path",
            "channel",
            "community",
            "gender",
            "age_band",
            "language",
            "status",
            "text_review",
            "submitted_at",
            "answers",
        )
    )


def test_the_same_seed_and_day_give_the_same_demo_and_it_clears(loaded, db):
    before = _fingerprint()
    shipped = set(Questionnaire.objects.values_list("code", flat=True))
    demo.clear_demo()
    assert not Response.objects.exists()
    assert not Wave.objects.exists()
    assert not Invitation.objects.exists()
    assert set(Questionnaire.objects.values_list("code", flat=True)) == shipped
    again = demo.load_demo(scale="small", seed=SEED, today=TODAY)
    assert again == loaded
    assert _fingerprint() == before
    # Nothing was answered after the demo's day began.
    began = timezone.make_aware(datetime.combine(TODAY, time()))
    assert not Response.objects.filter(submitted_at__gt=began).exists()
