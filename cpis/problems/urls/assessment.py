from django.urls import path

from ..views import assessment

urlpatterns = [
    path("<int:problem_id>/assessment/", assessment.assessment, name="assessment"),
]
