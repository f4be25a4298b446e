"""The demo's known truth: the population it describes, how the sectors' levels
move with crime and solved problems, the groups' leanings, and a sample drawn
with its non-response — biased unweighted, put right by weighting."""

import numpy as np
import pytest

from cpis.surveys.stats import estimates as est
from cpis.surveys.stats import truth as t

COMMUNITY = {name: i for i, name in enumerate(t.COMMUNITIES)}


def _community_shares(cells: np.ndarray) -> dict[str, float]:
    totals = np.bincount(t.CELL_COMMUNITY, weights=cells, minlength=len(t.COMMUNITIES))
    return {name: float(totals[i]) for i, name in enumerate(t.COMMUNITIES)}


def _world(n: int = 40, seed: int = 3):
    """Sectors in a few municipalities, with their compositions and effects."""
    municipalities = ["prishtine", "gracanice", "prizren", "leposaviq", "podujeve"]
    keys = [f"kp/r/{municipalities[i % 5]}/s{i}/" for i in range(n)]
    stations = ["/".join(k.split("/")[:3]) + "/" for k in keys]
    compositions = np.array(
        [t.composition(municipalities[i % 5], seed=seed, key=k) for i, k in enumerate(keys)]
    )
    effects = t.place_effects(stations, keys, seed=seed)
    return keys, compositions, effects


def test_every_municipal_mix_sums_to_one_and_the_communities_live_where_they_do():
    for code, mix in t.MUNICIPAL_COMMUNITIES.items():
        assert sum(mix.values()) == pytest.approx(1.0, abs=1e-9), code
        assert set(mix) <= set(t.COMMUNITIES), code
    assert t.community_shares("leposaviq")[COMMUNITY["serb"]] > 0.9
    assert t.community_shares("mamushe")[COMMUNITY["turkish"]] > 0.9
    assert t.community_shares("dragash")[COMMUNITY["gorani"]] > 0.2
    assert t.community_shares("prizren")[COMMUNITY["bosniak"]] > 0.05
    assert 0.3 < t.community_shares("novoberde")[COMMUNITY["serb"]] < 0.5  # mixed
    # A municipality with no row of its own is almost all Albanian.
    assert t.community_shares("malisheve")[COMMUNITY["albanian"]] > 0.98


def test_a_sectors_composition_is_its_municipalitys_perturbed_and_reproducible():
    a = t.composition("gracanice", seed=1, key="kp/pr/gracanice/g1/")
    assert a.sum() == pytest.approx(1.0)
    assert (a >= 0).all()
    assert np.array_equal(a, t.composition("gracanice", seed=1, key="kp/pr/gracanice/g1/"))
    b = t.composition("gracanice", seed=1, key="kp/pr/gracanice/g2/")
    assert not np.allclose(a, b)  # sectors differ
    serb = [_community_shares(t.composition("gracanice", seed=1, key=f"k{i}"))["serb"] for i in range(200)]
    assert np.mean(serb) == pytest.approx(0.68, abs=0.05)
    # No community the municipality lacks.
    assert _community_shares(a)["turkish"] == 0.0


def test_the_margins_are_the_populations_shares_and_each_sums_to_one():
    _keys, compositions, _effects = _world()
    adults = np.linspace(1000, 40_000, len(compositions))
    margins = t.margins(compositions, adults)
    for dimension in ("community", "gender", "age_band"):
        assert sum(margins[dimension].values()) == pytest.approx(1.0)
    assert 0.49 < margins["gender"]["female"] < 0.52
    assert margins["age_band"]["25-34"] > margins["age_band"]["65+"]
    # The community margin is the adults' own mix.
    expected = (
        sum(a * _community_shares(c)["serb"] for a, c in zip(adults, compositions, strict=True))
        / adults.sum()
    )
    assert margins["community"]["serb"] == pytest.approx(expected)
    # Serbs are older than the Roma.
    serb = compositions[0].reshape(9, 2, 6)[COMMUNITY["serb"]].sum(axis=0)
    assert serb[5] / serb.sum() > t.AGE_STRUCTURE[5]


def test_a_population_value_is_the_compositions_sum_of_the_cells_values():
    keys, compositions, effects = _world(6)
    crime = np.zeros(6)
    latent = t.levels(effects, crime=crime, exposure=np.zeros(6), wave=0, seed=3, keys=keys)
    model = t.cell_model(latent, crime=crime, issue=effects.issue)
    values = t.population_truth(model, compositions)
    assert set(values) == set(t.ITEM_KEYS)
    for item, p in model.agree.items():
        assert np.allclose(p.sum(axis=2), 1.0), item
        assert (p >= 0).all()
        by_hand = sum(compositions[2, c] * (p[2, c, 3] + p[2, c, 4]) for c in range(len(t.CELLS)))
        assert values[item][2] == pytest.approx(by_hand)
    assert np.allclose(model.issue.sum(axis=2), 1.0)
    issues = sum(values[f"top_issue:{o}"] for o in t.TOP_ISSUES)
    assert np.allclose(issues, 1.0)
    assert ((values["safety_score"] > 0) & (values["safety_score"] < 10)).all()
    # Agreeing is σ(η) at the cut point θ₄ = 0: a cell at η = 0 agrees half the time.
    flat = t.cell_model(np.full((1, 3), -10.0), crime=np.zeros(1), issue=np.zeros((1, 8)))
    assert flat.values()["confidence"].max() < 0.01


