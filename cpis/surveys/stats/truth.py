"""A known truth for the perception-survey demo (issue #14, item 8): what every
sector's adult population would answer to the safety-and-trust questionnaire, from
which the demo draws its respondents, so that an estimate can be checked against
the figure it estimates. Plain NumPy, no Django: the demo (cpis/surveys/demo.py)
gathers the covariates from the loaded demo and passes them in.

The model, on the logit scale:

* Each sector has three latent levels per wave — trust in the police, safety, and
  contact with its officers:
  level = station effect + sector effect (both seeded, fixed over the waves)
          + a small drift per wave − β·(the sector's crime rate, standardised)
          + δ·(exposure to solved problems).
  The exposure is the sum, over the problems solved in the sector before the wave
  began, of the problem's net effect on crime (the share of the stream that fell and
  was not moved next door), ramping up over the six months after the response began:
  people notice a fall in crime gradually, and keep noticing it.
* Each sector's adults fall into cells of community × gender × age band, with the
  composition of its municipality (perturbed per sector: minorities live together),
  the national age structure (younger among the Roma, Ashkali and Egyptians, older
  among the Serbs) and more women among the old.
* A cell's answers shift from the sector's level by the cell's effects: Serbs and
  Roma trust the police less on average and Albanians more; older people more than
  the young; women feel less safe after dark, and the old less safe than the young.
* An agreement item (1–5) is an ordered logit with common cut points: P(answer ≥ k)
  = σ(η − θ_k), θ₄ = 0, so the share agreeing (4 or 5) is σ(η). The 0–10 score is
  beta-binomial with mean 10·σ(η); yes/no is Bernoulli σ(η); the top issue a
  multinomial logit.

A sector's population value of an item is Σ_cells composition × the cell's value; a
wider place's is the sectors' values weighted by their adults. Non-response
(`PROPENSITY`) differs by cell — young men answer least, older women most, and the
Serb and Roma communities are under-covered — so an unweighted sample is biased and
weighting to the population removes most of it."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

COMMUNITIES = ("albanian", "serb", "turkish", "bosniak", "roma", "ashkali", "egyptian", "gorani", "other")
GENDERS = ("female", "male")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
# Cells community-major: cell = (community · 2 + gender) · 6 + age band.
CELLS: tuple[tuple[str, str, str], ...] = tuple(
    (c, g, a) for c in COMMUNITIES for g in GENDERS for a in AGE_BANDS
)
CELL_COMMUNITY = np.repeat(np.arange(len(COMMUNITIES)), len(GENDERS) * len(AGE_BANDS))
CELL_GENDER = np.tile(np.repeat(np.arange(len(GENDERS)), len(AGE_BANDS)), len(COMMUNITIES))
CELL_AGE = np.tile(np.arange(len(AGE_BANDS)), len(COMMUNITIES) * len(GENDERS))

AGREE_ITEMS = ("safe_dark", "rely", "fair", "listen", "confidence")
SCORE_ITEMS = ("safety_score",)
YESNO_ITEMS = ("know_officer", "forum_aware")
TOP_ISSUES = ("traffic", "drugs", "theft", "public_order", "domestic_violence", "youth", "weapons", "other")
ISSUE_ITEM = "top_issue"
# The keys of a population truth: an item's code, or "top_issue:<option>" for an
# option of the choice item (the results engine's keys).
ITEM_KEYS = (
    *AGREE_ITEMS,
    *SCORE_ITEMS,
    *YESNO_ITEMS,
    *(f"{ISSUE_ITEM}:{option}" for option in TOP_ISSUES),
)

# Adults (18+) as a share of a sector's population; the same everywhere, so that
# weighting sectors by their population is weighting them by their adults.
ADULT_SHARE = 0.68

# --- the population -------------------------------------------------------------------

# Adult population by community where it is not almost all Albanian, by municipality
# code (the organisation demo's): the 2011 census and the OSCE municipal profiles,
# rounded, with estimates for the northern municipalities and Štrpce, which the census
# did not fully count. Each row sums to 1.
MUNICIPAL_COMMUNITIES: dict[str, dict[str, float]] = {
    "prishtine": {"albanian": 0.975, "turkish": 0.008, "bosniak": 0.004, "serb": 0.003, "roma": 0.003,
                  "ashkali": 0.003, "other": 0.004},
    "obiliq": {"albanian": 0.90, "serb": 0.045, "ashkali": 0.025, "roma": 0.02, "other": 0.01},
    "fushe-kosove": {"albanian": 0.92, "ashkali": 0.045, "serb": 0.01, "roma": 0.01, "egyptian": 0.005,
                     "other": 0.01},
    "lipjan": {"albanian": 0.945, "serb": 0.02, "ashkali": 0.02, "roma": 0.005, "other": 0.01},
    "gracanice": {"serb": 0.68, "albanian": 0.24, "roma": 0.06, "other": 0.02},
    "novoberde": {"albanian": 0.61, "serb": 0.38, "roma": 0.005, "other": 0.005},
    "mitrovice-e-jugut": {"albanian": 0.96, "ashkali": 0.012, "roma": 0.008, "bosniak": 0.006,
                          "turkish": 0.006, "other": 0.008},
    "vushtrri": {"albanian": 0.975, "ashkali": 0.01, "serb": 0.008, "roma": 0.005, "other": 0.002},
    "mitrovice-e-veriut": {"serb": 0.78, "albanian": 0.15, "bosniak": 0.04, "roma": 0.015, "gorani": 0.005,
                           "turkish": 0.005, "other": 0.005},
    "zvecan": {"serb": 0.92, "albanian": 0.05, "bosniak": 0.01, "roma": 0.01, "other": 0.01},
    "zubin-potok": {"serb": 0.93, "albanian": 0.06, "other": 0.01},
    "leposaviq": {"serb": 0.96, "albanian": 0.03, "bosniak": 0.005, "other": 0.005},
    "peje": {"albanian": 0.91, "bosniak": 0.035, "egyptian": 0.03, "roma": 0.01, "ashkali": 0.005,
             "serb": 0.005, "other": 0.005},
    "istog": {"albanian": 0.905, "bosniak": 0.04, "serb": 0.015, "egyptian": 0.015, "roma": 0.015,
              "other": 0.01},
    "kline": {"albanian": 0.95, "egyptian": 0.025, "roma": 0.01, "serb": 0.005, "ashkali": 0.005,
              "other": 0.005},
    "decan": {"albanian": 0.98, "egyptian": 0.015, "other": 0.005},
    "gjakove": {"albanian": 0.925, "egyptian": 0.05, "roma": 0.01, "ashkali": 0.005, "other": 0.01},
    "rahovec": {"albanian": 0.975, "ashkali": 0.01, "egyptian": 0.005, "roma": 0.005, "serb": 0.005},
    "prizren": {"albanian": 0.82, "bosniak": 0.09, "turkish": 0.05, "roma": 0.015, "ashkali": 0.01,
                "gorani": 0.005, "other": 0.01},
    "suhareke": {"albanian": 0.99, "ashkali": 0.008, "other": 0.002},
    "dragash": {"albanian": 0.60, "gorani": 0.28, "bosniak": 0.11, "other": 0.01},
    "mamushe": {"turkish": 0.93, "albanian": 0.05, "roma": 0.01, "ashkali": 0.01},
    "gjilan": {"albanian": 0.965, "serb": 0.012, "turkish": 0.01, "roma": 0.008, "other": 0.005},
    "kamenice": {"albanian": 0.93, "serb": 0.05, "roma": 0.015, "other": 0.005},
    "viti": {"albanian": 0.985, "serb": 0.005, "other": 0.01},
    "kllokot": {"serb": 0.55, "albanian": 0.43, "roma": 0.02},
    "ranillug": {"serb": 0.95, "albanian": 0.04, "other": 0.01},
    "partesh": {"serb": 0.99, "albanian": 0.005, "roma": 0.005},
    "ferizaj": {"albanian": 0.97, "ashkali": 0.022, "roma": 0.003, "turkish": 0.002, "bosniak": 0.002,
                "other": 0.001},
    "shtime": {"albanian": 0.975, "ashkali": 0.02, "other": 0.005},
    "shterpce": {"serb": 0.55, "albanian": 0.44, "other": 0.01},
}  # fmt: skip
ALBANIAN_MAJORITY = {"albanian": 0.99, "ashkali": 0.004, "roma": 0.003, "other": 0.003}
# How far a sector's mix strays from its municipality's (Dirichlet concentration).
COMPOSITION_CONCENTRATION = 25.0

# Adults by age band (Kosovo, 18+), women's share in each, and each community's tilt.
AGE_STRUCTURE = np.array([0.16, 0.21, 0.18, 0.16, 0.14, 0.15])
FEMALE_SHARE = np.array([0.48, 0.49, 0.50, 0.50, 0.51, 0.55])
YOUNGER = np.array([1.4, 1.3, 1.1, 0.9, 0.7, 0.5])
OLDER = np.array([0.8, 0.85, 0.95, 1.0, 1.2, 1.35])
AGE_TILT = {"serb": OLDER, "roma": YOUNGER, "ashkali": YOUNGER, "egyptian": YOUNGER}


def community_shares(municipality: str) -> Array:
    """The municipality's adults by community, in COMMUNITIES order."""
    given = MUNICIPAL_COMMUNITIES.get(municipality, ALBANIAN_MAJORITY)
    shares = np.array([given.get(c, 0.0) for c in COMMUNITIES])
    return shares / shares.sum()


