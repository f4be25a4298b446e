"""The staff pages of the perception surveys; each area's patterns are in its own module."""

from . import exports

app_name = "surveys"
urlpatterns: list = []
urlpatterns += exports.urlpatterns
