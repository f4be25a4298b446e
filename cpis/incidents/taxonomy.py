"""The national incident taxonomy as seed data, with its translations and
the labels other systems use for each category (aliases). An import maps a
label to a category by its code, its name in any language or an alias,
ignoring case, accents and script (see core.i18n.fold)."""

from collections.abc import Iterable

from cpis.core.i18n import fold

CATEGORIES = [
    # code, sq, sr (Cyrillic), en, property crime, aliases
    ("assault", "Sulm", "Напад", "Assault", False,
     ["Sulmi", "Lëndim i lehtë trupor", "Lëndimi i lehtë trupor", "Lëndim i rëndë trupor",
      "Lëndimi i rëndë trupor", "Light bodily injury", "Grievous bodily injury", "Laka telesna povreda",
      "Teška telesna povreda", "Assault with weapon"]),
    ("burglary", "Vjedhje me thyerje", "Провална крађа", "Burglary", True,
     ["Break and Enter", "Break & Enter", "B&E", "Vjedhje e rëndë", "Vjedhja e rëndë", "Aggravated theft",
      "Teška krađa", "Provala", "Housebreaking"]),
    ("robbery", "Grabitje", "Разбојништво", "Robbery", False,
     ["Grabitja", "Vjedhje në formë të grabitjes", "Razbojništvo", "Razbojnička krađa"]),
    ("vehicle-theft", "Vjedhje automjeti", "Крађа возила", "Vehicle theft", True,
     ["Auto Theft", "Motor vehicle theft", "Vjedhje e automjetit", "Vjedhja e automjetit",
      "Krađa vozila", "Car theft"]),
    ("theft", "Vjedhje", "Крађа", "Theft", True,
     ["Theft Over", "Theft Under", "Vjedhja", "Vjedhje e lehtë", "Krađa", "Larceny", "Shoplifting"]),
    ("fraud", "Mashtrim", "Превара", "Fraud", True,
     ["Mashtrimi", "Prevara", "Fraud and deception"]),
    ("criminal-damage", "Dëmtim prone", "Оштећење имовине", "Criminal damage", True,
     ["Asgjësimi ose dëmtimi i pasurisë", "Dëmtimi i pronës", "Damage to property", "Mischief",
      "Vandalism", "Oštećenje imovine", "Arson", "Zjarrvënie"]),
    ("domestic-violence", "Dhunë në familje", "Насиље у породици", "Domestic violence", False,
     ["Dhuna në familje", "Nasilje u porodici"]),
    ("drugs", "Narkotikë", "Наркотици", "Drugs", False,
     ["Narkotikët", "Posedimi i paautorizuar i narkotikëve", "Shitja e narkotikëve", "Narcotics",
      "Drug offence", "Opojne droge", "Narkotici"]),
    ("weapons", "Armë", "Оружје", "Weapons", False,
     ["Armët", "Mbajtja e paautorizuar e armëve", "Posedimi i paautorizuar i armëve",
      "Unauthorised possession of weapons", "Weapons offence", "Oružje", "Nedozvoljeno posedovanje oružja"]),
    ("public-order", "Rend publik", "Јавни ред и мир", "Public order", False,
     ["Prishja e rendit dhe qetësisë publike", "Rendi publik", "Breach of public order",
      "Disorderly conduct", "Javni red i mir", "Narušavanje javnog reda i mira"]),
    ("traffic-offence", "Kundërvajtje në trafik", "Саобраћајни прекршај", "Traffic offence", False,
     ["Rrezikimi i trafikut publik", "Aksident trafiku", "Endangering public traffic", "Traffic accident",
      "Ugrožavanje javnog saobraćaja", "Saobraćajna nesreća"]),
    ("homicide", "Vrasje", "Убиство", "Homicide", False,
     ["Vrasja", "Vrasje e rëndë", "Vrasja e rëndë", "Murder", "Aggravated murder", "Ubistvo",
      "Teško ubistvo"]),
    ("sexual-offence", "Vepër seksuale", "Сексуални деликт", "Sexual offence", False,
     ["Dhunimi", "Sulmi seksual", "Rape", "Sexual assault", "Silovanje", "Seksualni napad"]),
    ("other", "Tjetër", "Остало", "Other", False,
     ["Të tjera", "Ostalo", "Other offence"]),
]  # fmt: skip


def seed(category_model: type) -> None:
    """Create or refresh the seed categories (idempotent). Takes the model so
    that the data migration can pass its historical version."""
    for order, (code, sq, sr, en, is_property, aliases) in enumerate(CATEGORIES, start=1):
        category_model.objects.update_or_create(  # type: ignore[attr-defined]
            code=code,
            defaults={
                "name_sq": sq,
                "name_sr": sr,
                "name_en": en,
                "is_property": is_property,
                "aliases": list(aliases),
                "sort_order": order * 10,
            },
        )


def labels(code: str, names: Iterable[str], aliases: Iterable[str]) -> list[str]:
    """Every folded label a category answers to: its code (also with spaces
    for hyphens), its names and its aliases."""
    found = [fold(code), fold(code.replace("-", " "))]
    found += [fold(text) for text in (*names, *aliases) if text and text.strip()]
    return list(dict.fromkeys(found))