def _key_seed(seed: int, key: str) -> list[int]:
    """A generator seed for one named thing (a sector's path, a station's), so that
    its draws do not depend on which other things are loaded."""
    return [seed, zlib.crc32(key.encode())]


def composition(municipality: str, *, seed: int, key: str) -> Array:
    """A sector's adults by cell (shares summing to 1): its municipality's
    communities, perturbed for the sector (`key`, e.g. its path), each community's
    age structure and women's share by age."""
    rng = np.random.default_rng(_key_seed(seed, "composition:" + key))
    base = community_shares(municipality)
    present = base > 0
    communities = np.zeros(len(COMMUNITIES))
    communities[present] = rng.dirichlet(base[present] * COMPOSITION_CONCENTRATION)
    # A floor so that a sector keeps every community of its municipality.
    communities = np.where(present, np.maximum(communities, base * 0.1), 0.0)
    communities /= communities.sum()
    out = np.zeros(len(CELLS))
    for c, community in enumerate(COMMUNITIES):
        ages = AGE_STRUCTURE * AGE_TILT.get(community, 1.0)
        ages = ages / ages.sum()
        for g in range(len(GENDERS)):
            sex = FEMALE_SHARE if g == 0 else 1 - FEMALE_SHARE
            cells = (c * len(GENDERS) + g) * len(AGE_BANDS) + np.arange(len(AGE_BANDS))
            out[cells] = communities[c] * ages * sex
    return out / out.sum()


