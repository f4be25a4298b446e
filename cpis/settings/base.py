"""Settings shared by every environment. Everything deployment-specific comes
from the environment (see the table in README.md)."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "cpis"


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "insecure-development-key-never-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_htmx",
    "template_partials",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # Second factors (before cpis.accounts, whose admin hides theirs).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "cpis.core",
    "cpis.accounts",
    "cpis.organisation",
    "cpis.notifications",
    "cpis.forums",
    "cpis.partners",
    "cpis.outreach",
    "cpis.training",
    "cpis.concerns",
    "cpis.complaints",
    "cpis.incidents",
    "cpis.surveys",
    "cpis.analytics",
    "cpis.problems",
    "cpis.reporting",
    "cpis.people",
    "cpis.appraisals",
    "cpis.media",
    "cpis.privacy",
    "cpis.plans",
    "cpis.portal",
    "cpis.open311",
    "cpis.alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cpis.core.middleware.ContentSecurityPolicyMiddleware",
    "cpis.core.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view reads the request (CSRF's check included), after the language is known.
    "cpis.core.middleware.RefuseNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cpis.organisation.middleware.ActorMiddleware",
    # After the actor: a session that still owes its second factor reaches public pages only.
    "cpis.accounts.middleware.SecondFactorMiddleware",
    # Refused attempts at records (404 outside one's places, 403 inside) go to the access log.
    "cpis.accounts.middleware.RefusalLogMiddleware",
    # Last, so that a locked-out login never reaches the view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cpis.urls"
WSGI_APPLICATION = "cpis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # The navigation bars of the staff pages: {% load navigation %}.
            "libraries": {"navigation": "cpis.navigation"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "cpis.core.context_processors.site",
                "cpis.navigation.main_menu",
            ],
        },
    },
]

# SQLite is the embedded default. IMMEDIATE transactions and a busy timeout
# keep concurrent writers from failing with "database is locked"
# (a deferred transaction that reads then writes ignores busy_timeout).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
}
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'cpis.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "organisation:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Lockout after repeated failures, keyed by username and client address.
# The client address is REMOTE_ADDR unless TRUSTED_PROXY_COUNT proxies sit in
# front: then the address that the nearest trusted proxy saw is used, so a
# client-supplied X-Forwarded-For entry cannot pick its own bucket.
_PROXIES = env("TRUSTED_PROXY_COUNT", "").strip()
TRUSTED_PROXY_COUNT = int(_PROXIES or "0")
# `check --deploy` warns until the operator says how many proxies sit in front
# (0 included): behind an undeclared proxy every citizen would share one address.
TRUSTED_PROXY_COUNT_DECLARED = bool(_PROXIES)
TRUSTED_PROXY_IPS = env_list("TRUSTED_PROXY_IPS")
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "cpis.core.http.client_ip"
AXES_VERBOSE = False

# Second factor for staff (ASVS 5.0 L2, V6; docs/decisions/0013): an authenticator app
# (TOTP), passkeys (WebAuthn) and ten recovery codes. Users who hold one of these roles
# must enrol at their first sign-in; by default every role that may read personal data
# (a reporter's or complainant's contact, a forum member's, a partner's, an officer's
# record). An empty MFA_REQUIRED_ROLES makes the second factor optional for everyone.
MFA_REQUIRED_ROLES = env_list(
    "MFA_REQUIRED_ROLES",
    "sector_leader,station_coordinator,station_commander,regional_coordinator,regional_director,"
    "directorate,strategy_coordinator,professional_standards,system_admin,data_protection_officer,safeguarding",
)
# Revealing a contact or opening a complaint asks for the second factor again when
# the last one is older than this.
MFA_FRESH_SECONDS = int(env("MFA_FRESH_MINUTES", "15")) * 60
# Wrong codes or passkeys lock a user out from one client address after
# LOGIN_FAILURE_LIMIT (axes, counted apart from passwords); across all addresses a
# user gets this many wrong attempts an hour.
MFA_FAILURES_PER_HOUR = int(env("MFA_FAILURES_PER_HOUR", "20"))
OTP_TOTP_ISSUER = env("MFA_ISSUER", "CPIS")
# django-otp's own per-device delays refuse even a right code for a while after a
# wrong one, without saying why; the lockout above replaces them.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# The personal-data access log (docs/decisions/0014). Reading the personal data of
# these record types needs a stated purpose; for others an unstated one is recorded
# as routine work. A purpose given for a record holds for PURPOSE_MINUTES.
SENSITIVE_RECORD_TYPES = env_list(
    "SENSITIVE_RECORD_TYPES", "complaints.complaint,concerns.concern,problems.vulnerableentry"
)
PURPOSE_SECONDS = int(env("PURPOSE_MINUTES", "30")) * 60
# The data-protection officer's alerts: more personal-data reads than this by one
# person within an hour, and this many refused attempts at records within an hour.
ACCESS_ALERT_READS_PER_HOUR = int(env("ACCESS_ALERT_READS_PER_HOUR", "60"))
ACCESS_ALERT_REFUSALS_PER_HOUR = int(env("ACCESS_ALERT_REFUSALS_PER_HOUR", "5"))

LANGUAGE_CODE = "sq"
LANGUAGES = [
    ("sq", _("Albanian")),
    ("sr", _("Serbian (Cyrillic)")),
    ("sr-latn", _("Serbian (Latin)")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["cpis.formats"]
LANGUAGE_COOKIE_NAME = "cpis_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Belgrade"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries arrive through npm (package-lock.json) and are
    # served from node_modules; nothing third-party is copied into the repo.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "cpis@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The outbox sends at most this many e-mails per calendar minute, whatever the number
# of workers (0: no limit); the rest wait for the next sweep (core.outbox). Set it to
# the mail provider's limit.
OUTBOX_RATE_PER_MINUTE = int(env("OUTBOX_RATE_PER_MINUTE", "120"))

# Map tiles for the public and staff maps. Empty: sectors are drawn on a
# plain background (used by the tests, which have no network).
MAP_TILE_URL = env("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors")

SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

NINJA_PAGINATION_MAX_LIMIT = 500

# Background work: the Django tasks API with the database backend (no
# broker); run `cpis db_worker` beside the web server.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Concerns: contact details of reporters are removed this long after the
# concern is closed (LED Art. 4(1)(e)).
CONCERN_CONTACT_RETENTION_DAYS = int(env("CONCERN_CONTACT_RETENTION_DAYS", "365"))
# The register of vulnerable persons [3.1.3]: an entry whose review date passed this
# many days ago without a review is erased by the daily retention job.
VULNERABLE_REVIEW_GRACE_DAYS = int(env("VULNERABLE_REVIEW_GRACE_DAYS", "30"))
# E-mail intake (`cpis mail_intake`): mail to this address becomes a concern.
MAIL_INTAKE_ADDRESS = env("MAIL_INTAKE_ADDRESS", "prijave@kosovopolice.com")

# Open311 GeoReport v2: this server's one jurisdiction and its changeset.
OPEN311_JURISDICTION = env("OPEN311_JURISDICTION", "kosovopolice.com")
OPEN311_CHANGESET = env("OPEN311_CHANGESET", "2026-11-22T00:00:00Z")

# Complaints against police: deadlines, in days from receipt, to acknowledge
# and to decide (set them to the statutory ones in force).
COMPLAINT_ACKNOWLEDGE_DAYS = int(env("COMPLAINT_ACKNOWLEDGE_DAYS", "3"))
COMPLAINT_DECISION_DAYS = int(env("COMPLAINT_DECISION_DAYS", "30"))

# Data-subject requests: the answer is due this many months after receipt (one month,
# the benchmark of GDPR Art. 12(3), with which Law No. 06/L-082 aligns; counsel to confirm).
SUBJECT_REQUEST_MONTHS = int(env("SUBJECT_REQUEST_MONTHS", "1"))

# The address staff open the site at, for links in e-mail.
SITE_URL = env("SITE_URL", "http://localhost:8000").rstrip("/")
# Passkeys are bound to this host name (the relying party) and accepted from
# SITE_URL's origin only: set SITE_URL to the address staff really use.
OTP_WEBAUTHN_RP_ID = urlsplit(SITE_URL).hostname or "localhost"
OTP_WEBAUTHN_RP_NAME = "CPIS"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"{urlsplit(SITE_URL).scheme}://{urlsplit(SITE_URL).netloc}"]
# A passkey is a second factor after the password, never a way round it.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Kosovo Police Day (month, day): the anniversary of 6 September 1999, when
# open-gate days are held [2.3.7].
PLANS_POLICE_DAY = (9, 6)
# Sector reports on forums and partners are due by this day of the following month [2.4.4].
REPORT_DUE_DAY = 5

# Proof of work on anonymous forms: the browser tries up to this many hashes
# (a fraction of a second on a phone).
POW_MAX_NUMBER = int(env("POW_MAX_NUMBER", "50000"))
# Anonymous submissions per client address per hour.
SUBMISSION_LIMIT_PER_HOUR = int(env("SUBMISSION_LIMIT_PER_HOUR", "20"))
# Alerts for citizens (cpis.alerts): an unconfirmed subscription and its link expire
# after this many days; an unsubscribed one is deleted this many days after; a circle's
# radius in metres lies between these bounds; confirmation mails per address per hour.
ALERTS_CONFIRM_DAYS = int(env("ALERTS_CONFIRM_DAYS", "7"))
ALERTS_UNSUBSCRIBED_KEEP_DAYS = int(env("ALERTS_UNSUBSCRIBED_KEEP_DAYS", "30"))
ALERTS_RADIUS_METRES = (200, 3000)
ALERTS_CONFIRMATIONS_PER_HOUR = int(env("ALERTS_CONFIRMATIONS_PER_HOUR", "3"))
# Uploaded photos may be this large.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
