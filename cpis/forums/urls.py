from django.urls import path

from . import views

app_name = "forums"
urlpatterns = [
    path("", views.forum_list, name="list"),
    path("new/", views.forum_create, name="create"),
    path("<int:forum_id>/", views.forum_detail, name="detail"),
    path("<int:forum_id>/edit/", views.forum_edit, name="edit"),
    path("<int:forum_id>/contacts/", views.forum_contacts, name="contacts"),
    path("<int:forum_id>/members/new/", views.member_create, name="member_create"),
    path("<int:forum_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("<int:forum_id>/tension/new/", views.tension_create, name="tension_create"),
    path("<int:forum_id>/trainers/new/", views.trainer_create, name="trainer_create"),
    path("<int:forum_id>/press/new/", views.release_create, name="release_create"),
    path("members/<int:member_id>/edit/", views.member_edit, name="member_edit"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/held/", views.meeting_record, name="meeting_record"),
    path("meetings/<int:meeting_id>/<str:action>/", views.meeting_act, name="meeting_act"),
    path("actions/", views.action_list, name="actions"),
    path("actions/<int:item_id>/done/", views.action_done, name="action_done"),
    path("sites/", views.site_list, name="sites"),
    path("sites/<int:site_id>/status/", views.site_status, name="site_status"),
    path("press/<int:release_id>/edit/", views.release_edit, name="release_edit"),
    path("press/<int:release_id>/publish/", views.release_publish, name="release_publish"),
    path("export/<str:what>.<str:fmt>", views.export, name="export"),
]