def margins(compositions: Array, adults: Array) -> dict[str, dict[str, float]]:
    """The population's shares by community, gender and age band (each summing to 1)
    over sectors with these compositions (sectors × cells) and adults."""
    cells = (compositions * np.asarray(adults, dtype=float)[:, None]).sum(axis=0)
    cells = cells / cells.sum()
    out: dict[str, dict[str, float]] = {}
    for dimension, index, names in (
        ("community", CELL_COMMUNITY, COMMUNITIES),
        ("gender", CELL_GENDER, GENDERS),
        ("age_band", CELL_AGE, AGE_BANDS),
    ):
        totals = np.bincount(index, weights=cells, minlength=len(names))
        out[dimension] = {name: float(totals[i]) for i, name in enumerate(names)}
    return out


# --- the latent levels ------------------------------------------------------------------

# Spread of the seeded effects: trust, safety, contact (station, sector).
STATION_SD = np.array([0.25, 0.2, 0.3])
SECTOR_SD = np.array([0.25, 0.25, 0.4])
CORRELATION = 0.5  # between a place's trust and safety effects
DRIFT_SD = 0.06  # a sector's change from wave to wave, beyond its covariates
TREND = np.array([0.05, 0.02, 0.03])  # national change per wave
BETA = np.array([0.3, 0.45, 0.0])  # per standard deviation of the crime rate
DELTA = np.array([0.9, 1.0, 0.3])  # per unit of exposure to solved problems
RAMP_DAYS = 182  # how long a fall in crime takes to be felt in full
ISSUE_SD = 0.3  # a sector's own tilt of the top issues


