"""The media topics the log starts with, as seed data with their translations;
the directorate keeps the list afterwards (admin)."""

from typing import Any

TOPICS = [
    # code, sq, sr, en
    ("community_policing", "Policimi në bashkësi", "Рад полиције у заједници", "Community policing"),
    (
        "forums",
        "Forumet e sigurisë në bashkësi",
        "Форуми за безбедност у заједници",
        "Community safety forums",
    ),
    ("traffic_safety", "Siguria në trafik", "Безбедност саобраћаја", "Traffic safety"),
    ("domestic_violence", "Dhuna në familje", "Насиље у породици", "Domestic violence"),
    ("drugs", "Narkotikët", "Наркотици", "Drugs"),
    (
        "misconduct",
        "Korrupsioni dhe sjellja e pahijshme",
        "Корупција и недолично понашање",
        "Corruption and misconduct",
    ),
    ("crime", "Krimi", "Криминал", "Crime"),
    ("events", "Ngjarjet dhe aktivitetet", "Догађаји и активности", "Events and activities"),
    ("other", "Tjetër", "Остало", "Other"),
]


def seed(topic_model: Any) -> None:
    """Put the topics in (a migration's historical model, or the model itself)."""
    for code, sq, sr, en in TOPICS:
        topic_model.objects.update_or_create(
            code=code, defaults={"name_sq": sq, "name_sr": sr, "name_en": en}
        )