def test_a_groups_truth_is_its_cells_and_the_groups_make_up_the_whole():
    keys, compositions, effects = _world(10)
    crime = np.zeros(10)
    model = t.cell_model(
        t.levels(effects, crime=crime, exposure=crime, wave=0, seed=3, keys=keys),
        crime=crime,
        issue=effects.issue,
    )
    adults = np.linspace(500, 9000, 10)
    whole = t.place_truth(t.population_truth(model, compositions), adults)
    women = t.group_truth(model, compositions, adults, dimension="gender", category="female")
    men = t.group_truth(model, compositions, adults, dimension="gender", category="male")
    share = t.margins(compositions, adults)["gender"]["female"]
    for key in t.ITEM_KEYS:
        assert whole[key] == pytest.approx(share * women[key] + (1 - share) * men[key]), key
    assert women["safe_dark"] < men["safe_dark"] - 0.1
    serb = t.group_truth(model, compositions, adults, dimension="community", category="serb")
    albanian = t.group_truth(model, compositions, adults, dimension="community", category="albanian")
    assert serb["confidence"] < albanian["confidence"] - 0.2
    nobody = t.group_truth(model, compositions, adults, dimension="community", category="turkish",
                           among=np.arange(10) % 5 == 3)  # fmt: skip
    assert np.isnan(nobody["confidence"])


def test_trust_and_safety_fall_with_crime_and_rise_after_a_solved_problem():
    keys, compositions, effects = _world(10)
    zero = np.zeros(10)

    def value(item, crime, exposure):
        latent = t.levels(effects, crime=crime, exposure=exposure, wave=1, seed=3, keys=keys)
        model = t.cell_model(latent, crime=crime, issue=effects.issue)
        return t.population_truth(model, compositions)[item]

    for item in ("confidence", "rely", "safe_dark", "safety_score"):
        assert (value(item, zero + 1.5, zero) < value(item, zero, zero)).all(), item
        assert (value(item, zero, zero + 0.65) > value(item, zero, zero)).all(), item
    # A fall of 65 % felt in full lifts confidence by several points.
    rise = value("confidence", zero, zero + 0.65) - value("confidence", zero, zero)
    assert rise.min() > 0.04


