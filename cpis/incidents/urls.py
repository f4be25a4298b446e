from django.urls import path

from . import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("categories/", views.category_list, name="categories"),
    path("import/", views.import_file, name="import"),
    path("import/<int:run_id>/", views.run_detail, name="run"),
    path("import/<int:run_id>/rejects.csv", views.rejects_file, name="rejects"),
]
