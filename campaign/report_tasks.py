"""Celery tasks that build reports: thin wrappers over campaign.services_reports.

build_report is idempotent (the claim is a conditional UPDATE), so it runs with
acks_late: a worker killed mid-build leaves the message to be delivered again, and the
new delivery waits until the dead claim is stale, then takes it over. The time limits
stop a runaway render; CELERY_WORKER_MAX_TASKS_PER_CHILD (settings) recycles the worker
process so WeasyPrint's memory does not grow across renders.
"""

from celery import shared_task

from . import services_reports


@shared_task(
    name="campaign.build_report",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=services_reports.SOFT_TIME_LIMIT,
    time_limit=services_reports.TIME_LIMIT,
    max_retries=services_reports.MAX_ATTEMPTS,
    ignore_result=True,
)
def build_report(self, report_id: int) -> str:
    outcome = services_reports.build(report_id)
    if outcome is services_reports.Outcome.WAIT:
        # Another worker holds a fresh claim (a duplicate delivery): look again once that
        # claim would be stale; by then it is done, or its worker died and we take over.
        raise self.retry(countdown=services_reports.seconds_until_stale(report_id))
    return outcome.value


@shared_task(name="campaign.monthly_report", ignore_result=True)
def monthly_report() -> int | None:
    """Daily (config.schedule): fail abandoned builds, and on the first working day of a
    month queue the previous month's report (once); the office is notified when it is built."""
    services_reports.expire_stale()
    report = services_reports.build_monthly_if_due()
    return report.pk if report else None
