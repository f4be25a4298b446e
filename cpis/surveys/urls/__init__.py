"""The staff pages of the perception surveys; each area's patterns are in its own module."""

app_name = "surveys"
urlpatterns: list = []
