"""The staff pages of the perception surveys; each area's patterns are in its own module."""

from . import results

app_name = "surveys"
urlpatterns: list = []
urlpatterns += results.urlpatterns
