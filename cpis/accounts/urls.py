from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("language/", views.set_language, name="set_language"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("second-factor/setup/", views.setup, name="second_factor_setup"),
    path("second-factor/app/", views.app_start, name="second_factor_app"),
    path("second-factor/app/confirm/", views.app_confirm, name="second_factor_app_confirm"),
    path("second-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("second-factor/<slug:kind>/<int:device_id>/remove/", views.remove, name="second_factor_remove"),
    path("passkeys/add/begin/", views.passkey_add_begin, name="passkey_add_begin"),
    path("passkeys/add/complete/", views.passkey_add_complete, name="passkey_add_complete"),
    path("passkeys/verify/begin/", views.passkey_verify_begin, name="passkey_verify_begin"),
    path("passkeys/verify/complete/", views.passkey_verify_complete, name="passkey_verify_complete"),
    path("passkeys/strings.js", views.script_catalogue, name="passkey_catalogue"),
]
