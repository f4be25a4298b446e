"""The staff pages of problem solving; each area's patterns are in its own module."""

from . import activity, assessment, priorities, problems, sara, scanning, summaries, vulnerable, writeup

app_name = "problems"
urlpatterns: list = []
urlpatterns += problems.urlpatterns
urlpatterns += scanning.urlpatterns
urlpatterns += sara.urlpatterns
urlpatterns += priorities.urlpatterns
urlpatterns += summaries.urlpatterns
urlpatterns += vulnerable.urlpatterns
urlpatterns += assessment.urlpatterns
urlpatterns += writeup.urlpatterns
urlpatterns += activity.urlpatterns
