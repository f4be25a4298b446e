"""The staff pages of the perception surveys; each area's patterns are in its own module."""

from . import collect, review

app_name = "surveys"
urlpatterns: list = []
urlpatterns += collect.urlpatterns
urlpatterns += review.urlpatterns
