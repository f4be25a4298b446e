"""Demo data of the people app: the population's composition of every municipality
(from the census figures the surveys demo draws its respondents from), and each demo
officer's community and gender, read from the name and languages the organisation
demo gave them, so that the police roughly but not exactly mirror their
municipalities: Serb-majority municipalities' sectors mostly Serb, the small
communities and women under-represented."""

import random
from datetime import date

import numpy as np

from cpis.organisation.demo import demo_names
from cpis.organisation.models import Municipality, Officer
from cpis.surveys.stats.truth import AGE_STRUCTURE, ALBANIAN_MAJORITY, FEMALE_SHARE, MUNICIPAL_COMMUNITIES

from .models import BackgroundChange, Dimension, OfficerBackground, PopulationShare

SOURCE = "Census 2011 and OSCE municipal profiles (rounded; estimates in the north)"
YEAR = 2011
# Women's share of the adult population: the age bands' shares weighted by their size.
FEMALE = float(np.dot(AGE_STRUCTURE, FEMALE_SHARE) / AGE_STRUCTURE.sum())
# Of the officers whose names are Albanian, those from the Albanian-speaking small
# communities (Ashkali, Egyptian) and the Roma are drawn at this fraction of their
# municipality's share: the police recruit them, but fewer than live there.
SMALL_COMMUNITY_FACTOR = 0.5
# Officers with Bosniak names in a municipality with Gorani are Gorani at their share.
BY_LANGUAGE = {"sr": "serb", "bs": "bosniak", "tr": "turkish"}


def clear_demo() -> None:
    BackgroundChange.objects.all().delete()
    OfficerBackground.objects.all().delete()
    PopulationShare.objects.all().delete()


def _composition(code: str) -> dict[str, float]:
    return MUNICIPAL_COMMUNITIES.get(code, ALBANIAN_MAJORITY)


def _population() -> list[PopulationShare]:
    rows = []
    for municipality in Municipality.objects.order_by("code"):
        for category, share in _composition(municipality.code).items():
            rows.append(
                PopulationShare(
                    municipality=municipality,
                    dimension=Dimension.COMMUNITY,
                    category=category,
                    share=share,
                    source=SOURCE,
                    year=YEAR,
                )
            )
        for category, share in (("female", FEMALE), ("male", 1 - FEMALE)):
            rows.append(
                PopulationShare(
                    municipality=municipality,
                    dimension=Dimension.GENDER,
                    category=category,
                    share=round(share, 4),
                    source=SOURCE,
                    year=YEAR,
                )
            )
    return rows


def _community(officer: Officer, municipality: str, rng: random.Random) -> str:
    """The community the officer's languages say (the organisation demo chose them by
    community), with the small communities drawn among those with Albanian names."""
    # The first language is the community's (the organisation demo adds others after it).
    first = officer.languages[0] if officer.languages else "sq"
    spoken = BY_LANGUAGE.get(first, "albanian")
    composition = _composition(municipality)
    if spoken == "bosniak" and rng.random() < composition.get("gorani", 0.0) * 2:
        return "gorani"
    if spoken == "albanian":
        roll = rng.random()
        for small in ("ashkali", "egyptian", "roma"):
            chance = composition.get(small, 0.0) * SMALL_COMMUNITY_FACTOR
            if roll < chance:
                return small
            roll -= chance
    return spoken


def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    """Population shares for every municipality; a background for every demo officer."""
    rng = random.Random(f"{seed}-people")  # noqa: S311 - demo data, not secrets
    shares = PopulationShare.objects.bulk_create(_population(), batch_size=2000)
    names = demo_names()
    female = {name for group in names.values() if isinstance(group, dict) for name in group["female"]}
    backgrounds = []
    officers = Officer.objects.select_related("unit__municipality").order_by("pk")
    for officer in officers:
        municipality = officer.unit.municipality.code if officer.unit.municipality else ""
        backgrounds.append(
            OfficerBackground(
                officer=officer,
                community=_community(officer, municipality, rng),
                gender="female" if officer.first_name in female else "male",
            )
        )
    OfficerBackground.objects.bulk_create(backgrounds, batch_size=2000)
    women = sum(1 for background in backgrounds if background.gender == "female")
    share = f"{100 * women / len(backgrounds):.0f}" if backgrounds else "0"
    return [
        f"People: {len(shares)} population shares; the community and gender of "
        f"{len(backgrounds)} officers ({share} % women)."
    ]
