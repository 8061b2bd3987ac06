"""The benchmark dataset builder (the demo ledger is tested with the whole demo, tests/foundation/test_seed_demo.py)."""

from rectification.models import Measure, Progress

S = Measure.Status


def test_the_benchmark_dataset_builder(db):
    from bench.data import build

    summary = build(measures=60, progress=240, seed=3)
    assert summary["measures"] == Measure.objects.count() == 60
    assert Progress.objects.count() == 240
    assert set(Measure.objects.values_list("status", flat=True)) >= {S.IN_PROGRESS, S.CLOSED}
    assert not Measure.objects.filter(status__in=Measure.DONE_STATUSES, completed_on__isnull=True).exists()
    again = build(measures=30, progress=50, seed=3)  # clears first
    assert again["measures"] == Measure.objects.count() == 30
