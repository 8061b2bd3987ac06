"""What every benchmark script shares: its own PostgreSQL database, a free port, and
waiting for a server it started."""

import socket
import time
import urllib.request


def ensure_database(url: str):
    """Create the benchmark's database named by `url` if it does not exist yet."""
    import psycopg

    name = url.rsplit("/", 1)[-1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    """Return once `url` answers (any status); exit after `seconds` without an answer."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"nothing answered on {url}")
