"""What every benchmark script shares: its own PostgreSQL database and a free port."""

import socket


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


def production_env(database: str, var_dir, **extra) -> dict:
    """The environment of a benchmark's server: the app as in production (DEBUG off), on plain
    HTTP at 127.0.0.1, with its own database and VAR_DIR, no Redis."""
    import os

    env = dict(
        os.environ,
        DATABASE_URL=database,
        VAR_DIR=str(var_dir),
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        **extra,
    )
    env.pop("REDIS_URL", None)
    return env


def publish(name: str, heading: str, result: dict, table: str, write_readme: bool):
    """Save bench/results/<name>.json, print the table and, if asked, put it in bench/README.md
    between the markers <!-- bench:<name>:start/end --> (a new section `heading` the first time)."""
    import json
    from pathlib import Path

    bench = Path(__file__).resolve().parent
    (bench / "results").mkdir(exist_ok=True)
    (bench / "results" / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(table)
    if not write_readme:
        return
    readme = bench / "README.md"
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    text = readme.read_text(encoding="utf-8")
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = f"{head}{start}\n{table}\n{end}{rest.split(end, 1)[1]}"
    else:
        text = text.rstrip("\n") + f"\n\n## {heading}\n\n{start}\n{table}\n{end}\n"
    readme.write_text(text, encoding="utf-8")
