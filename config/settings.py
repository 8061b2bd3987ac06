"""The project's one settings module, driven by environment variables.

With no variables at all it runs for development: DEBUG on, SQLite under var/,
Celery over kombu's filesystem transport (a real worker, no Redis server needed).
DATABASE_URL selects PostgreSQL, REDIS_URL selects Redis for Celery and the cache.
The README lists every variable.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_str, s3_options, s3_options_from_env
from .schedule import beat_schedule

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "config.admin_site.AdminConfig",  # django.contrib.admin, open to administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "core.third_party_apps.SimpleHistoryConfig",
    "core.third_party_apps.AxesConfig",
    "django_htmx",
    "core",
    "cadres",
    "rectification",
    "partybuilding",
    "campaign",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.StripNulMiddleware",
    "core.middleware.ReadableUploadNamesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes must come last: it turns a lockout into the response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "config.context.shell",
            ],
            # Template tags of the campaign's feature packages (Django looks for tag
            # libraries only in an app's top-level templatetags/ folder).
            "libraries": {"reminders": "campaign.reminders.templatetags"},
            # {% icon %} (the SVG sprite) in every template without a {% load %}.
            "builtins": ["core.templatetags.icons"],
        },
    },
    {
        # Hot fragments only (the ledger's table and filter bar, the compliance matrix),
        # embedded in Django pages: see config/jinja2.py. Their files sit under
        # templates/jinja2/ so that the template checks (CSP, translations) read them too.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "config.jinja2.environment", "auto_reload": DEBUG},
    },
]

# --- Database -------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    # Persistent connections: without them throughput falls to a quarter (485 vs 125 req/s measured).
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("CONN_MAX_AGE", 600),
            conn_health_checks=True,
        )
    }
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "nlzf"),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    # Above the longest task (a report build), so a slow task is not redelivered.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # A file cache is shared by the web server and the worker, unlike local memory.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }
    # kombu's filesystem transport; config/celery.py creates its folders when Celery starts.
    _queue = VAR_DIR / "celery-queue"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(VAR_DIR / "celery-processed"),
        "control_folder": str(VAR_DIR / "celery-control"),
        "store_processed": False,
    }

CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # background jobs are rows, not AsyncResults
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 20)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Resilience: with Redis down, a request that enqueues a task or reads the cache must
# fail fast and carry on (callers catch the broker error and log), never hang.
BROKER_TIMEOUT_SECONDS = env_int("BROKER_TIMEOUT_SECONDS", 2)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS
# The worker reconnects to the broker for as long as it takes (None: no limit) and then carries
# on; a web request that enqueues is not affected: it publishes with the retry policy below.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
        socket_timeout=env_int("BROKER_SOCKET_TIMEOUT_SECONDS", 10),
        retry_on_timeout=False,
    )
    # A cache that logs and carries on when Redis is unreachable (core/cache.py).
    CACHES["default"]["BACKEND"] = "core.cache.ResilientRedisCache"
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
        "socket_timeout": BROKER_TIMEOUT_SECONDS,
    }

# --- The daily reminder sweep (campaign/reminders/) ---------------------------------
# When beat starts the sweep (Asia/Shanghai); the whole static schedule is config/schedule.py.
REMINDER_HOUR = env_int("REMINDER_HOUR", 8)
REMINDER_MINUTE = env_int("REMINDER_MINUTE", 30)
CELERY_BEAT_SCHEDULE = beat_schedule(REMINDER_HOUR, REMINDER_MINUTE)
# The dashboard warns when no sweep has run this many minutes after REMINDER_HOUR:MINUTE on a working day.
REMINDER_GRACE_MINUTES = env_int("REMINDER_GRACE_MINUTES", 60)
# Sign-off requests waiting longer than this many working days remind the reviewer.
REMINDER_SIGNOFF_WAIT_WORKDAYS = env_int("REMINDER_SIGNOFF_WAIT_WORKDAYS", 2)
# 长期坚持 measures are due for a periodic progress report this many days after the last one.
REMINDER_LONG_TERM_REPORT_DAYS = env_int("REMINDER_LONG_TERM_REPORT_DAYS", 30)
# Digests not delivered (broker or SMTP down) are retried by later sweeps for this many days.
REMINDER_RETRY_DAYS = env_int("REMINDER_RETRY_DAYS", 7)
# The inbox text and the email list at most this many items per colour; the digest page lists all.
REMINDER_DIGEST_SECTION_LIMIT = env_int("REMINDER_DIGEST_SECTION_LIMIT", 30)
# The bureau's main leader (red escalations) until the leadership group names a 组长.
MAIN_LEADER_USERNAME = env_str("MAIN_LEADER_USERNAME")
# Absolute links in emails and robot messages.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# The bureau-wide group-chat robots (departments' robots are set by the office in the app).
WECOM_WEBHOOK_URL = env_str("WECOM_WEBHOOK_URL")
DINGTALK_WEBHOOK_URL = env_str("DINGTALK_WEBHOOK_URL")
DINGTALK_SECRET = env_str("DINGTALK_SECRET")
ROBOT_TIMEOUT_SECONDS = env_int("ROBOT_TIMEOUT_SECONDS", 10)
# Both robots take 20 messages a minute; 钉钉 blocks a robot for 10 minutes past that.
ROBOT_MESSAGES_PER_MINUTE = env_int("ROBOT_MESSAGES_PER_MINUTE", 20)

# --- Auth -------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address behind a proxy, and a throttle on one address failing across many
# usernames: core/security.py (settings TRUSTED_PROXIES and LOGIN_ADDRESS_FAILURE_LIMIT below).
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_HANDLER = "core.security.LoginThrottleHandler"
AXES_LOCKOUT_CALLABLE = "core.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- i18n -------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# The front-end packages (npm) are copied by `make install` into build/static/vendor/:
# only the files the pages load (Makefile, VENDOR).
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "build" / "static"]
# Stored files (evidence, reports, imports awaiting confirmation): the folder MEDIA_ROOT, or
# S3-compatible object storage (the 政务云's) when STORAGE_URL or AWS_STORAGE_BUCKET_NAME is
# set, so that several web hosts and workers share them. Either way a file has no public
# URL: the permission-checked views stream it.
STORAGE_URL = env_str("STORAGE_URL")
S3_OPTIONS = s3_options(STORAGE_URL) if STORAGE_URL else s3_options_from_env()
STORAGES = {
    "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_OPTIONS}
    if S3_OPTIONS
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files live outside the static root and have no URL: a permission-checked
# view serves each one.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# --- Email --------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "nlzf@bureau.local")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security (production) ----------------------------------------------------------
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Cookies only over HTTPS; SECURE_COOKIES=false only for plain HTTP on 127.0.0.1 (`make run`).
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- The bureau and its rules -------------------------------------------------------
BUREAU_NAME = env_str("BUREAU_NAME", "某某市某某局")
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo2026")

# 三色预警 thresholds, in calendar days before the deadline.
WARNING_GREEN_DAYS = env_int("WARNING_GREEN_DAYS", 20)
WARNING_YELLOW_DAYS = env_int("WARNING_YELLOW_DAYS", 10)
# "临期" on the ledger and dashboard: due within this many working days.
DUE_SOON_WORKDAYS = env_int("DUE_SOON_WORKDAYS", 3)
# The dashboard's figures are cached this many seconds (0: computed on every request);
# every write that changes a figure clears them at once anyway.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 60)
# Also keep the whole rendered page per browser session (false: only the figures).
DASHBOARD_PAGE_CACHE = env_bool("DASHBOARD_PAGE_CACHE", True)

# --- The monthly report (campaign/reports/) -------------------------------------------
# 主送机关 printed on the report; empty: the campaign's leadership group office.
REPORT_RECIPIENT = env_str("REPORT_RECIPIENT")
# Lists printed in the PDF stop at this many rows (the Excel ledger has every row).
REPORT_PDF_LIST_LIMIT = env_int("REPORT_PDF_LIST_LIMIT", 30)
# A build is stopped after this many seconds (Celery's soft limit; the hard one is a minute
# later); a claim older than that plus a minute belongs to a dead worker.
REPORT_SOFT_TIME_LIMIT = env_int("REPORT_SOFT_TIME_LIMIT", 900)
CELERY_TASK_ANNOTATIONS = {
    "campaign.build_report": {"soft_time_limit": REPORT_SOFT_TIME_LIMIT, "time_limit": REPORT_SOFT_TIME_LIMIT + 60}
}

EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 20) * 1024 * 1024
EVIDENCE_ALLOWED_TYPES = env_list("EVIDENCE_ALLOWED_TYPES", ["pdf", "docx", "doc", "xlsx", "xls", "jpg", "png"])
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 10) * 1024 * 1024
# An xlsx is a zip: its unpacked parts may not exceed this (a zip bomb is refused).
IMPORT_MAX_UNCOMPRESSED_BYTES = 10 * IMPORT_MAX_BYTES

# --- Party building (partybuilding/) ----------------------------------------------------
# The day of the month of the Party member activity day (主题党日); moved to the next
# working day of the calendar when it is a rest day.
PARTY_ACTIVITY_DAY = env_int("PARTY_ACTIVITY_DAY", 28)
# How often each obligation is due, in months (1 monthly, 3 quarterly, 12 yearly; a
# divisor of 12; 0: not required). Defaults: 中国共产党支部工作条例（试行） Art. 11–13 and local rules.
PARTY_OBLIGATION_MONTHS = {
    "general": env_int("PARTY_GENERAL_MEETING_MONTHS", 3),
    "committee": env_int("PARTY_COMMITTEE_MEETING_MONTHS", 1),
    "group": env_int("PARTY_GROUP_MEETING_MONTHS", 1),
    "lesson": env_int("PARTY_LESSON_MONTHS", 3),
    "secretary_lesson": env_int("PARTY_SECRETARY_LESSON_MONTHS", 12),
    "activity_day": env_int("PARTY_ACTIVITY_DAY_MONTHS", 1),
    "centre_study": env_int("PARTY_CENTRE_STUDY_MONTHS", 1),
    "life_meeting": env_int("PARTY_LIFE_MEETING_MONTHS", 12),
    "appraisal": env_int("PARTY_APPRAISAL_MONTHS", 12),
}
# QR sign-in is open from this many minutes before a meeting's start to this many after it.
PARTY_SIGNIN_OPEN_MINUTES = env_int("PARTY_SIGNIN_OPEN_MINUTES", 30)
PARTY_SIGNIN_CLOSE_MINUTES = env_int("PARTY_SIGNIN_CLOSE_MINUTES", 240)
# A member with no organisational life (attended or made up) for this many months is flagged (党章 Art. 9).
PARTY_INACTIVE_MONTHS = env_int("PARTY_INACTIVE_MONTHS", 6)
# Reminder leads in working days: the meeting notice, the activity day, obligations still missing.
PARTY_MEETING_NOTICE_WORKDAYS = env_int("PARTY_MEETING_NOTICE_WORKDAYS", 1)
PARTY_ACTIVITY_DAY_LEAD_WORKDAYS = env_int("PARTY_ACTIVITY_DAY_LEAD_WORKDAYS", 3)
PARTY_OBLIGATION_LEAD_WORKDAYS = env_int("PARTY_OBLIGATION_LEAD_WORKDAYS", 5)
# Meeting attachments (the sign-in sheet, photos: always optional).
PARTY_ATTACHMENT_MAX_BYTES = env_int("PARTY_ATTACHMENT_MAX_MB", 10) * 1024 * 1024

# --- Cadres (cadres/): rotation rules, young cadres, talks, reminders ---------------
# A middle-level cadre this many years in the same key post is due to rotate (应交流) ...
ROTATION_DUE_YEARS = env_int("ROTATION_DUE_YEARS", 5)
# ... and this many years in the same post (any post) must rotate (必须交流).
ROTATION_MUST_YEARS = env_int("ROTATION_MUST_YEARS", 10)
# Red flag 长期不交流: anyone this many years in one post.
ROTATION_LONG_STAY_YEARS = env_int("ROTATION_LONG_STAY_YEARS", 10)
# Red flag 交流过于频繁: this many moves within ROTATION_FREQUENT_MONTHS months.
ROTATION_FREQUENT_MOVES = env_int("ROTATION_FREQUENT_MOVES", 2)
ROTATION_FREQUENT_MONTHS = env_int("ROTATION_FREQUENT_MONTHS", 12)
# Exempt from rotation: within this many years of retirement age, or less than
# ROTATION_MIN_YEARS_IN_POST years in the current post.
ROTATION_RETIREMENT_MARGIN_YEARS = env_int("ROTATION_RETIREMENT_MARGIN_YEARS", 2)
ROTATION_MIN_YEARS_IN_POST = env_int("ROTATION_MIN_YEARS_IN_POST", 2)
RETIREMENT_AGE_MALE = env_int("RETIREMENT_AGE_MALE", 60)
RETIREMENT_AGE_FEMALE = env_int("RETIREMENT_AGE_FEMALE", 55)
# 任职回避: departments whose name contains one of these words count as 组织人事/纪检/审计/财务.
ROTATION_SENSITIVE_DEPARTMENT_WORDS = env_list(
    "ROTATION_SENSITIVE_DEPARTMENT_WORDS", ["组织", "人事", "纪检", "纪委", "监察", "审计", "财务"]
)
# 年轻干部: at most this old.
YOUNG_CADRE_MAX_AGE = env_int("YOUNG_CADRE_MAX_AGE", 35)
# Required talk pairs, each at least TALK_MIN_PER_YEAR times a year: leader_heads (each bureau
# leader with the heads of the departments they oversee), head_staff (each head with their
# department's people), branch_members (each branch secretary with the branch's members).
TALK_PAIR_RULES = env_list("TALK_PAIR_RULES", ["leader_heads", "head_staff", "branch_members"])
TALK_MIN_PER_YEAR = env_int("TALK_MIN_PER_YEAR", 1)
# Where branch_members reads the branches: a model with `secretary` (a cadre) and
# `departments` (the departments it covers); its members are the Party members there.
TALK_BRANCH_MODEL = env_str("TALK_BRANCH_MODEL", "partybuilding.Branch")
# Talk coverage gaps are reminded to the talkers from this month of the year on.
REMINDER_TALK_GAPS_FROM_MONTH = env_int("REMINDER_TALK_GAPS_FROM_MONTH", 10)
# A front-line placement ending within this many days is reminded to the personnel section.
REMINDER_PLACEMENT_END_DAYS = env_int("REMINDER_PLACEMENT_END_DAYS", 30)
# The annual risk review is reminded this many days before its due date.
REMINDER_RISK_REVIEW_LEAD_DAYS = env_int("REMINDER_RISK_REVIEW_LEAD_DAYS", 14)
# A deferral (暂缓交流) ending within this many days is reminded to the personnel section.
REMINDER_DEFERRAL_END_DAYS = env_int("REMINDER_DEFERRAL_END_DAYS", 30)

# --- Security and reliability (issue 13) -----------------------------------------------
# Content-Security-Policy on every response (django-csp): scripts, styles, fonts and images
# only from the app's own origin; no inline script or style, no eval. Bootstrap's CSS draws
# its small icons (select arrows, the menu button) as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Addresses (or networks, e.g. 10.0.0.0/8) of the reverse proxies in front of the app: only a
# request from one of them may name the client's address in X-Forwarded-For. Empty: the client
# is REMOTE_ADDR, whatever the headers say.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# Failed logins from one client address, across all usernames, within AXES_COOLOFF_MINUTES,
# after which that address may not log in until the cool-off has passed.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
# The language cookie is as safe as the session's: HTTPS only in production, never read by script.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
# A report build writes a heartbeat this often; a queued or running build whose heartbeat is
# older than REPORT_STALE_SECONDS is taken over by the next worker or offered for retry.
REPORT_HEARTBEAT_SECONDS = env_int("REPORT_HEARTBEAT_SECONDS", 15)
REPORT_STALE_SECONDS = env_int("REPORT_STALE_SECONDS", 120)
# An evidence file that is a zip (docx, xlsx) may unpack to at most this much.
EVIDENCE_MAX_UNCOMPRESSED_BYTES = env_int("EVIDENCE_MAX_UNCOMPRESSED_MB", 200) * 1024 * 1024
# Long text typed into a form (a measure's description, a problem, a note) is limited to this
# many characters; the form says so (core.forms.TextLimitsMixin).
TEXT_MAX_CHARS = env_int("TEXT_MAX_CHARS", 5000)
