"""The settings modes, each in a fresh interpreter with a controlled environment."""

import json
import os
import subprocess
import sys

from django.conf import settings as live_settings

PROBE = (
    "import json, django; from django.conf import settings as s; django.setup();"
    "print(json.dumps({'debug': s.DEBUG, 'engine': s.DATABASES['default']['ENGINE'],"
    "'conn_max_age': s.DATABASES['default'].get('CONN_MAX_AGE'), 'broker': s.CELERY_BROKER_URL,"
    "'cache': s.CACHES['default']['BACKEND'], 'tz': s.TIME_ZONE, 'lang': s.LANGUAGE_CODE, 'use_tz': s.USE_TZ}))"
)
KEEP = {"PATH", "HOME", "LANG", "VAR_DIR"}  # VAR_DIR: tests/settings.py's temporary folder, never var/


def clean_env(env: dict) -> dict:
    clean = {k: v for k, v in os.environ.items() if k in KEEP}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return clean


def run(env: dict, code: str = PROBE):
    clean = clean_env(env)
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, cwd=live_settings.BASE_DIR, capture_output=True, text=True
    )


def test_no_variables_means_development_with_sqlite_and_a_serverless_broker():
    result = run({})
    values = json.loads(result.stdout)
    assert values["debug"] is True
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["broker"] == "filesystem://"
    assert values["cache"].endswith("FileBasedCache")
    assert (values["tz"], values["lang"], values["use_tz"]) == ("Asia/Shanghai", "zh-hans", True)


def test_database_and_redis_urls_select_postgres_with_persistent_connections_and_redis():
    values = json.loads(run({"DATABASE_URL": "postgres://u@db:5432/x", "REDIS_URL": "redis://r:6379/1"}).stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["conn_max_age"] >= 60
    assert values["broker"] == "redis://r:6379/1"
    assert values["cache"].endswith("RedisCache")


def test_debug_off_requires_a_secret_key():
    result = run({"DEBUG": "false"})
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_bad_values_fail_loudly_naming_the_variable():
    result = run({"DEBUG": "maybe"})
    assert result.returncode != 0 and "DEBUG must be true or false" in result.stderr
    result = run({"EMAIL_PORT": "twenty-five"})
    assert result.returncode != 0 and "EMAIL_PORT must be an integer" in result.stderr
    result = run({"DATABASE_URL": "mysql://x@y/z"})
    assert result.returncode != 0


def test_check_deploy_is_clean_with_the_documented_production_variables():
    env = {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 60 + "-production-secret-key-for-the-check",
        "ALLOWED_HOSTS": "nlzf.bureau.local",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=clean_env(env),
        cwd=live_settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_importing_the_settings_creates_no_folders(tmp_path):
    var = tmp_path / "var"
    result = run({"VAR_DIR": str(var)}, "import config.settings as s; print(s.VAR_DIR)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(var) and not var.exists()


def test_the_test_run_keeps_out_of_the_development_var_folder():
    assert live_settings.VAR_DIR != live_settings.BASE_DIR / "var"
    assert not str(live_settings.CACHES["default"].get("LOCATION", "")).startswith(str(live_settings.BASE_DIR / "var"))


def test_the_admin_lists_permissions_in_chinese(db):
    from django.contrib.auth.models import Permission

    names = set(Permission.objects.filter(codename__in=["add_measure", "view_cadre"]).values_list("name", flat=True))
    assert names == {"可以添加整改措施", "可以查看干部"}
    assert not Permission.objects.filter(name__startswith="Can ").exclude(content_type__app_label="axes").exists()


def test_the_admin_names_third_party_apps_in_chinese():
    from django.apps import apps
    from django.utils import translation

    with translation.override("zh-hans"):
        assert str(apps.get_app_config("axes").verbose_name) == "登录锁定"
        assert str(apps.get_app_config("simple_history").verbose_name) == "变更记录"
