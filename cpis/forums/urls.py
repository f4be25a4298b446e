from django.urls import path

from .views import actions, exports, forums, meetings, members, releases, sites, tensions, trainers

app_name = "forums"
urlpatterns = [
    path("", forums.forum_list, name="list"),
    path("new/", forums.forum_create, name="create"),
    path("<int:forum_id>/", forums.forum_detail, name="detail"),
    path("<int:forum_id>/edit/", forums.forum_edit, name="edit"),
    path("<int:forum_id>/contacts/", forums.forum_contacts, name="contacts"),
    path("<int:forum_id>/members/new/", members.member_create, name="member_create"),
    path("<int:forum_id>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("<int:forum_id>/tension/new/", tensions.tension_create, name="tension_create"),
    path("<int:forum_id>/trainers/new/", trainers.trainer_create, name="trainer_create"),
    path("<int:forum_id>/press/new/", releases.release_create, name="release_create"),
    path("members/<int:member_id>/edit/", members.member_edit, name="member_edit"),
    path("meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/held/", meetings.meeting_record, name="meeting_record"),
    path("meetings/<int:meeting_id>/<str:action>/", meetings.meeting_act, name="meeting_act"),
    path("actions/", actions.action_list, name="actions"),
    path("actions/<int:item_id>/done/", actions.action_done, name="action_done"),
    path("sites/", sites.site_list, name="sites"),
    path("sites/<int:site_id>/status/", sites.site_status, name="site_status"),
    path("press/<int:release_id>/edit/", releases.release_edit, name="release_edit"),
    path("press/<int:release_id>/publish/", releases.release_publish, name="release_publish"),
    path("export/<str:what>.<str:fmt>", exports.export, name="export"),
]
