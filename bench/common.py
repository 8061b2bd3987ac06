"""What every benchmark script shares: its own PostgreSQL database, a free port, waiting for a
server it started, and serving pages with gunicorn and timing them side by side with the
minimal logged-in page."""

import http.client
import os
import random
import socket
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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


# --- Serving pages and timing them side by side -------------------------------------------
# The ledger's method, shared by every page benchmark: gunicorn with sync workers, DEBUG off,
# persistent connections, sequential requests from one Python loop with the pages shuffled on
# every round so that the baseline (whoami) and the pages share the machine's conditions.

BASELINE = ("whoami (baseline)", "/accounts/whoami/")
SECRET = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def server_env(database: str, var_dir: str | Path, **extra) -> dict:
    """The environment of a benchmark's server: the app as in production (DEBUG off, persistent
    connections) on plain HTTP at 127.0.0.1, with its own database and VAR_DIR, no Redis
    (nothing cached between requests but what the app caches in process); `extra` overrides."""
    env = dict(
        os.environ,
        DATABASE_URL=database,
        VAR_DIR=str(var_dir),
        DEBUG="false",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        CONN_MAX_AGE="600",
    )
    env.update(extra)
    env.pop("REDIS_URL", None)
    return env


def fetch(port: int, path: str, cookie: str) -> float:
    """GET `path` with the session cookie header `cookie`; the seconds it took (200 or raise)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    if response.status != 200 or not body:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return elapsed


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def count_queries(pages, cookies: dict) -> tuple[dict, dict]:
    """Each page's SQL queries and HTML size, in process with the test client (Django set up).
    `pages` is [(label, user, path)], `cookies` {user: Client logged in}."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries, sizes = {}, {}
    for label, user, path in pages:
        client = cookies[user]
        client.get(path, HTTP_HOST="127.0.0.1")  # warm: per-process caches are not per request
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (path, response.status_code)
        queries[label], sizes[label] = len(ctx.captured_queries), len(response.content)
    return queries, sizes


def serve_and_time(env: dict, pages, cookies: dict, requests: int, workers: int = 2) -> dict:
    """Start gunicorn with `env`, warm it, then time every page `requests` times, interleaved in a
    shuffled order each round. `pages` is [(label, user, path)] with the baseline first;
    `cookies` {user: "name=value"}. Returns {label: [seconds]}."""
    port = free_port()
    command = [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    server = subprocess.Popen([*command, "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        _wait_until_up(port, pages[0][2], cookies[pages[0][1]])
        for _ in range(10):  # warm both workers: templates, translations, connections
            for _label, user, path in pages:
                fetch(port, path, cookies[user])
        samples = {label: [] for label, _user, _path in pages}
        rng = random.Random(1)
        for _ in range(requests):
            order = list(pages)
            rng.shuffle(order)
            for label, user, path in order:
                samples[label].append(fetch(port, path, cookies[user]))
    finally:
        server.terminate()
        server.wait(timeout=20)
    return samples


def _wait_until_up(port, path, cookie):
    deadline = time.time() + 30
    while True:
        try:
            fetch(port, path, cookie)
            return
        except (OSError, http.client.HTTPException, RuntimeError):
            if time.time() > deadline:
                raise
            time.sleep(0.3)


def summarise(pages, samples: dict, queries: dict, sizes: dict) -> list[dict]:
    """One row per page: median, p99, the median's ratio to the baseline's (the first page)."""
    base = statistics.median(samples[pages[0][0]])
    rows = []
    for label, _user, path in pages:
        median = statistics.median(samples[label])
        rows.append(
            {
                "page": label,
                "path": path,
                "median_ms": round(median * 1000, 2),
                "p99_ms": round(percentile(samples[label], 0.99) * 1000, 2),
                "ratio": round(median / base, 1),
                "queries": queries[label],
                "kb": round(sizes[label] / 1024, 1),
            }
        )
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| page | median ms | p99 ms | median ÷ whoami | SQL queries | HTML KB |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['page']} `{row['path']}` | {row['median_ms']:.1f} | {row['p99_ms']:.1f} | "
            f"{row['ratio']:.1f} | {row['queries']} | {row['kb']:.0f} |"
        )
    return "\n".join(lines)


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def write_readme_section(name: str, text: str):
    """Replace what lies between <!-- bench:NAME:start --> and <!-- bench:NAME:end --> in
    bench/README.md (the markers must be there)."""
    readme = ROOT / "bench" / "README.md"
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    head, rest = readme.read_text(encoding="utf-8").split(start, 1)
    _old, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{text}\n{end}{tail}", encoding="utf-8")
    print(f"wrote bench/README.md ({name})")


def publish(name: str, result: dict, text: str, write_readme: bool):
    """Save bench/results/<name>.json, print `text` and, if asked, put it in bench/README.md
    between the section's markers (write_readme_section)."""
    import json

    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / f"{name}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    print(text)
    if write_readme:
        write_readme_section(name, text)