@dataclass(frozen=True)
class Effects:
    """Seeded place effects: `levels` (sectors × 3: trust, safety, contact) and the
    sectors' tilt of the top issues (sectors × options)."""

    levels: Array
    issue: Array


def place_effects(stations: Sequence[str], sectors: Sequence[str], *, seed: int) -> Effects:
    """Station + sector effects for sectors with these keys (e.g. paths), each
    sector's in the station named beside it. Deterministic per key and seed."""
    chol = np.linalg.cholesky(np.array([[1, CORRELATION, 0], [CORRELATION, 1, 0], [0, 0, 1]]))
    levels = np.zeros((len(sectors), 3))
    issue = np.zeros((len(sectors), len(TOP_ISSUES)))
    for i, (station, sector) in enumerate(zip(stations, sectors, strict=True)):
        at_station = np.random.default_rng(_key_seed(seed, "station:" + station))
        at_sector = np.random.default_rng(_key_seed(seed, "sector:" + sector))
        levels[i] = (
            chol @ at_station.normal(size=3) * STATION_SD + chol @ at_sector.normal(size=3) * SECTOR_SD
        )
        issue[i] = at_sector.normal(0.0, ISSUE_SD, len(TOP_ISSUES))
    return Effects(levels=levels, issue=issue)


def standardise(values: Sequence[float] | Array) -> Array:
    """z-scores (0 everywhere when there is no spread)."""
    x = np.asarray(values, dtype=float)
    spread = float(x.std())
    return (x - x.mean()) / spread if spread > 0 else np.zeros_like(x)


def crime_scores(incidents: Sequence[float] | Array, population: Sequence[float] | Array) -> Array:
    """The sectors' crime rates (incidents of the year per 1,000 residents, logged)
    standardised across the sectors."""
    people = np.maximum(np.asarray(population, dtype=float), 100.0)
    return standardise(np.log1p(np.asarray(incidents, dtype=float) / people * 1000))


def solved_exposure(responses: Sequence[tuple[int, float]], wave_start: int) -> float:
    """A sector's exposure to solved problems at a wave starting on `wave_start`
    (ordinal): Σ net effect × the share of RAMP_DAYS since the response began, over
    the (response day ordinal, net effect) of its solved problems."""
    return float(
        sum(effect * min(max((wave_start - day) / RAMP_DAYS, 0.0), 1.0) for day, effect in responses)
    )


def levels(
    effects: Effects, *, crime: Array, exposure: Array, wave: int, seed: int, keys: Sequence[str]
) -> Array:
    """The sectors' latent levels (sectors × 3: trust, safety, contact) at wave
    number `wave` (0 for the first), from their effects, standardised crime and
    exposure to solved problems, with a seeded drift per sector and wave."""
    drift = np.array(
        [np.random.default_rng(_key_seed(seed, f"drift:{wave}:{key}")).normal(0, DRIFT_SD, 3) for key in keys]
    ).reshape(len(keys), 3)
    crime = np.asarray(crime, dtype=float)[:, None]
    exposure = np.asarray(exposure, dtype=float)[:, None]
    return effects.levels + drift + TREND * wave - BETA * crime + DELTA * exposure


