"""Prometheus metrics, read with Prometheus' own text-format semantics (Debian's
python3-prometheus-client parser): a worker's `/metrics` (Config::metrics_address) after an order
whose coupon step fails and whose carrier step is retried twice, and `wf serve`'s journal-wide
`/metrics`, which a bearer token guards like the API (docs/metrics.md)."""
import json
import os
import re
import signal
import sys
import time
import unittest
import urllib.error
import urllib.request

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    # Debian's python3-prometheus-client (scripts/dependencies.sh) is installed for Debian's own
    # python3; an interpreter of another installation (pyenv, a venv) finds it there too.
    sys.path.append("/usr/lib/python3/dist-packages")
    from prometheus_client.parser import text_string_to_metric_families

sys.path.insert(0, os.path.dirname(__file__))
from ops_fixture import OpsFixture  # noqa: E402

ORDER = {"id": "M-1", "email": "metrics@example.com", "cents": 900, "items": ["chair"]}
FIXTURE = None


def fixture():
    return FIXTURE


def scrape(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/plain"), response.headers["Content-Type"]
        return response.read().decode()


def families(text):
    """{family name: family}, and every sample as (name, labels, value)."""
    parsed = {family.name: family for family in text_string_to_metric_families(text)}
    samples = [(sample.name, sample.labels, sample.value) for family in parsed.values() for sample in family.samples]
    return parsed, samples


def value(samples, name, **labels):
    """The sample `name` whose labels include `labels`; None when there is none."""
    found = [v for n, l, v in samples if n == name and all(l.get(k) == w for k, w in labels.items())]
    assert len(found) <= 1, f"{name} {labels}: {len(found)} samples"
    return found[0] if found else None


class MetricsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        log = fixture().workers[1].log_path  # the order-processing worker
        for _ in range(200):
            with open(log) as output:
                found = re.search(r"metrics on (http://127\.0\.0\.1:\d+)/metrics", output.read())
            if found:
                cls.worker_metrics = found.group(1) + "/metrics"
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the worker did not say where its metrics are: " + open(log).read())
        # One order through its life: the coupon step fails (FatalError), the run waits for its
        # approval and sleeps (both ended from outside), then the carrier step fails twice and
        # succeeds on its third attempt.
        f = fixture()
        run_id = f.wf_json("runs", "start", f.order_workflow, "--args", json.dumps([ORDER]))["run"]["id"]
        f.wait_until(run_id, lambda run: run["status"] == "waiting"
                     and any(e["kind"] == "event" for e in run["timeline"]), "waited for its approval")
        f.wf_json("runs", "send-event", run_id, "approval", "--payload", '"dana"')
        f.wait_until(run_id, lambda run: any(e["kind"] == "sleep" for e in run["timeline"]), "slept")
        f.wf_json("runs", "wake-up", run_id)
        f.wait_until(run_id, lambda run: run["status"] == "completed", "completed", seconds=60)
        cls.run_id = run_id

    def test_a_workers_counters_follow_its_runs_steps_and_commits(self):
        order, coupon, carrier = (fixture().order_workflow, step("apply_coupon"), step("book_carrier"))
        parsed, samples = families(scrape(self.worker_metrics))
        # Types and names as Prometheus reads them (a counter's family drops `_total`).
        self.assertEqual(parsed["workflow_runs_started"].type, "counter")
        self.assertEqual(parsed["workflow_runs_finished"].type, "counter")
        self.assertEqual(parsed["workflow_step_duration_seconds"].type, "histogram")
        self.assertEqual(parsed["workflow_step_retries"].type, "counter")
        self.assertEqual(parsed["workflow_lease_takeovers"].type, "counter")
        self.assertEqual(parsed["workflow_journal_commit_duration_seconds"].type, "histogram")
        self.assertEqual(parsed["workflow_journal_commit_writes"].type, "histogram")
        self.assertEqual(parsed["workflow_replay_duration_seconds"].type, "histogram")

        self.assertEqual(value(samples, "workflow_runs_started_total", workflow=order), 1)
        self.assertEqual(value(samples, "workflow_runs_finished_total", workflow=order, status="completed"), 1)
        self.assertIsNone(value(samples, "workflow_runs_finished_total", workflow=order, status="failed"))
        # The failed coupon step: one attempt, outcome failed, and no retry.
        self.assertEqual(value(samples, "workflow_step_duration_seconds_count", step=coupon, outcome="failed"), 1)
        self.assertIsNone(value(samples, "workflow_step_retries_total", step=coupon))
        # The carrier step: two retries, then a completed attempt.
        self.assertEqual(value(samples, "workflow_step_retries_total", step=carrier), 2)
        self.assertEqual(value(samples, "workflow_step_duration_seconds_count", step=carrier, outcome="retrying"), 2)
        self.assertEqual(value(samples, "workflow_step_duration_seconds_count", step=carrier, outcome="completed"), 1)
        self.assertEqual(value(samples, "workflow_step_duration_seconds_bucket", step=carrier, outcome="completed",
                               le="+Inf"), 1)
        self.assertEqual(value(samples, "workflow_lease_takeovers_total"), 0)
        self.assertGreater(value(samples, "workflow_journal_commit_duration_seconds_count"), 0)
        self.assertGreaterEqual(value(samples, "workflow_journal_commit_writes_sum"),
                                value(samples, "workflow_journal_commit_writes_count"))
        # Resumed after its approval, its sleep and each retry: replayed every time.
        self.assertGreaterEqual(value(samples, "workflow_replay_duration_seconds_count", workflow=order), 3)

    def test_wf_serve_counts_the_journals_runs(self):
        f = fixture()
        order, report = f.order_workflow, f.report_workflow
        # A run waits for a worker while the report worker is stopped: the pending age grows.
        report_worker = f.workers[0]
        report_worker.send_signal(signal.SIGSTOP)
        try:
            f.wf_json("runs", "start", report, "--args", '[["emea"]]')
            time.sleep(0.3)
            parsed, samples = families(scrape(f.base_url + "/metrics"))
        finally:
            report_worker.send_signal(signal.SIGCONT)
        self.assertEqual(parsed["workflow_journal_runs"].type, "gauge")
        self.assertEqual(parsed["workflow_journal_oldest_due_pending_seconds"].type, "gauge")
        self.assertEqual(value(samples, "workflow_journal_runs", workflow=order, status="completed"), 1)
        self.assertIsNone(value(samples, "workflow_journal_runs", workflow=order, status="waiting"))
        self.assertEqual(value(samples, "workflow_journal_runs", workflow=report, status="pending"), 1)
        self.assertGreaterEqual(value(samples, "workflow_journal_oldest_due_pending_seconds", workflow=report), 0.3)
        self.assertIsNone(value(samples, "workflow_journal_oldest_due_pending_seconds", workflow=order))
        self.assertEqual(parsed["workflow_journal_size_bytes"].type, "gauge")
        self.assertGreater(value(samples, "workflow_journal_size_bytes"), 10_000)
        free = value(samples, "workflow_journal_free_bytes")
        if os.environ.get("WORKFLOW_TEST_BACKEND", "sqlite") == "sqlite":
            self.assertGreaterEqual(free, 0)
            self.assertLess(free, value(samples, "workflow_journal_size_bytes"))
        else:
            self.assertIsNone(free, "PostgreSQL does not say what autovacuum freed")

    def test_a_token_guards_the_metrics_like_the_api(self):
        env = dict(fixture().env, WORKFLOW_API_TOKEN="s3cret-token")
        _, base_url = fixture().start_server([], env=env)
        with self.assertRaises(urllib.error.HTTPError) as refused:
            scrape(base_url + "/metrics")
        self.assertEqual(refused.exception.code, 401)
        _, samples = families(scrape(base_url + "/metrics", {"Authorization": "Bearer s3cret-token"}))
        self.assertEqual(value(samples, "workflow_journal_runs", workflow=fixture().order_workflow,
                               status="completed"), 1)


def step(name):
    """The stable ID of the order-processing example's step `name`."""
    return fixture().order_workflow.replace("process_order", name).replace("workflow//", "step//", 1)


if __name__ == "__main__":
    wf, report, orders, workdir = sys.argv[1:5]
    os.environ["WORKFLOW_METRICS_ADDRESS"] = "127.0.0.1:0"
    FIXTURE = OpsFixture(wf, report, orders, workdir)
    try:
        result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    finally:
        FIXTURE.close()
    sys.exit(0 if result.wasSuccessful() else 1)
