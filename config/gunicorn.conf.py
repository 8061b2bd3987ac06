"""gunicorn's configuration for production, `make run` and the benchmarks: one place.

    gunicorn -c config/gunicorn.conf.py config.wsgi

Sized for the bureau's 2-core host (docs/deployment.md, bench/README.md "Load"): several
processes, so the CPU-bound work of one request (an .xlsx export of the filtered ledger
takes about a second) runs on the other core instead of queueing every page behind it; a few
threads in each, so a slow client upload or download holds a thread, not a whole process.
Every value can be overridden from the environment for a bigger host.
"""

import multiprocessing
import os
import time


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# 2 × cores processes: on 2 cores, 4. The pages are CPU-bound, so more processes than that
# add memory (about 120 MB each) and switching, not throughput.
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count())
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "gthread"
threads = _int("GUNICORN_THREADS", 4)
# An export of every measure or a 20 MB upload on a slow line must not be killed; a worker
# stuck for longer than this is.
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = 30
# An idle kept-alive connection waits in the worker's poller, not in a thread, so it costs
# little. Longer than any client's or the gateway's idle time (nginx upstream: 60 s): a
# server that closes first races the client's next request on that connection, which then
# fails (a load test at 5 s saw it on 1 % of the requests).
keepalive = 75
# A fresh process now and then bounds any slow growth in memory (openpyxl, WeasyPrint's
# fonts for the meeting records); the jitter keeps the workers from restarting together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = 200
# Django and the app are imported once, before forking: workers start fast and share pages.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# bench/load.py asks for each request's CPU time (its thread's, in the web process: what a
# request costs whatever else shares the machine) in GUNICORN_CPU_LOG, tagged by the
# X-Load-Group header its load generator sends. Off unless set.
_CPU_LOG = os.environ.get("GUNICORN_CPU_LOG")


def pre_request(worker, req):
    if _CPU_LOG:
        req.cpu_started = time.thread_time()


def post_request(worker, req, environ, resp):
    if _CPU_LOG and hasattr(req, "cpu_started"):
        group = environ.get("HTTP_X_LOAD_GROUP", "")
        cpu_ms = (time.thread_time() - req.cpu_started) * 1000
        with open(_CPU_LOG, "a", encoding="utf-8") as log:
            log.write(f"{time.time():.3f}\t{cpu_ms:.2f}\t{group}\n")
