from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("feed/sector/<int:sector_id>/", views.sector_feed, name="sector_feed"),
    path("feed/circle/", views.circle_feed, name="circle_feed"),
]
