"""The staff pages of problem solving; each area's patterns are in its own module."""

from . import priorities

app_name = "problems"
urlpatterns: list = []
urlpatterns += priorities.urlpatterns
