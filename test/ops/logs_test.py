"""Structured logs against the journal (docs/logging.md). Every process runs with
WORKFLOW_LOG_FORMAT=json and WORKFLOW_LOG_LEVEL=debug: the workers, `wf serve` and the `wf`
commands write only JSON lines on stderr. One order goes through its life (its coupon step fails
for good, it waits for its approval, sleeps until woken up, its carrier step is retried twice),
and the lines about it tell the story its journal holds: one line per event that `wf runs events`
lists, in the journal's order, from the process that committed it (the order's worker, or the
`wf` command that started it, sent it its approval or woke it up), with the step, attempt and
error of each attempt `wf runs show`'s timeline holds."""
import json
import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from ops_fixture import OpsFixture  # noqa: E402

ORDER = {"id": "L-1", "email": "logs@example.com", "cents": 1200, "items": ["lamp"]}
TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
FIXTURE = None


def json_lines(text, source, command=False):
    """Every line of `text` as a JSON object with the keys every line has; fails on any other.
    `command`: the stderr of a wf command, whose own messages (`wf: run ... is pending ...`) are
    its output, not the runtime's log."""
    lines = []
    for line in text.splitlines():
        if command and line.startswith("wf: "):
            continue
        try:
            parsed = json.loads(line)
        except ValueError:
            raise AssertionError(f"{source}: not a JSON line: {line!r}") from None
        assert isinstance(parsed, dict), f"{source}: {line!r}"
        assert TS.match(parsed.get("ts", "")), f"{source}: ts {parsed.get('ts')!r}"
        assert parsed.get("level") in ("debug", "info", "warn", "error"), f"{source}: {line!r}"
        assert isinstance(parsed.get("msg"), str), f"{source}: {line!r}"
        lines.append(parsed)
    return lines


def attempt_of(event):
    """The step attempt an event records, if any."""
    if event["type"] in ("step_started", "step_retrying"):
        return event["data"]["attempt"]
    if event["type"] == "step_failed":
        return event["data"]["attempts"]
    return None


class LogsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        f = FIXTURE
        cls.command_lines = {}  # the wf commands that wrote to the run -> their lines
        code, out, err = f.wf("--json", "runs", "start", f.order_workflow, "--args", json.dumps([ORDER]))
        assert code == 0, err
        run_id = json.loads(out)["run"]["id"]
        cls.command_lines["start"] = json_lines(err, "wf runs start", command=True)
        f.wait_until(run_id, lambda run: run["status"] == "waiting"
                     and any(e["kind"] == "event" for e in run["timeline"]), "waited for its approval")
        code, _, err = f.wf("--json", "runs", "send-event", run_id, "approval", "--payload", '"erin"')
        assert code == 0, err
        cls.command_lines["send-event"] = json_lines(err, "wf runs send-event", command=True)
        f.wait_until(run_id, lambda run: any(e["kind"] == "sleep" for e in run["timeline"]), "slept")
        code, _, err = f.wf("--json", "runs", "wake-up", run_id)
        assert code == 0, err
        cls.command_lines["wake-up"] = json_lines(err, "wf runs wake-up", command=True)
        cls.shown = f.wait_until(run_id, lambda run: run["status"] == "completed", "completed", seconds=60)
        cls.run_id = run_id
        cls.events = f.wf_json("runs", "events", run_id)["events"]
        # A line is written just after its commit: the completion may be seen a moment before.
        worker = f.workers[1]
        for _ in range(200):
            with open(worker.stderr_path) as errors:
                cls.worker_lines = json_lines(errors.read(), "the orders worker")
            if any(line.get("run_id") == run_id and line.get("event") == "run_completed" for line in cls.worker_lines):
                break
            time.sleep(0.05)

    def of_run(self, lines):
        """The lines about the order's events (claims are in its record, not its journal)."""
        return [line for line in lines if line.get("run_id") == self.run_id
                and line.get("event") not in (None, "run_claimed", "run_taken_over")]

    def test_every_process_writes_only_json_lines(self):
        for process in FIXTURE.processes:  # the two workers and wf serve
            with open(process.stderr_path) as errors:
                json_lines(errors.read(), " ".join(process.args), command=process.args[0] == FIXTURE.wf_path)
        self.assertTrue(self.worker_lines, "the worker logged nothing")

    def test_the_lines_tell_the_journals_events_in_order(self):
        # Each process's lines, in the order it wrote them; each event of the journal must be the
        # next line of exactly one of them, and every line must be used.
        sources = {"worker": self.of_run(self.worker_lines)}
        sources.update({name: self.of_run(lines) for name, lines in self.command_lines.items()})
        committed_by = {}
        for event in self.events:
            expected = (event["type"], event["correlation_id"], event["step_name"], attempt_of(event))
            found = None
            for name, lines in sources.items():
                if lines:
                    line = lines[0]
                    if (line["event"], line.get("correlation_id", ""), line.get("step", ""),
                            line.get("attempt")) == expected:
                        found = name
                        break
            self.assertIsNotNone(found, f"no process logged event {event['id']} {expected} next; "
                                        f"next lines: { {n: l[:1] for n, l in sources.items()} }")
            line = sources[found].pop(0)
            self.assertEqual(line["workflow"], FIXTURE.order_workflow)
            self.assertEqual(line["run_attempt"], 1)
            committed_by[event["type"], event["correlation_id"]] = found
        self.assertEqual({name: lines for name, lines in sources.items() if lines}, {}, "lines of no event")
        # Who wrote what: each process logs what it committed.
        self.assertEqual(committed_by["run_created", ""], "start")
        self.assertEqual(committed_by["run_completed", ""], "worker")
        self.assertIn("send-event", committed_by.values())
        self.assertIn("wake-up", committed_by.values())

    def test_failed_attempts_match_the_timeline(self):
        failures = [line for line in self.of_run(self.worker_lines) if line["event"] in ("step_retrying", "step_failed")]
        from_timeline = []
        for entry in self.shown["timeline"]:
            for attempt in entry.get("attempts", []):
                if attempt["outcome"] in ("retrying", "failed"):
                    from_timeline.append((entry["name"], attempt["attempt"], attempt["error"], attempt["outcome"]))
        outcome = {"step_retrying": "retrying", "step_failed": "failed"}
        self.assertEqual([(line["step"], line["attempt"], line["error"], outcome[line["event"]]) for line in failures],
                         from_timeline)
        coupon, carrier = step("apply_coupon"), step("book_carrier")
        self.assertEqual([(s, a, o) for s, a, _, o in from_timeline],
                         [(coupon, 1, "failed"), (carrier, 1, "retrying"), (carrier, 2, "retrying")])
        for line in failures:
            self.assertEqual(line["level"], "warn")
            if line["event"] == "step_retrying":
                self.assertTrue(TS.match(line["retry_at"]), line)
            else:
                self.assertIs(line["fatal"], True)

    def test_the_worker_says_when_it_claimed_the_run(self):
        claims = [line for line in self.worker_lines
                  if line.get("run_id") == self.run_id and line.get("event") == "run_claimed"]
        # Claimed when started by wf, then again after its approval, its sleep and each retry.
        self.assertGreaterEqual(len(claims), 5, claims)
        for claim in claims:
            self.assertEqual(claim["level"], "info")
            self.assertEqual(claim["workflow"], FIXTURE.order_workflow)
            self.assertTrue(claim["worker"], claim)


def step(name):
    """The stable ID of the order-processing example's step `name`."""
    return FIXTURE.order_workflow.replace("process_order", name).replace("workflow//", "step//", 1)


if __name__ == "__main__":
    wf, report, orders, workdir = sys.argv[1:5]
    os.environ["WORKFLOW_LOG_FORMAT"] = "json"
    os.environ["WORKFLOW_LOG_LEVEL"] = "debug"
    FIXTURE = OpsFixture(wf, report, orders, workdir, separate_stderr=True)
    try:
        result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    finally:
        FIXTURE.close()
    sys.exit(0 if result.wasSuccessful() else 1)
