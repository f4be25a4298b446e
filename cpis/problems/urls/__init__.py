"""The staff pages of problem solving; each area's patterns are in its own module."""

from . import priorities, summaries

app_name = "problems"
urlpatterns: list = []
urlpatterns += priorities.urlpatterns
urlpatterns += summaries.urlpatterns
