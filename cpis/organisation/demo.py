"""Deterministic demo data: the real regional directorates and
municipalities, illustrative sectors, about 1,000 officers at national
scale with assignment histories, and one login per role."""

import json
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import FileField, Model, ProtectedError
from django.utils import timezone

from cpis.accounts.demo import give_demo_second_factor
from cpis.accounts.policy import second_factor_required
from cpis.accounts.services import reset_second_factor
from cpis.core.i18n import fold, to_serbian_latin

from .demo_geometry import SectorShape, build_sectors
from .models import (
    Assignment,
    KeyLocation,
    KeyLocationKind,
    Municipality,
    Officer,
    Rank,
    Role,
    RoleGrant,
    SectorRole,
    Settlement,
    Unit,
    UnitKind,
)
from .rules import tenure_ends

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
SMALL_REGIONS = ("PR", "MV")
DEMO_PASSWORD = "cpis-demo-2026"  # noqa: S105 (printed by `make demo`; demo only)

# Municipalities where most residents are Serbian, Turkish or Bosniak: the
# officers serving there are drawn mostly from the same community.
COMMUNITY_MIX = {
    "serbian": {
        "mitrovice-e-veriut",
        "zvecan",
        "zubin-potok",
        "leposaviq",
        "gracanice",
        "shterpce",
        "ranillug",
        "partesh",
        "kllokot",
        "novoberde",
    },
    "turkish": {"mamushe"},
    "bosniak": {"dragash"},
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    place: str
    second_factor: bool = False


def load_geography() -> dict[str, Any]:
    return json.loads((DATA_DIR / "kosovo.json").read_text(encoding="utf-8"))


def demo_names() -> dict[str, Any]:
    """First names and surnames by community, for the demo's people."""
    names: dict[str, Any] = json.loads((DATA_DIR / "names.json").read_text(encoding="utf-8"))
    return names


def demo_phone(rng: random.Random) -> str:
    """A made-up Kosovo mobile number."""
    return f"+383 4{rng.randint(3, 9)} {rng.randint(100, 999)} {rng.randint(100, 999)}"


def demo_time(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """The aware moment at hour:minute of a demo day."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def delete_demo_rows(*models: type[Model]) -> None:
    """Delete every row of these models, in this order, and the files their
    rows point to (a stored file would outlive its row otherwise)."""
    for model in models:
        for field in model._meta.fields:
            if isinstance(field, FileField):
                for row in model._default_manager.exclude(**{field.name: ""}):
                    getattr(row, field.name).delete(save=False)
        model._default_manager.all().delete()


def _ascii(text: str) -> str:
    text = to_serbian_latin(text).replace("đ", "dj").replace("Đ", "Dj")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _community(municipality: str, rng: random.Random) -> str:
    for community, codes in COMMUNITY_MIX.items():
        if municipality in codes:
            return community if rng.random() < 0.8 else "albanian"
    roll = rng.random()
    return (
        "albanian" if roll < 0.88 else "serbian" if roll < 0.94 else "bosniak" if roll < 0.97 else "turkish"
    )


LANGUAGES_BY_COMMUNITY = {
    "albanian": ["sq"],
    "serbian": ["sr"],
    "bosniak": ["bs", "sq"],
    "turkish": ["tr", "sq"],
}


def _clear() -> None:
    Assignment.objects.all().delete()
    RoleGrant.objects.all().delete()
    KeyLocation.objects.all().delete()
    Officer.objects.all().delete()
    # Children before parents: the tree is protected against orphaning.
    for unit in Unit.objects.order_by("-path"):
        unit.delete()
    Settlement.objects.all().delete()
    Municipality.objects.all().delete()
    _delete_demo_users()


def _delete_demo_users() -> None:
    """Delete the demo logins but those a record that is never deleted refers to
    (the access log's entries): such a login stays, and `_demo_user` takes it up
    again, so that loading the demo in place works on a demo that has been used."""
    for user in get_user_model().objects.filter(username__in=[login[0] for login in DEMO_LOGINS]):
        try:
            with transaction.atomic():
                user.delete()
        except ProtectedError:
            continue


def _demo_user(username: str) -> Any:
    """A demo login as a new one: created, or a kept one with its password,
    e-mail, flags and second factors set back."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        return user_model.objects.create_user(
            username=username, password=DEMO_PASSWORD, email=f"{username}@kosovopolice.example"
        )
    reset_second_factor(user=user)
    user.set_password(DEMO_PASSWORD)
    user.email = f"{username}@kosovopolice.example"
    user.first_name = user.last_name = ""
    user.is_staff = user.is_superuser = False
    user.is_active = True
    user.language = user_model._meta.get_field("language").default
    user.save()
    return user


DEMO_LOGINS: list[tuple[str, str, str]] = [
    # username, role, place: "root", "region", "station" or "sector"
    ("sector.officer", Role.SECTOR_OFFICER, "sector"),
    ("sector.leader", Role.SECTOR_LEADER, "sector"),
    ("station.coordinator", Role.STATION_COORDINATOR, "station"),
    ("station.commander", Role.STATION_COMMANDER, "station"),
    ("regional.coordinator", Role.REGIONAL_COORDINATOR, "region"),
    ("regional.director", Role.REGIONAL_DIRECTOR, "region"),
    ("directorate", Role.DIRECTORATE, "root"),
    ("strategy.coordinator", Role.STRATEGY_COORDINATOR, "root"),
    ("professional.standards", Role.PROFESSIONAL_STANDARDS, "root"),
    ("admin", Role.SYSTEM_ADMIN, "root"),
    ("data.protection", Role.DATA_PROTECTION_OFFICER, "root"),
    ("safeguarding", Role.SAFEGUARDING, "station"),
    ("personnel", Role.PERSONNEL, "root"),
]


class DemoBuilder:
    def __init__(self, *, scale: str, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.scale = scale
        self.today = today
        self.names = demo_names()
        self.badges: set[str] = set()

    # --- tree -------------------------------------------------------------

    def build(self) -> list[DemoLogin]:
        geography = load_geography()
        regions = [r for r in geography["regions"] if self.scale != "small" or r["code"] in SMALL_REGIONS]
        shapes = build_sectors(geography, seed=self.seed)
        root = self._root()
        municipalities = self._municipalities(geography["municipalities"])
        region_units = self._regions(root, regions)
        stations = self._stations(geography["municipalities"], region_units, municipalities, shapes)
        officers = self._officers(stations)
        return self._logins(root, region_units, stations, officers)

    def _root(self) -> Unit:
        return Unit.objects.create(
            kind=UnitKind.DIRECTORATE,
            code="kp",
            path="kp/",
            name_sq="Drejtoria e Përgjithshme e Policisë",
            name_sr="Генерална полицијска дирекција",
            name_en="General Police Directorate",
            phone="+383 38 5080 1000",
            address="Prishtinë",
        )

    def _municipalities(self, rows: list[dict[str, Any]]) -> dict[str, Municipality]:
        """Every municipality (at every scale) with its settlements."""
        municipalities = {}
        for data in rows:
            municipality = Municipality.objects.create(
                code=data["code"],
                name_sq=data["name"]["sq"],
                name_sr=data["name"]["sr"],
                name_en=data["name"]["en"],
                seat_lon=data["seat"]["lon"],
                seat_lat=data["seat"]["lat"],
                population=data.get("population"),
            )
            municipalities[data["code"]] = municipality
            Settlement.objects.bulk_create(
                Settlement(
                    municipality=municipality,
                    name_sq=s["name"]["sq"],
                    name_sr=s["name"]["sr"],
                    lon=s["lon"],
                    lat=s["lat"],
                    population=s.get("population"),
                    search_key=fold(f"{s['name']['sq']} {s['name']['sr']}"),
                )
                for s in data["settlements"]
            )
        return municipalities

    def _regions(self, root: Unit, regions: list[dict[str, Any]]) -> dict[str, Unit]:
        region_units = {}
        for number, region in enumerate(regions, start=1):
            code = region["code"].lower()
            region_units[region["code"]] = Unit.objects.create(
                parent=root,
                kind=UnitKind.REGION,
                code=code,
                path=f"{root.path}{code}/",
                name_sq=region["name"]["sq"],
                name_sr=region["name"]["sr"],
                name_en=region["name"]["en"],
                phone=f"+383 38 5080 {1100 + number}",
            )
        return region_units

    def _stations(
        self,
        rows: list[dict[str, Any]],
        regions: dict[str, Unit],
        municipalities: dict[str, Municipality],
        shapes: list[SectorShape],
    ) -> list[tuple[Unit, list[Unit]]]:
        """A station for each municipality of the regions loaded, with its sectors."""
        by_municipality: dict[str, list[SectorShape]] = {}
        for shape in shapes:
            by_municipality.setdefault(shape.municipality, []).append(shape)
        stations: list[tuple[Unit, list[Unit]]] = []
        for number, data in enumerate(rows, start=1):
            if data["region"] not in regions:
                continue
            region = regions[data["region"]]
            name = data["name"]
            station = Unit.objects.create(
                parent=region,
                kind=UnitKind.STATION,
                code=data["code"],
                path=f"{region.path}{data['code']}/",
                municipality=municipalities[data["code"]],
                name_sq=f"Stacioni Policor {name['sq']}",
                name_sr=f"Полицијска станица {name['sr']}",
                name_en=f"{name['en']} Police Station",
                population=data.get("population"),
                phone=f"+383 {28 + number % 10} {200 + number:03d} {100 + number:03d}",
                email=f"stacioni.{data['code']}@kosovopolice.example",
                address=name["sq"],
            )
            sectors = self._sectors(
                station, by_municipality.get(data["code"], []), municipalities[data["code"]]
            )
            stations.append((station, sectors))
        return stations

    def _sectors(self, station: Unit, shapes: list[SectorShape], municipality: Municipality) -> list[Unit]:
        villages = [s for s in shapes if not s.is_urban]
        substation = None
        # A station with many villages runs the farther half from a substation.
        if len(villages) >= 9:
            seat = shapes[0].anchor
            villages.sort(key=lambda s: (s.anchor[0] - seat[0]) ** 2 + (s.anchor[1] - seat[1]) ** 2)
            far = villages[len(villages) // 2 :]
            hub = max(far, key=lambda s: s.population)
            substation = Unit.objects.create(
                parent=station,
                kind=UnitKind.SUBSTATION,
                code=f"{hub.code}-n",
                path=f"{station.path}{hub.code}-n/",
                municipality=municipality,
                name_sq=f"Nënstacioni Policor {hub.name['sq']}",
                name_sr=f"Полицијска подстаница {hub.name['sr']}",
                name_en=f"{_ascii(hub.name['sq'])} Police Substation",
                phone=station.phone,
            )
            far_codes = {s.code for s in far}
        sectors = []
        for shape in shapes:
            parent = substation if substation is not None and shape.code in far_codes else station
            sector = Unit.objects.create(
                parent=parent,
                kind=UnitKind.SECTOR,
                code=shape.code,
                path=f"{parent.path}{shape.code}/",
                municipality=municipality,
                name_sq=shape.name["sq"],
                name_sr=shape.name["sr"],
                name_en=shape.name.get("en") or _ascii(shape.name["sq"]),
                boundary=shape.geojson(),
                population=shape.population,
            )
            sectors.append(sector)
            self._key_locations(sector, shape)
        return sectors

    def _key_locations(self, sector: Unit, shape: SectorShape) -> None:
        lon, lat = shape.anchor
        place = shape.name["sq"]
        choices = [
            (KeyLocationKind.SCHOOL, f"Shkolla fillore „{place}”"),
            (
                KeyLocationKind.RELIGIOUS,
                f"Xhamia e {place}" if self.rng.random() < 0.7 else f"Kisha e {place}",
            ),
            (KeyLocationKind.HEALTH, f"Ambulanca {place}"),
            (KeyLocationKind.MARKET, f"Tregu {place}"),
        ]
        for kind, name in self.rng.sample(choices, k=2 if not shape.is_urban else 3):
            KeyLocation.objects.create(
                sector=sector,
                kind=kind,
                name=name,
                lon=round(lon + self.rng.uniform(-0.004, 0.004), 6),
                lat=round(lat + self.rng.uniform(-0.003, 0.003), 6),
            )

    # --- people -----------------------------------------------------------

    def _person(self, municipality: str) -> tuple[str, str, list[str]]:
        community = _community(municipality, self.rng)
        names = self.names[community]
        first = self.rng.choice(names["male"] if self.rng.random() < 0.78 else names["female"])
        languages = list(LANGUAGES_BY_COMMUNITY[community])
        if community == "albanian" and self.rng.random() < 0.25:
            languages.append("sr")
        if community == "serbian" and self.rng.random() < 0.2:
            languages.append("sq")
        if self.rng.random() < 0.35:
            languages.append("en")
        return first, self.rng.choice(names["surnames"]), languages

    def _badge(self) -> str:
        while True:
            badge = f"KP-{self.rng.randint(10000, 99999)}"
            if badge not in self.badges:
                self.badges.add(badge)
                return badge

    def _officer(self, unit: Unit, municipality: str, rank: str, *, community: bool) -> Officer:
        first, last, languages = self._person(municipality)
        email = f"{_ascii(first).lower()}.{_ascii(last).lower()}.{len(self.badges)}@kosovopolice.example"
        born = self.today - timedelta(days=self.rng.randint(24 * 365, 58 * 365))
        return Officer(
            unit=unit,
            first_name=first,
            last_name=last,
            rank=rank,
            badge_number=self._badge(),
            work_phone=demo_phone(self.rng),
            work_email=email,
            languages=languages,
            is_community_officer=community,
            date_of_birth=born,
            personal_phone=demo_phone(self.rng),
            home_address=f"Rr. {self.rng.randint(1, 120)}, {municipality.replace('-', ' ').title()}",
        )

    def _officers(self, stations: list[tuple[Unit, list[Unit]]]) -> dict[str, Officer]:
        """Each sector gets a leader and one to three officers; each station a
        commander, a community-policing coordinator and duty officers."""
        pending: list[tuple[Officer, Unit | None, str]] = []
        key: dict[str, Officer] = {}
        for station, sectors in stations:
            municipality = station.code
            commander = self._officer(station, municipality, Rank.CAPTAIN, community=False)
            coordinator = self._officer(station, municipality, Rank.LIEUTENANT, community=True)
            pending += [(commander, None, ""), (coordinator, None, "")]
            for _ in range(self.rng.randint(1, 3)):
                pending.append(
                    (self._officer(station, municipality, Rank.OFFICER, community=False), None, "")
                )
            for sector in sectors:
                home = sector.parent or station
                pending.append(
                    (
                        self._officer(home, municipality, Rank.SERGEANT, community=True),
                        sector,
                        SectorRole.LEADER,
                    )
                )
                team = 1 + (sector.population or 0) // 9000 + self.rng.randint(0, 1)
                for _ in range(min(team, 3)):
                    pending.append(
                        (
                            self._officer(home, municipality, Rank.OFFICER, community=True),
                            sector,
                            SectorRole.OFFICER,
                        )
                    )
            if "station" not in key:
                key["station"], key["coordinator"] = commander, coordinator
        Officer.objects.bulk_create([officer for officer, _s, _r in pending])
        all_sectors = [s for _st, sectors in stations for s in sectors]
        assignments: list[Assignment] = []
        for officer, target, role in pending:
            if target is None:
                continue
            assignments += self._history(officer, target, role, all_sectors)
            if "sector_leader" not in key and role == SectorRole.LEADER:
                key["sector_leader"] = officer
            elif "sector_officer" not in key and role == SectorRole.OFFICER:
                key["sector_officer"] = officer
        Assignment.objects.bulk_create(assignments)
        return key

    def _history(self, officer: Officer, sector: Unit, role: str, sectors: list[Unit]) -> list[Assignment]:
        """The current assignment and, for most officers, one or two earlier
        ones. About one move in six came before the two years were up; most
        of those have a recorded reason, some (older records) do not."""
        start = self.today - timedelta(days=self.rng.randint(30, 6 * 365))
        rows = [Assignment(officer=officer, sector=sector, role=role, start_date=start)]
        region_path = "/".join(sector.path.split("/")[:2]) + "/"
        nearby = [s for s in sectors if s.path.startswith(region_path) and s.pk != sector.pk]
        for _ in range(self.rng.choice([0, 1, 1, 2])):
            if not nearby:
                break
            early = self.rng.random() < 0.17
            length = self.rng.randint(150, 700) if early else self.rng.randint(731, 5 * 365)
            end = start
            begin = end - timedelta(days=length)
            if early and end >= tenure_ends(begin):
                begin = end - timedelta(days=700)
            reason = ""
            if early and self.rng.random() < 0.75:
                reason = self.rng.choice(EARLY_MOVE_REASONS)
            rows.append(
                Assignment(
                    officer=officer,
                    sector=self.rng.choice(nearby),
                    role=SectorRole.OFFICER,
                    start_date=begin,
                    end_date=end,
                    end_reason=reason,
                )
            )
            start = begin
        return rows

    def _logins(
        self,
        root: Unit,
        regions: dict[str, Unit],
        stations: list[tuple[Unit, list[Unit]]],
        officers: dict[str, Officer],
    ) -> list[DemoLogin]:
        station = stations[0][0]
        region = station.parent or root
        leader = officers["sector_leader"]
        sector = Assignment.objects.get(officer=leader, end_date__isnull=True).sector
        places = {"root": root, "region": region, "station": station, "sector": sector}
        logins = []
        for username, role, place in DEMO_LOGINS:
            user = _demo_user(username)
            if role == Role.SYSTEM_ADMIN:
                user.is_staff = user.is_superuser = True
                user.language = "en"
                user.save()
            officer = officers.get(username.replace(".", "_"))
            if username == "station.commander":
                officer = officers["station"]
            elif username == "station.coordinator":
                officer = officers["coordinator"]
            if officer is not None:
                officer.user = user
                officer.save(update_fields=["user"])
                user.first_name, user.last_name = officer.first_name, officer.last_name
                user.save(update_fields=["first_name", "last_name"])
            RoleGrant.objects.create(user=user, unit=places[place], role=role)
            if second_factor_required({role}):
                give_demo_second_factor(user)
            label = str(Role(role).label)
            logins.append(DemoLogin(username, label, places[place].name, user.has_second_factor))
        return logins


EARLY_MOVE_REASONS = [
    # Written by staff, in Albanian, and kept as written.
    "U gradua rreshter në një stacion tjetër",
    "Transferim me kërkesë personale për arsye familjare",
    "Ricaktim pas riorganizimit të stacionit",
    "Pushim i gjatë mjekësor; sektori u mbulua nga një koleg",
    "Kaloi në Policinë Kufitare",
]


@transaction.atomic
def load_demo(*, scale: str = "small", seed: int = 2012, today: date | None = None) -> list[DemoLogin]:
    """Replace all organisation data with the demo set. Same seed and day,
    same data."""
    if scale not in {"small", "standard", "national"}:
        raise ValueError(scale)
    _clear()
    builder = DemoBuilder(scale=scale, seed=seed, today=today or timezone.localdate())
    return builder.build()