# --- the cells' answers ------------------------------------------------------------------

# Cell effects on the logit scale, in COMMUNITIES / GENDERS / AGE_BANDS order.
TRUST_COMMUNITY = np.array([0.45, -1.5, 0.15, 0.0, -0.5, -0.2, -0.3, -0.1, 0.0])
TRUST_AGE = np.array([-0.55, -0.3, 0.0, 0.2, 0.4, 0.6])
TRUST_GENDER = np.array([0.05, -0.05])
SAFETY_COMMUNITY = np.array([0.15, -0.45, 0.1, -0.1, -0.4, -0.3, -0.3, 0.0, 0.0])
DARK_GENDER = np.array([-0.6, 0.6])
DARK_AGE = np.array([0.25, 0.2, 0.1, 0.0, -0.2, -0.5])
SCORE_GENDER = np.array([-0.15, 0.15])
SCORE_AGE = np.array([0.0, 0.0, 0.05, 0.05, 0.0, -0.1])
CONTACT_COMMUNITY = np.array([0.1, -0.3, 0.0, 0.0, -0.3, -0.2, -0.2, 0.0, -0.2])
CONTACT_AGE = np.array([-0.6, -0.3, 0.0, 0.2, 0.35, 0.4])
CONTACT_GENDER = np.array([-0.1, 0.15])
FORUM_AGE = np.array([-0.4, -0.2, 0.0, 0.15, 0.3, 0.3])
# Agreement items: intercept; each loads 1 on its level (safety for safe_dark, trust
# for the others).
AGREE_INTERCEPT = {"safe_dark": 0.5, "rely": 0.35, "fair": 0.45, "listen": 0.0, "confidence": 0.55}
CUT_POINTS = np.array([-2.4, -1.1, 0.0, 1.8])  # θ for answers ≥ 2, 3, 4, 5
SCORE_INTERCEPT, SCORE_LOADING, SCORE_DISPERSION = 0.35, 0.8, 8.0
YES_INTERCEPT = {"know_officer": -0.9, "forum_aware": -1.3}
# Top issue: base shares, then tilts by group (log scale).
ISSUE_BASE = np.log(np.array([0.24, 0.13, 0.19, 0.10, 0.07, 0.10, 0.07, 0.10]))
ISSUE_YOUNG = np.array([0.1, 0.3, 0.0, 0.1, 0.0, -0.2, 0.1, 0.0])  # 18–34
ISSUE_OLD = np.array([0.0, -0.2, 0.3, 0.0, 0.0, 0.3, 0.0, 0.0])  # 55+
ISSUE_WOMEN = np.array([0.0, 0.1, 0.0, -0.1, 0.6, 0.1, -0.2, 0.0])
ISSUE_SERB = np.array([-0.2, 0.0, 0.2, 0.0, -0.2, 0.0, 0.0, 0.6])
ISSUE_CRIME = np.array([0.0, 0.05, 0.25, 0.15, 0.0, 0.0, 0.05, 0.0])  # per sd of crime


def _sigmoid(x: Array) -> Array:
    out: Array = 1.0 / (1.0 + np.exp(-x))
    return out


