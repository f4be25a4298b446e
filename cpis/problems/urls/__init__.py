"""The staff pages of problem solving; each area's patterns are in its own module."""

from . import problems, scanning, vulnerable

app_name = "problems"
urlpatterns: list = []
urlpatterns += problems.urlpatterns
urlpatterns += scanning.urlpatterns
urlpatterns += vulnerable.urlpatterns
