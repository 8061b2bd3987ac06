"""Celery tasks that build reports: thin wrappers over reports.build and reports.services.

build_report is idempotent (the claim is a conditional UPDATE), so it runs with
acks_late: a worker killed mid-build leaves the message to be delivered again, and the
new delivery waits until the dead claim is stale, then takes it over. The time limits
(REPORT_SOFT_TIME_LIMIT, set on the task by CELERY_TASK_ANNOTATIONS in config.settings) stop a
runaway render; CELERY_WORKER_MAX_TASKS_PER_CHILD (settings) recycles the worker
process so WeasyPrint's memory does not grow across renders.
"""

from celery import shared_task

from . import build, services


@shared_task(
    name=services.BUILD_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=build.MAX_ATTEMPTS,
    ignore_result=True,
)
def build_report(self, report_id: int) -> str:
    outcome = build.build(report_id)
    if outcome is build.Outcome.WAIT:
        # Another worker holds a fresh claim (a duplicate delivery): look again once that
        # claim would be stale; by then it is done, or its worker died and we take over.
        raise self.retry(countdown=build.seconds_until_stale(report_id))
    return outcome.value


@shared_task(name="campaign.rescue_reports", ignore_result=True)
def rescue_reports() -> list[int]:
    """Every minute (config.schedule): requeue reports whose message or worker was lost
    (no heartbeat for REPORT_STALE_SECONDS) and remove report files no report owns."""
    return services.rescue_stale_reports()


@shared_task(name="campaign.monthly_report", ignore_result=True)
def monthly_report() -> int | None:
    """Daily (config.schedule): fail abandoned builds, and on the first working day of a
    month queue the previous month's report (once); the office is notified when it is built."""
    build.expire_stale()
    report = services.build_monthly_if_due()
    return report.pk if report else None