@dataclass(frozen=True)
class CellModel:
    """The true answer distributions of every sector's cells: `agree[item]` the
    probabilities of 1…5 (sectors × cells × 5); `score[item]` the mean share of 10
    (sectors × cells); `yes[item]` the probability of yes; `issue` the probabilities
    of the top issue's options (sectors × cells × options)."""

    agree: dict[str, Array]
    score: dict[str, Array]
    yes: dict[str, Array]
    issue: Array

    def values(self) -> dict[str, Array]:
        """Each item key's cell value (sectors × cells): the share agreeing (4 or 5),
        the mean score, the share saying yes, each option's share."""
        out: dict[str, Array] = {item: p[:, :, 3:].sum(axis=2) for item, p in self.agree.items()}
        out.update({item: 10 * p for item, p in self.score.items()})
        out.update(self.yes)
        for o, option in enumerate(TOP_ISSUES):
            out[f"{ISSUE_ITEM}:{option}"] = self.issue[:, :, o]
        return out


def cell_model(levels: Array, *, crime: Array, issue: Array) -> CellModel:
    """The cells' answer distributions in sectors at these latent levels (sectors × 3),
    with their standardised crime and top-issue tilts (Effects.issue)."""
    trust, safety, contact = (np.asarray(levels, dtype=float)[:, k, None] for k in range(3))
    community, gender, age = CELL_COMMUNITY, CELL_GENDER, CELL_AGE
    cell_trust = TRUST_COMMUNITY[community] + TRUST_AGE[age] + TRUST_GENDER[gender]
    cell_dark = SAFETY_COMMUNITY[community] + DARK_GENDER[gender] + DARK_AGE[age]
    agree: dict[str, Array] = {}
    for item, intercept in AGREE_INTERCEPT.items():
        eta = intercept + (safety + cell_dark if item == "safe_dark" else trust + cell_trust)
        at_least = _sigmoid(eta[:, :, None] - CUT_POINTS)  # P(≥2), P(≥3), P(≥4), P(≥5)
        upper = np.concatenate((np.ones((*eta.shape, 1)), at_least), axis=2)
        lower = np.concatenate((at_least, np.zeros((*eta.shape, 1))), axis=2)
        agree[item] = upper - lower
    cell_score = SAFETY_COMMUNITY[community] + SCORE_GENDER[gender] + SCORE_AGE[age]
    score = {"safety_score": _sigmoid(SCORE_INTERCEPT + SCORE_LOADING * safety + cell_score)}
    cell_contact = CONTACT_COMMUNITY[community] + CONTACT_AGE[age] + CONTACT_GENDER[gender]
    yes = {
        "know_officer": _sigmoid(YES_INTERCEPT["know_officer"] + contact + 0.4 * trust + cell_contact),
        "forum_aware": _sigmoid(
            YES_INTERCEPT["forum_aware"] + contact + 0.2 * trust + FORUM_AGE[age] + 0.5 * cell_contact
        ),
    }
    young = (age <= 1)[:, None] * ISSUE_YOUNG
    old = (age >= 4)[:, None] * ISSUE_OLD
    women = (gender == 0)[:, None] * ISSUE_WOMEN
    serb = (community == COMMUNITIES.index("serb"))[:, None] * ISSUE_SERB
    logits = (
        ISSUE_BASE
        + (young + old + women + serb)[None, :, :]
        + np.asarray(issue, dtype=float)[:, None, :]
        + np.asarray(crime, dtype=float)[:, None, None] * ISSUE_CRIME
    )
    logits -= logits.max(axis=2, keepdims=True)
    weights = np.exp(logits)
    return CellModel(agree=agree, score=score, yes=yes, issue=weights / weights.sum(axis=2, keepdims=True))


def population_truth(model: CellModel, compositions: Array) -> dict[str, Array]:
    """Each item key's population value per sector: Σ_cells composition × the cell's
    value, for compositions of sectors × cells."""
    shares = np.asarray(compositions, dtype=float)
    return {key: (values * shares).sum(axis=1) for key, values in model.values().items()}


def place_truth(values: dict[str, Array], adults: Array, among: Array | None = None) -> dict[str, float]:
    """A wider place's population values: its sectors' (`among`, a boolean mask;
    all when None) weighted by their adults."""
    weights = np.asarray(adults, dtype=float)
    if among is not None:
        weights = np.where(np.asarray(among, dtype=bool), weights, 0.0)
    total = float(weights.sum())
    return {key: float((v * weights).sum() / total) for key, v in values.items()}


