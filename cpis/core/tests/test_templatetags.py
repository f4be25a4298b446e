"""The page tags: a title said once serves as the heading, and a component finds the
partials of the page that draws it, whole or one partial for htmx."""

from django.template import Context, Engine

TEMPLATES = {
    "layout.html": (
        "{% load pages %}<title>{% capture page_title %}{% block title %}{% endblock %}{% endcapture %}"
        "</title><h1>{{ page_title }}</h1>"
    ),
    "page.html": '{% extends "layout.html" %}{% block title %}Trainers{% endblock %}',
    "list.html": (
        '{% load pages partials %}{% partialdef rows inline %}[{% page_partial "row" %}]{% endpartialdef %}'
    ),
}


def _engine() -> Engine:
    return Engine(
        loaders=[("template_partials.loader.Loader", [("django.template.loaders.locmem.Loader", TEMPLATES)])],
        libraries={
            "pages": "cpis.core.templatetags.pages",
            "partials": "template_partials.templatetags.partials",
        },
    )


def test_the_title_is_drawn_where_it_stands_and_kept_for_the_heading():
    html = _engine().get_template("page.html").render(Context())
    assert html == "<title>Trainers</title><h1>Trainers</h1>"


def test_a_component_names_the_partial_of_the_page_whole_or_alone():
    engine = _engine()
    assert engine.get_template("list.html").render(Context()) == "[list.html#row]"
    assert engine.get_template("list.html#rows").render(Context()) == "[list.html#row]"
