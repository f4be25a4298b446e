from django.urls import path

from ..views import writeup

urlpatterns = [
    path("<int:problem_id>/writeup.pdf", writeup.writeup, name="writeup"),
]
