"""A team-store job counts as busy until its outcome reaches the window, not until its thread
has finished: the thread runs on a moment after sending the outcome, and a request made at once
on seeing it (Sync just after "Joined") was refused as "busy"."""

from __future__ import annotations

import threading

from csfacilitator.gui.team import jobs


def test_a_job_is_busy_until_its_outcome_arrives_not_until_its_thread_ends(qtbot):
    release = threading.Event()

    class LingeringJob(jobs.Job):
        """Sends its outcome, then is held before its thread can finish."""

        def run(self) -> None:
            super().run()
            release.wait(10)

    outcomes = []
    job = LingeringJob(lambda: "done")
    job.succeeded.connect(outcomes.append)
    job.start()
    qtbot.waitUntil(lambda: outcomes == ["done"], timeout=10000)
    assert job.isRunning()  # the thread runs on…
    assert not job.busy()  # …but a new request need not wait for it
    release.set()
    assert job.wait(10000)
    assert not job.busy()


def test_a_failed_job_is_not_busy_once_its_failure_arrives(qtbot):
    def work():
        raise ValueError("boom")

    failures = []
    job = jobs.Job(work)
    job.failed.connect(failures.append)
    with qtbot.waitSignal(job.finished, timeout=10000):
        job.start()
    qtbot.waitUntil(lambda: bool(failures), timeout=10000)
    assert not job.busy()
    assert failures == ["Unexpected error (ValueError); see the log."]
