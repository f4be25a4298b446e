"""The staff pages of problem solving; each area's patterns are in its own module."""

app_name = "problems"
urlpatterns: list = []
