"""The concern categories the strategy names [2.3.4, 2.5, 3.4], as seed
data with their translations; administrators edit them afterwards."""

CATEGORIES = [
    # code, sq, sr, en, days to resolve, sensitive, description (sq, sr, en)
    ("public-order", "Rendi publik", "Јавни ред", "Public order", 14, False,
     ("Zhurmë, grindje, tubime, sjellje e rrezikshme në vende publike.",
      "Бука, свађе, окупљања, опасно понашање на јавним местима.",
      "Noise, fights, gatherings, dangerous behaviour in public places.")),
    ("traffic-safety", "Siguria në trafik", "Безбедност саобраћаја", "Traffic safety", 14, False,
     ("Shpejtësi, parkim i rrezikshëm, kryqëzime të rrezikshme, sinjalizim që mungon.",
      "Брзина, опасно паркирање, опасне раскрснице, сигнализација која недостаје.",
      "Speeding, dangerous parking, dangerous junctions, missing signs.")),
    ("narcotics", "Narkotikët", "Наркотици", "Narcotics", 21, False,
     ("Shitje ose përdorim i drogës, sidomos pranë shkollave.",
      "Продаја или употреба дроге, посебно близу школа.",
      "Dealing or use of drugs, especially near schools.")),
    ("weapons", "Armët", "Оружје", "Weapons", 7, False,
     ("Armë të paligjshme, të shtëna në ajër, municion i braktisur.",
      "Нелегално оружје, пуцњава у ваздух, напуштена муниција.",
      "Illegal weapons, celebratory gunfire, abandoned ammunition.")),
    ("domestic-violence", "Dhuna në familje", "Насиље у породици", "Domestic violence", 3, True,
     ("Dhunë ose kërcënime brenda familjes. Në rrezik të menjëhershëm thirrni 192.",
      "Насиље или претње у породици. У непосредној опасности позовите 192.",
      "Violence or threats within a family. In immediate danger call 192.")),
    ("property-crime", "Krime ndaj pronës", "Кривична дела против имовине", "Property crime", 21, False,
     ("Vjedhje, dëmtim prone, vjedhje automjetesh.",
      "Крађе, оштећење имовине, крађе возила.",
      "Theft, damage to property, vehicle theft.")),
    ("youth", "Të rinjtë", "Млади", "Youth", 21, False,
     ("Delikuencë e të miturve, mungesë sigurie rreth shkollave.",
      "Малолетничка деликвенција, небезбедност око школа.",
      "Juvenile delinquency, safety around schools.")),
    ("trafficking", "Trafikimi me njerëz", "Трговина људима", "Trafficking in persons", 3, True,
     ("Shenja të shfrytëzimit ose trafikimit të njerëzve.",
      "Знаци искоришћавања или трговине људима.",
      "Signs of exploitation or trafficking of people.")),
    ("illegal-logging", "Prerja ilegale e pyjeve", "Нелегална сеча шума", "Illegal logging", 30, False,
     ("Prerje ose transport i paligjshëm i drurëve.",
      "Нелегална сеча или превоз дрвета.",
      "Illegal felling or transport of timber.")),
    ("border-area", "Zona kufitare", "Гранично подручје", "Border area", 14, False,
     ("Kalime të paligjshme, kontrabandë, probleme të lëvizjes në zonën kufitare.",
      "Нелегални прелази, шверц, проблеми кретања у пограничном подручју.",
      "Illegal crossings, smuggling, movement problems in the border area.")),
    ("community-tension", "Tensione në bashkësi", "Тензије у заједници", "Community tension", 7, False,
     ("Incidente ndëretnike, gjuhë urrejtjeje, dëmtim i objekteve fetare.",
      "Међуетнички инциденти, говор мржње, оштећење верских објеката.",
      "Inter-ethnic incidents, hate speech, damage to religious sites.")),
    ("other", "Tjetër", "Остало", "Other", 21, False,
     ("Çdo shqetësim tjetër për sigurinë në bashkësinë tuaj.",
      "Свака друга забринутост за безбедност у вашој заједници.",
      "Any other concern about safety in your community.")),
]  # fmt: skip


def seed(category_model: type) -> None:
    """Create or refresh the seed categories (idempotent). Takes the model so
    that the data migration can pass its historical version."""
    for order, (code, sq, sr, en, days, sensitive, (dsq, dsr, den)) in enumerate(CATEGORIES, start=1):
        category_model.objects.update_or_create(  # type: ignore[attr-defined]
            code=code,
            defaults={
                "name_sq": sq,
                "name_sr": sr,
                "name_en": en,
                "due_days": days,
                "is_sensitive": sensitive,
                "description_sq": dsq,
                "description_sr": dsr,
                "description_en": den,
                "sort_order": order * 10,
            },
        )