GROUP_CELLS = {"community": (CELL_COMMUNITY, COMMUNITIES), "gender": (CELL_GENDER, GENDERS),
               "age_band": (CELL_AGE, AGE_BANDS)}  # fmt: skip


def group_truth(
    model: CellModel,
    compositions: Array,
    adults: Array,
    *,
    dimension: str,
    category: str,
    among: Array | None = None,
) -> dict[str, float]:
    """The population values of one group (e.g. community "serb") over the sectors
    (`among`, a boolean mask; all when None): its cells' values weighted by their
    adults. NaN for every item when the group has no one there."""
    index, names = GROUP_CELLS[dimension]
    weights = np.asarray(adults, dtype=float)[:, None] * np.asarray(compositions, dtype=float)
    weights = weights * (index == names.index(category))[None, :]
    if among is not None:
        weights = weights * np.asarray(among, dtype=bool)[:, None]
    total = float(weights.sum())
    if total <= 0:
        return {key: float("nan") for key in ITEM_KEYS}
    return {key: float((v * weights).sum() / total) for key, v in model.values().items()}


# --- who answers, and what they answer ----------------------------------------------------

# How readily a cell answers, relative to the most willing (women 55–64, Albanian).
PROPENSITY_GENDER_AGE = np.array(
    [
        [0.50, 0.60, 0.80, 0.95, 1.00, 0.95],  # women
        [0.25, 0.33, 0.50, 0.65, 0.75, 0.80],  # men
    ]
)
PROPENSITY_COMMUNITY = np.array([1.0, 0.6, 0.9, 0.8, 0.4, 0.5, 0.5, 0.8, 0.7])
PROPENSITY = PROPENSITY_COMMUNITY[CELL_COMMUNITY] * PROPENSITY_GENDER_AGE[CELL_GENDER, CELL_AGE]


def respondents(
    compositions: Array, sector: NDArray[np.int64], rng: np.random.Generator
) -> NDArray[np.int64]:
    """The cell of each respondent of `sector` (an index into compositions' rows per
    respondent): drawn from the sector's adults in proportion to their propensity."""
    chance = np.asarray(compositions, dtype=float) * PROPENSITY
    chance /= chance.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(chance, axis=1)
    u = rng.random(len(sector))[:, None]
    picked = (u > cumulative[sector]).sum(axis=1)
    return np.minimum(picked, len(CELLS) - 1).astype(np.int64)


def draw_answers(
    model: CellModel, sector: NDArray[np.int64], cell: NDArray[np.int64], rng: np.random.Generator
) -> dict[str, NDArray[np.int64]]:
    """One answer per respondent (sector, cell) to every item: 1–5 for agreement,
    0–10 for the score, 1/0 for yes/no, the option's index for the top issue."""
    out: dict[str, NDArray[np.int64]] = {}
    for item, p in model.agree.items():
        cumulative = np.cumsum(p[sector, cell], axis=1)
        out[item] = (rng.random(len(sector))[:, None] > cumulative).sum(axis=1).clip(0, 4) + 1
    for item, p in model.score.items():
        mean = p[sector, cell]
        individual = rng.beta(mean * SCORE_DISPERSION, (1 - mean) * SCORE_DISPERSION)
        out[item] = rng.binomial(10, individual).astype(np.int64)
    for item, p in model.yes.items():
        out[item] = (rng.random(len(sector)) < p[sector, cell]).astype(np.int64)
    cumulative = np.cumsum(model.issue[sector, cell], axis=1)
    out[ISSUE_ITEM] = (rng.random(len(sector))[:, None] > cumulative).sum(axis=1).clip(0, len(TOP_ISSUES) - 1)
    return out
