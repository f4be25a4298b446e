"""Every public page renders in all four languages, with the lang attribute
set and unit names in the viewer's language."""

import pytest
from django.conf import settings

EXPECTED = {
    # language: (lang attribute, the finder's heading)
    "sq": ("sq", "Gjeni ekipin e sektorit tuaj"),
    "sr": ("sr", "Пронађите тим свог сектора"),
    "sr-latn": ("sr-latn", "Pronađite tim svog sektora"),
    "en": ("en", "Find your sector team"),
}


@pytest.mark.parametrize("language", list(EXPECTED))
@pytest.mark.parametrize(
    "url", ["/", "/sector/", "/sector/?q=xx", "/sector/locate/?lat=42.55&lon=21.05", "/accounts/login/"]
)
def test_public_pages_render_in_every_language(tree, client, language, url):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    lang, heading = EXPECTED[language]
    assert f'<html lang="{lang}">' in page
    if url.startswith("/sector/"):
        assert heading in page


@pytest.mark.parametrize(
    ("language", "name"),
    [("sq", "Sektori A"), ("sr", "Сектор А"), ("sr-latn", "Sektor A"), ("en", "Sector A")],
)
def test_unit_names_follow_the_viewers_language(tree, client, language, name):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(f"/sectors/{tree.n1a.pk}/", follow=True).content.decode()
    assert name in page


def test_the_default_language_is_albanian(tree, client):
    page = client.get("/").content.decode()
    assert '<html lang="sq">' in page


def test_the_browser_language_is_honoured_until_the_visitor_chooses(tree, client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="sr").content.decode()
    assert '<html lang="sr">' in page
