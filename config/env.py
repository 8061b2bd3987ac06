"""Typed readers for environment variables.

Each helper returns a safe default when the variable is unset and raises
ImproperlyConfigured, naming the variable, when it is set to something unusable:
a typo in production must stop the process, not silently fall back.
"""

import os
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


# What S3Storage needs beyond the location: private objects, never overwritten, path-style
# addressing (an intranet object store has no wildcard DNS), and the bucket's own prefix.
_S3_DEFAULTS = {"default_acl": None, "file_overwrite": False, "querystring_auth": True, "addressing_style": "path"}


def s3_options(url: str) -> dict:
    """s3://ACCESS_KEY:SECRET@bucket/prefix?endpoint_url=https://obs.example&region_name=cn-north-1"""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ImproperlyConfigured(f"STORAGE_URL must look like s3://key:secret@bucket?endpoint_url=…, got {url!r}")
    options = {**_S3_DEFAULTS, "bucket_name": parts.hostname, "location": parts.path.strip("/")}
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    allowed = {"endpoint_url", "region_name", "addressing_style", "signature_version"}
    for key, value in parse_qsl(parts.query):
        if key not in allowed:
            raise ImproperlyConfigured(f"STORAGE_URL: unknown option {key!r} (known: {', '.join(sorted(allowed))})")
        options[key] = value
    return options


def s3_options_from_env() -> dict:
    """The usual variables (AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME,
    AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, which boto3 also reads itself); {} when unset."""
    bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return {}
    options = {**_S3_DEFAULTS, "bucket_name": bucket, "location": env_str("AWS_LOCATION")}
    for key, name in (("endpoint_url", "AWS_S3_ENDPOINT_URL"), ("region_name", "AWS_S3_REGION_NAME")):
        if env_str(name):
            options[key] = env_str(name)
    return options
