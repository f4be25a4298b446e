"""Warming the kernels as a worker starts: every kernel runs on synthetic events,
and a failure is logged, never raised into the worker."""

import logging

import pytest

from cpis.analytics.stats import warm


def test_warming_runs_the_kernels():
    assert warm.warm() > 0


def test_a_failed_warm_up_is_logged_and_the_worker_goes_on(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("no cache directory")

    from cpis.analytics.stats import hotspots

    monkeypatch.setattr(hotspots, "gi_star", broken)
    with caplog.at_level(logging.ERROR, logger="cpis.analytics.stats.warm"):
        warm.start().join(timeout=60)
    assert "Warming the analytics kernels failed" in caplog.text
    with pytest.raises(RuntimeError):
        warm.warm()