def test_a_solved_problem_is_felt_gradually_after_its_response_began():
    response = 700_000
    assert t.solved_exposure([(response, 0.65)], response - 10) == 0.0
    halfway = t.solved_exposure([(response, 0.65)], response + t.RAMP_DAYS // 2)
    assert halfway == pytest.approx(0.325, abs=0.01)
    assert t.solved_exposure([(response, 0.65)], response + 400) == pytest.approx(0.65)
    assert t.solved_exposure([(response, 0.65), (response, 0.065)], response + 400) == pytest.approx(0.715)


def test_the_groups_lean_as_the_model_says():
    model = t.cell_model(np.zeros((1, 3)), crime=np.zeros(1), issue=np.zeros((1, 8)))
    values = {k: v[0] for k, v in model.values().items()}

    def cell(community, gender, age):
        return t.CELLS.index((community, gender, age))

    confidence, dark = values["confidence"], values["safe_dark"]
    assert confidence[cell("serb", "male", "45-54")] < confidence[cell("albanian", "male", "45-54")] - 0.2
    assert confidence[cell("roma", "male", "45-54")] < confidence[cell("albanian", "male", "45-54")]
    assert confidence[cell("albanian", "female", "65+")] > confidence[cell("albanian", "female", "18-24")]
    assert dark[cell("albanian", "female", "35-44")] < dark[cell("albanian", "male", "35-44")] - 0.2
    assert dark[cell("albanian", "female", "65+")] < dark[cell("albanian", "female", "18-24")]
    issue = model.issue[0]
    women, men = cell("albanian", "female", "35-44"), cell("albanian", "male", "35-44")
    dv = t.TOP_ISSUES.index("domestic_violence")
    assert issue[women, dv] > issue[men, dv]


def test_place_effects_depend_on_the_key_not_on_the_other_sectors():
    one = t.place_effects(["kp/a/"], ["kp/a/s1/"], seed=5)
    two = t.place_effects(["kp/b/", "kp/a/"], ["kp/b/s9/", "kp/a/s1/"], seed=5)
    assert np.array_equal(one.levels[0], two.levels[1])
    assert np.array_equal(one.issue[0], two.issue[1])
    assert not np.array_equal(one.levels[0], t.place_effects(["kp/a/"], ["kp/a/s1/"], seed=6).levels[0])


def test_crime_scores_are_standardised_log_rates():
    z = t.crime_scores([10, 100, 1000], [1000, 1000, 1000])
    assert z.mean() == pytest.approx(0.0, abs=1e-12)
    assert z.std() == pytest.approx(1.0)
    assert z[0] < z[1] < z[2]
    assert np.array_equal(t.crime_scores([5, 5], [1000, 1000]), np.zeros(2))


def test_respondents_follow_the_population_times_the_propensity():
    composition = t.composition("gracanice", seed=2, key="x")[None, :]
    rng = np.random.default_rng(4)
    cells = t.respondents(composition, np.zeros(200_000, dtype=np.int64), rng)
    got = np.bincount(cells, minlength=len(t.CELLS)) / len(cells)
    expected = composition[0] * t.PROPENSITY / (composition[0] * t.PROPENSITY).sum()
    assert np.abs(got - expected).max() < 0.003
    young_men = [t.CELLS.index((c, "male", "18-24")) for c in t.COMMUNITIES]
    assert got[young_men].sum() < composition[0, young_men].sum() * 0.6
    serbs = np.equal(t.CELL_COMMUNITY, t.COMMUNITIES.index("serb"))
    assert got[serbs].sum() < composition[0, serbs].sum()


def test_answers_are_drawn_from_the_cells_distributions():
    keys, _compositions, effects = _world(3)
    crime = np.zeros(3)
    model = t.cell_model(
        t.levels(effects, crime=crime, exposure=np.zeros(3), wave=0, seed=3, keys=keys),
        crime=crime,
        issue=effects.issue,
    )
    rng = np.random.default_rng(8)
    n = 60_000
    sector = np.zeros(n, dtype=np.int64)
    cell = np.full(n, t.CELLS.index(("serb", "female", "55-64")))
    answers = t.draw_answers(model, sector, cell, rng)
    values = model.values()
    assert set(np.unique(answers["confidence"])) <= {1, 2, 3, 4, 5}
    assert np.mean(answers["confidence"] >= 4) == pytest.approx(values["confidence"][0, cell[0]], abs=0.01)
    assert set(np.unique(answers["safety_score"])) <= set(range(11))
    assert np.mean(answers["safety_score"]) == pytest.approx(values["safety_score"][0, cell[0]], abs=0.05)
    assert np.mean(answers["know_officer"]) == pytest.approx(values["know_officer"][0, cell[0]], abs=0.01)
    shares = np.bincount(answers["top_issue"], minlength=8) / n
    assert np.allclose(shares, model.issue[0, cell[0]], atol=0.01)


def test_an_unweighted_sample_is_biased_and_weighting_puts_it_right():
    """One sector's adults, 20,000 respondents drawn with the non-response: the
    unweighted shares are off; post-stratified to the cells they are on the truth;
    raked to the three margins most of the bias goes."""
    composition = t.composition("gracanice", seed=9, key="kp/pr/gracanice/g1/")[None, :]
    model = t.cell_model(np.zeros((1, 3)), crime=np.zeros(1), issue=np.zeros((1, 8)))
    truth = {k: float(v[0]) for k, v in t.population_truth(model, composition).items()}
    rng = np.random.default_rng(21)
    n = 20_000
    sector = np.zeros(n, dtype=np.int64)
    cell = t.respondents(composition, sector, rng)
    answers = t.draw_answers(model, sector, cell, rng)
    population = {c: float(composition[0, c]) * 10_000 for c in range(len(t.CELLS)) if composition[0, c] > 0}
    post = est.poststratify(cell, {c: population[c] for c in np.unique(cell).tolist()})
    margins = []
    for index, count in ((t.CELL_COMMUNITY, len(t.COMMUNITIES)), (t.CELL_GENDER, 2), (t.CELL_AGE, 6)):
        totals = np.bincount(index, weights=composition[0] * 10_000, minlength=count)
        present = set(index[cell].tolist())
        margins.append((index[cell], {k: float(totals[k]) for k in range(count) if k in present}))
    raked = est.rake(margins)
    for item in ("confidence", "safe_dark"):
        y = answers[item] >= 4
        unweighted = est.proportion(y).estimate - truth[item]
        assert abs(unweighted) > 0.02, item  # about six standard errors
        assert abs(est.proportion(y, post).estimate - truth[item]) < 0.015, item
        assert abs(est.proportion(y, raked).estimate - truth[item]) < abs(unweighted) / 2, item
