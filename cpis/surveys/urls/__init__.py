"""The staff pages of the perception surveys; each area's patterns are in its own module."""

from . import collect, exports, questionnaires, results, review, waves

app_name = "surveys"
urlpatterns: list = []
urlpatterns += results.urlpatterns
urlpatterns += questionnaires.urlpatterns
urlpatterns += waves.urlpatterns
urlpatterns += collect.urlpatterns
urlpatterns += review.urlpatterns
urlpatterns += exports.urlpatterns
