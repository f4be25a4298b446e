"""The staff pages of the perception surveys; each area's patterns are in its own module."""

from . import questionnaires, waves

app_name = "surveys"
urlpatterns: list = []
urlpatterns += questionnaires.urlpatterns
urlpatterns += waves.urlpatterns
