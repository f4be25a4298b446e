"""Partners, contacts, agreements, interest groups and recognitions,
station by station, from one seeded random source."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings

from cpis.core.i18n import to_serbian_latin
from cpis.organisation.demo import COMMUNITY_MIX, demo_phone, demo_time
from cpis.organisation.models import Unit, UnitKind

from ..models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    InterestGroup,
    InterestGroupKind,
    Partner,
    PartnerContact,
    PartnerKind,
    PartnerLevel,
    RecipientKind,
    Recognition,
)
from .documents import ascii_text
from .words import (
    CENTRAL,
    CENTRAL_AGREEMENTS,
    OFFICER_REASONS,
    PLAN_END,
    PLAN_START,
    REASONS,
    RECENT_CENTRAL_AGREEMENTS,
    SCHOOLS,
)


@dataclass
class Demo:
    rng: random.Random
    today: date
    names: dict[str, Any]
    partners: list[Partner] = field(default_factory=list)
    contacts: list[PartnerContact] = field(default_factory=list)
    agreements: list[tuple[Agreement, list[Partner]]] = field(default_factory=list)
    groups: list[tuple[InterestGroup, str]] = field(default_factory=list)
    recognitions: list[Recognition] = field(default_factory=list)

    @property
    def recent(self) -> date:
        return self.today - timedelta(days=3 * 365)

    def day(self, start: date, end: date) -> date:
        end = min(end, self.today)
        start = min(start, end)
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def when(self, *, plan_share: float = 0.6) -> date:
        """A date in 2012–2016 (the plan's years), between them, or in the last three years."""
        roll = self.rng.random()
        if roll < plan_share:
            return self.day(PLAN_START, PLAN_END)
        if roll < plan_share + 0.12:
            return self.day(PLAN_END + timedelta(days=1), self.recent)
        return self.day(self.recent, self.today)

    def community(self, municipality: str) -> str:
        for community, codes in COMMUNITY_MIX.items():
            if municipality in codes:
                return community if self.rng.random() < 0.8 else "albanian"
        return "albanian" if self.rng.random() < 0.93 else "serbian"

    def person(self, community: str) -> tuple[str, str]:
        names = self.names[community]
        first = self.rng.choice(names["male"] if self.rng.random() < 0.6 else names["female"])
        return first, self.rng.choice(names["surnames"])

    # --- partners ---------------------------------------------------------------------

    def partner(
        self,
        unit: Unit,
        kind: str,
        name: str,
        *,
        central: bool = False,
        when: date | None = None,
        description: str = "",
        community: str = "albanian",
    ) -> Partner:
        identified = when or self.when()
        partner = Partner(
            kind=kind,
            name=name,
            level=PartnerLevel.CENTRAL if central else PartnerLevel.LOCAL,
            unit=unit,
            unit_path=unit.path,
            municipality=None if central else unit.municipality,
            description=description,
            identified_on=identified,
            is_active=self.rng.random() < 0.9,
            created_at=demo_time(identified),
        )
        self.partners.append(partner)
        for _n in range(self.rng.choice([0, 1, 1, 1, 2])):
            first, last = self.person(community)
            self.contacts.append(
                PartnerContact(
                    partner=partner,
                    name=f"{first} {last}",
                    position=self.rng.choice(
                        ["Drejtor", "Zyrtar për siguri", "Koordinator", "Kryetar", "Zëdhënës", "Sekretar"]
                        if community == "albanian"
                        else ["Direktor", "Koordinator", "Predsednik", "Sekretar"]
                    ),
                    phone=demo_phone(self.rng),
                    email=f"{ascii_text(first).lower()}.{ascii_text(last).lower()}@partner.example",
                    consent=self.rng.random() < 0.85,
                    created_at=demo_time(identified),
                )
            )
        return partner

    def central(self, root: Unit) -> None:
        central = []
        for index, (kind, name, description) in enumerate(CENTRAL):
            # The first wave right after the strategy's approval [2.1.1]; a few later.
            when = self.day(date(2012, 3, 1), date(2013, 6, 30)) if index < 24 else self.when(plan_share=0.4)
            central.append(self.partner(root, kind, name, central=True, when=when, description=description))
        for index, kind, title, signed, years, status in CENTRAL_AGREEMENTS:
            until = signed.replace(year=signed.year + years) if years else None
            self.agreement(root, [central[index]], kind, title, signed, until, status)
        for index, kind, title in RECENT_CENTRAL_AGREEMENTS:
            signed = self.day(self.recent, self.today)
            self.agreement(root, [central[index]], kind, title, signed, None, AgreementStatus.SIGNED)
        self.agreement(
            root,
            [central[5]],
            AgreementKind.MEMORANDUM,
            "Draft-memorandum për fushatën vjetore të sigurisë",
            None,
            None,
            AgreementStatus.DRAFT,
        )

    def station(self, station: Unit, sectors: list[Unit]) -> None:
        municipality = station.municipality
        code = municipality.code if municipality else station.code
        community = self.community(code)
        serbian = community == "serbian"
        name_sq = municipality.name_sq if municipality else station.name_sq
        name_sr = to_serbian_latin(municipality.name_sr) if municipality and municipality.name_sr else name_sq
        place = name_sr if serbian else name_sq
        local = self.local_partners(place, name_sq, serbian=serbian)
        station_partners = [self.partner(station, kind, name, community=community) for kind, name in local]
        for sector in sectors:
            if self.rng.random() < 0.55:
                first, last = self.person(community)
                kind, name = self.rng.choice(
                    [
                        (PartnerKind.INFLUENTIAL_PERSON, f"{first} {last}"),
                        (PartnerKind.COMMUNITY_GROUP, f"Grupi i të rinjve {sector.name_sq}"),
                        (PartnerKind.BUSINESS, f"Market {last}"),
                        (PartnerKind.NGO, f"Shoqata e grave {sector.name_sq}"),
                    ]
                )
                self.partner(sector, kind, name, community=community)
        self.station_agreements(station, station_partners, name_sq)
        self.interest_groups(station, sectors, community, place)
        self.thanks(station, community, station_partners)

    def local_partners(self, place: str, name_sq: str, *, serbian: bool) -> list[tuple[str, str]]:
        """The kinds and names of a station's partners: the municipality's offices,
        a school's parents, religious leaders, businesses, media, the OSCE team."""
        schools = SCHOOLS["serbian" if serbian else "albanian"]
        local: list[tuple[str, str]] = [
            (PartnerKind.MUNICIPAL, f"Opština {place}" if serbian else f"Komuna e {place}"),
            (
                PartnerKind.MUNICIPAL,
                f"Centar za socijalni rad {place}" if serbian else f"Qendra për Punë Sociale {place}",
            ),
            (
                PartnerKind.MUNICIPAL,
                f"Opštinska direkcija za obrazovanje {place}"
                if serbian
                else f"Drejtoria Komunale e Arsimit {place}",
            ),
            (
                PartnerKind.NGO,
                f"Savet roditelja škole „{self.rng.choice(schools)}”"
                if serbian
                else f"Këshilli i Prindërve i shkollës „{self.rng.choice(schools)}”",
            ),
            (
                PartnerKind.RELIGIOUS,
                f"Parohija SPC {place}" if serbian else f"Këshilli i Bashkësisë Islame {place}",
            ),
            (
                PartnerKind.BUSINESS,
                f"Udruženje preduzetnika {place}" if serbian else f"Shoqata e Bizneseve {place}",
            ),
            (PartnerKind.MEDIA, f"Radio {place}"),
            (PartnerKind.INTERNATIONAL, f"OSCE Municipal Team {ascii_text(name_sq)}"),
        ]
        if self.rng.random() < 0.3:
            local.append((PartnerKind.POLITICAL_PARTY, f"Kryesitë komunale të partive politike – {place}"))
        return local

    def station_agreements(self, station: Unit, station_partners: list[Partner], name_sq: str) -> None:
        """An agreement with the municipality [2.1.2], and sometimes with the schools."""
        if self.rng.random() < 0.7:
            signed = self.when(plan_share=0.7)
            self.agreement(
                station,
                [station_partners[0]],
                AgreementKind.AGREEMENT,
                f"Marrëveshje bashkëpunimi për sigurinë në bashkësi – {name_sq}",
                signed,
                signed.replace(year=signed.year + 4) if signed.year < self.today.year - 4 else None,
                AgreementStatus.EXPIRED if signed.year < self.today.year - 4 else AgreementStatus.SIGNED,
            )
        if self.rng.random() < 0.35:
            signed = self.when()
            self.agreement(
                station,
                [station_partners[2], station_partners[3]],
                AgreementKind.MEMORANDUM,
                f"Memorandum për sigurinë në shkollat e {name_sq}",
                signed,
                None,
                AgreementStatus.SIGNED,
            )

    def agreement(
        self,
        unit: Unit,
        partners: list[Partner],
        kind: str,
        title: str,
        signed: date | None,
        until: date | None,
        status: str,
    ) -> None:
        created = signed or self.today - timedelta(days=20)
        agreement = Agreement(
            kind=kind,
            title=title,
            unit=unit,
            unit_path=unit.path,
            status=status,
            signed_on=signed,
            valid_until=until,
            notes="",
            created_at=demo_time(created),
        )
        self.agreements.append((agreement, partners))

    # --- interest groups, volunteers, recognitions --------------------------------------

    def interest_groups(self, station: Unit, sectors: list[Unit], community: str, place: str) -> None:
        serbian = community == "serbian"
        options = [
            (InterestGroupKind.NEIGHBOURHOOD_WATCH, "Komšijska straža" if serbian else "Roja e Lagjes"),
            (
                InterestGroupKind.SCHOOL_SAFETY_PATROL,
                "Školska bezbednosna patrola" if serbian else "Patrulla e Sigurisë në Shkollë",
            ),
            (InterestGroupKind.MEDIATION_COUNCIL, "Savet za pomirenje" if serbian else "Këshilli i Pajtimit"),
        ]
        for _n in range(self.rng.choice([1, 2, 2, 3])):
            kind, label = self.rng.choice(options)
            unit = self.rng.choice(sectors) if sectors and self.rng.random() < 0.6 else station
            where = unit.name_sq if unit.kind == UnitKind.SECTOR else place
            founded = self.when(plan_share=0.7)
            group = InterestGroup(
                kind=kind,
                name=f"{label} {where}",
                unit=unit,
                unit_path=unit.path,
                founded_on=founded,
                is_active=self.rng.random() < 0.85,
                created_at=demo_time(founded),
            )
            self.groups.append((group, community))

    def thanks(self, station: Unit, community: str, partners: list[Partner]) -> None:
        for year in [*range(2012, 2017), *range(self.recent.year, self.today.year + 1)]:
            if self.rng.random() < 0.45:
                continue
            month, day = settings.PLANS_POLICE_DAY
            awarded = min(date(year, month, day), self.today)
            roll = self.rng.random()
            partner = None
            reason = self.rng.choice(REASONS[community if community == "serbian" else "albanian"])
            if roll < 0.5:
                kind, name = RecipientKind.CITIZEN, " ".join(self.person(community))
            elif roll < 0.7:
                kind, name = RecipientKind.FORUM, f"KLSP {station.name_sq.removeprefix('Stacioni Policor ')}"
            elif roll < 0.85:
                partner = self.rng.choice(partners)
                kind, name = RecipientKind.PARTNER, partner.name
            else:
                kind, name = RecipientKind.OFFICER, " ".join(self.person(community))
                reason = self.rng.choice(OFFICER_REASONS)
            self.recognitions.append(
                Recognition(
                    recipient_kind=kind,
                    recipient_name=name,
                    partner=partner,
                    reason=reason,
                    awarded_on=awarded,
                    unit=station,
                    unit_path=station.path,
                    is_published=self.rng.random() < 0.6,
                    created_at=demo_time(awarded),
                )
            )
