from datetime import date

import factory

from cpis.core.i18n import fold
from cpis.organisation.models import (
    Assignment,
    Municipality,
    Officer,
    RoleGrant,
    Settlement,
    Unit,
    UnitKind,
)


def square(lon: float, lat: float, size: float = 0.1) -> dict:
    """A GeoJSON square with its south-west corner at (lon, lat)."""
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    parent = None
    kind = UnitKind.DIRECTORATE
    code = factory.Sequence(lambda n: f"u{n}")
    name_sq = factory.LazyAttribute(lambda o: f"Njësia {o.code}")
    name_sr = factory.LazyAttribute(lambda o: f"Јединица {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Unit {o.code}")
    path = factory.LazyAttribute(lambda o: f"{o.parent.path if o.parent else ''}{o.code}/")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    code = factory.Sequence(lambda n: f"m{n}")
    name_sq = "Graçanicë"
    name_sr = "Грачаница"
    name_en = "Gračanica"
    seat_lon = 21.19
    seat_lat = 42.6


class SettlementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Settlement

    municipality = factory.SubFactory(MunicipalityFactory)
    name_sq = "Llapnasellë"
    name_sr = "Лапље Село"
    lon = 21.1
    lat = 42.6
    population = 1000
    search_key = factory.LazyAttribute(lambda o: fold(f"{o.name_sq} {o.name_sr} {o.name_en}"))
    name_en = ""


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    first_name = factory.Sequence(lambda n: f"Arben{n}")
    last_name = "Krasniqi"
    badge_number = factory.Sequence(lambda n: f"KP-{n:05d}")
    work_phone = "+383 44 100 200"
    work_email = factory.Sequence(lambda n: f"officer{n}@kosovopolice.example")
    languages = factory.LazyFunction(lambda: ["sq", "sr"])
    date_of_birth = date(1985, 5, 17)
    personal_phone = "+383 49 999 888"
    home_address = "Rr. Nëna Terezë 12"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    officer = factory.SubFactory(OfficerFactory)
    start_date = date(2020, 1, 1)


class RoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGrant
