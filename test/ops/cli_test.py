"""Every `wf` command against a journal written by the example programs' workers: output (tables
and --json), exit codes, and bad input rejected with a clear message and nothing changed.
Usage: cli_test.py WF REPORT ORDER_PROCESSING WORKDIR"""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_fixture import fixture, setUpModule, tearDownModule  # noqa: E402,F401

ORDER = {"id": "C-1", "email": "cli@example.com", "cents": 1200, "items": ["lamp"]}



class CliTest(unittest.TestCase):
    def wf(self, *args):
        return fixture().wf(*args)

    def start_report(self, *regions):
        code, out, err = self.wf("runs", "start", fixture().report_workflow, "--args", json.dumps([list(regions)]))
        self.assertEqual(code, 0, err)
        return out.strip()

    def start_order(self, order_id):
        order = dict(ORDER, id=order_id)
        code, out, err = self.wf("runs", "start", fixture().order_workflow, "--args", json.dumps([order]))
        self.assertEqual(code, 0, err)
        run_id = out.strip()
        fixture().wait_until(run_id, lambda run: run["status"] == "waiting"
                           and any(e["kind"] == "event" for e in run["timeline"]), "waited for its approval")
        return run_id

    def journal_of(self, run_id):
        return fixture().wf_json("runs", "events", run_id)["events"]

    def test_schedules_create_show_pause_trigger_delete(self):
        f = fixture()
        code, out, err = f.wf("schedules", "create", "cli-nightly", f.report_workflow, "--spec", "30 2 * * *",
                              "--time-zone", "Europe/Berlin", "--args", '[["emea"]]', "--catch-up", "last")
        self.assertEqual(code, 0, err)
        self.assertTrue(out.startswith("created cli-nightly"), out)
        self.assertIn("cron '30 2 * * *' in Europe/Berlin", out)
        code, out, _ = f.wf("schedules", "create", "cli-nightly", f.report_workflow, "--spec", "30 2 * * *",
                            "--time-zone", "Europe/Berlin", "--args", '[["emea"]]', "--catch-up", "last")
        self.assertTrue(out.startswith("unchanged cli-nightly"), out)
        shown = f.wf_json("schedules", "show", "cli-nightly", "--count", "3")
        self.assertEqual(len(shown["next_fire_times"]), 3)
        self.assertEqual(shown["catch_up"], "last")
        self.assertEqual(f.wf("schedules", "pause", "cli-nightly")[0], 0)
        code, out, _ = f.wf("schedules", "list")
        self.assertRegex(out, r"cli-nightly\s+paused")
        code, out, err = f.wf("schedules", "trigger", "cli-nightly")
        self.assertEqual(code, 0, err)
        run_id = out.strip()
        self.assertTrue(run_id.startswith("sched-cli-nightly-") and run_id.endswith("-manual"), run_id)
        f.wait_until(run_id, lambda run: run["status"] == "completed", "completed")
        code, out, _ = f.wf("schedules", "show", "cli-nightly")
        self.assertIn(run_id + " (completed)", out)
        self.assertEqual(f.wf("schedules", "resume", "cli-nightly")[0], 0)
        code, _, err = f.wf("schedules", "create", "bad name", f.report_workflow, "--spec", "* * * * *")
        self.assertEqual(code, 2, err)
        code, _, err = f.wf("schedules", "create", "bad", f.report_workflow, "--spec", "* * * 13 *")
        self.assertEqual(code, 2, err)
        self.assertIn("13", err)
        self.assertEqual(f.wf("schedules", "delete", "cli-nightly")[0], 0)
        code, _, err = f.wf("schedules", "show", "cli-nightly")
        self.assertEqual(code, 3, err)
        self.assertIn("no schedule named 'cli-nightly'", err)

    def test_workflows_list_shows_each_registered_workflow(self):
        code, out, _ = self.wf("workflows", "list")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"reports::quarterly_report\s+workflow//")
        self.assertIn("shop::process_order", out)
        listed = fixture().wf_json("workflows", "list")["workflows"]
        # Each build is its own deployment; the replay test's second build is named by hand.
        self.assertTrue(all(w["deployment_id"].startswith("build-") or w["deployment_id"] == "orders-next"
                            for w in listed))

    def test_start_watch_show_events_and_tail_a_report(self):
        code, out, err = self.wf("runs", "start", fixture().report_workflow, "--args", '[["emea", "apac"]]')
        self.assertEqual(code, 0, err)
        run_id = out.strip()
        self.assertRegex(run_id, r"^wrun_[0-9A-Z]{26}$")
        # The note is there while the run is pending; a worker may have claimed it already (at once
        # on PostgreSQL, which notifies the workers of each commit).
        if err:
            self.assertIn("is pending: it starts when a worker of deployment", err)
        code, out, _ = self.wf("runs", "watch", run_id, "--interval", "20")
        self.assertEqual(code, 0, out)
        self.assertIn("completed", out)
        self.assertIn("total margin", out)

        shown = fixture().wf_json("runs", "show", run_id)
        self.assertEqual(shown["status"], "completed")
        self.assertEqual(shown["input"], [["emea", "apac"]])
        self.assertIn("total margin", shown["output"])
        steps = [entry for entry in shown["timeline"] if entry["kind"] == "step"]
        self.assertEqual([s["name"].split("//")[-1] for s in steps],
                         ["reports::fetch_sales", "reports::fetch_costs"] * 2 + ["reports::render_report"])
        for step in steps:
            self.assertEqual(step["status"], "completed")
            self.assertEqual(len(step["attempts"]), 1)
            self.assertGreaterEqual(step["duration_ms"], 0)
        self.assertGreaterEqual(steps[0]["duration_ms"], 150)  # the warehouse query sleeps 200 ms
        self.assertEqual(shown["streams"], [{"namespace": "progress", "length": 9, "closed": True}])

        code, out, _ = self.wf("runs", "show", run_id)
        self.assertEqual(code, 0)
        self.assertRegex(out, r"status\s+completed")
        self.assertRegex(out, r"step-1\s+step\s+reports::fetch_sales\s+completed\s+1")

        events = self.journal_of(run_id)
        self.assertEqual(events[0]["type"], "run_created")
        self.assertEqual(events[-1]["type"], "run_completed")
        code, out, _ = self.wf("runs", "events", run_id)
        self.assertEqual(code, 0)
        self.assertRegex(out, r"step_completed\s+step-1")

        code, out, _ = self.wf("runs", "tail", run_id, "--namespace", "progress")
        self.assertEqual(code, 0)
        self.assertEqual(out.splitlines()[0], "emea: querying the sales warehouse")
        self.assertEqual(out.splitlines()[-1], "rendering the report")
        code, out, _ = self.wf("--json", "runs", "tail", run_id, "--namespace", "progress", "--start-index", "-2")
        self.assertEqual([json.loads(line)["index"] for line in out.splitlines()], [7, 8])

    def test_tail_follows_a_stream_live_until_the_run_ends(self):
        run_id = self.start_report("north", "south", "east")
        code, out, _ = self.wf("runs", "tail", run_id, "--namespace", "progress")
        self.assertEqual(code, 0)
        self.assertEqual(len(out.splitlines()), 13)  # four lines per region, then the rendering line
        self.assertEqual(fixture().wf_json("runs", "show", run_id)["status"], "completed")

    def test_runs_list_filters_and_pages(self):
        ids = [self.start_report(f"r{i}") for i in range(3)]
        for run_id in ids:
            self.assertEqual(self.wf("runs", "watch", run_id, "--interval", "20")[0], 0)
        page = fixture().wf_json("runs", "list", "--workflow", fixture().report_workflow, "--limit", "2")
        self.assertEqual([run["id"] for run in page["runs"]], [ids[2], ids[1]])
        self.assertIsNotNone(page["next_cursor"])
        rest = fixture().wf_json("runs", "list", "--workflow", fixture().report_workflow, "--limit", "2",
                               "--cursor", page["next_cursor"])
        self.assertEqual(rest["runs"][0]["id"], ids[0])
        completed = fixture().wf_json("runs", "list", "--status", "completed", "--limit", "1000")["runs"]
        self.assertTrue(set(ids) <= {run["id"] for run in completed})
        self.assertTrue(all(run["status"] == "completed" for run in completed))
        self.assertEqual(fixture().wf_json("runs", "list", "--since", "2099-01-01T00:00:00Z")["runs"], [])
        recent = fixture().wf_json("runs", "list", "--since", "10m", "--limit", "1000")["runs"]
        self.assertTrue(set(ids) <= {run["id"] for run in recent})
        code, out, _ = self.wf("runs", "list", "--workflow", fixture().report_workflow, "--limit", "1")
        self.assertEqual(code, 0)
        self.assertIn("more: --cursor " + ids[2], out)

    def test_lifecycle_of_an_order_pause_resume_event_wake_up(self):
        run_id = self.start_order("C-100")
        code, out, _ = self.wf("runs", "pause", run_id)
        self.assertEqual((code, out.strip()), (0, f"{run_id} paused"))
        self.assertEqual(self.wf("runs", "pause", run_id)[0], 0)  # pausing a paused run does nothing
        code, out, _ = self.wf("runs", "resume", run_id)
        self.assertEqual(code, 0, out)
        code, _, err = self.wf("runs", "resume", run_id)
        self.assertEqual(code, 4)
        self.assertIn(f"run {run_id} cannot be resumed", err)

        code, out, err = self.wf("runs", "send-event", run_id, "approval", "--payload", '"carol"')
        self.assertEqual(code, 0, err)
        fixture().wait_until(run_id, lambda run: any(e["kind"] == "sleep" for e in run["timeline"]), "began its sleep")
        code, out, _ = self.wf("runs", "wake-up", run_id, "--correlation-id", "wait-404")
        self.assertEqual((code, out.strip()), (0, f"{run_id}: 0 sleep(s) ended"))
        code, out, _ = self.wf("--json", "runs", "wake-up", run_id)
        self.assertEqual((code, json.loads(out)["woken"]), (0, 1))
        code, out, _ = self.wf("runs", "watch", run_id, "--interval", "20")
        self.assertEqual(code, 0, out)
        shown = fixture().wf_json("runs", "show", run_id)
        self.assertEqual(shown["output"]["approved_by"], "carol")
        carrier = [e for e in shown["timeline"] if e["name"].endswith("book_carrier")][0]
        self.assertEqual([a["outcome"] for a in carrier["attempts"]], ["retrying", "retrying", "completed"])
        coupon = [e for e in shown["timeline"] if e["name"].endswith("apply_coupon")][0]
        self.assertEqual(coupon["status"], "failed")
        self.assertIn("SPRING", coupon["attempts"][0]["error"])

        code, _, err = self.wf("runs", "cancel", run_id)
        self.assertEqual(code, 4)
        self.assertIn("already completed", err)

    def test_start_batch_from_a_file_and_stdin(self):
        runs = [{"args": [dict(ORDER, id="C-b1")]}, {"args": [dict(ORDER, id="C-b2")], "id": "cli-batch-2"}]
        path = os.path.join(fixture().workdir, "batch.json")
        with open(path, "w") as file:
            json.dump(runs, file)
        code, out, err = self.wf("runs", "start-batch", fixture().order_workflow, "--runs", path)
        self.assertEqual(code, 0, err)
        ids = out.split()
        self.assertEqual((len(ids), ids[1]), (2, "cli-batch-2"))
        code, out, err = fixture().wf("--json", "runs", "start-batch", fixture().order_workflow, "--runs", "-",
                                      input=json.dumps(runs[1:]))
        self.assertEqual((code, json.loads(out)["run_ids"]), (0, ["cli-batch-2"]), err)
        code, _, err = self.wf("runs", "start-batch", fixture().order_workflow, "--runs", path + ".missing")
        self.assertEqual(code, 2)
        self.assertIn("cannot read", err)
        for run_id in ids:
            self.wf("runs", "cancel", run_id)

    def test_queued_orders_wait_with_their_position(self):
        code, out, err = self.wf("queues", "list")
        self.assertEqual(code, 0, err)
        self.assertRegex(out, r"orders\s+1\s+-\s+-\s+-")
        def start(order_id, priority):
            code, out, err = self.wf("runs", "start", fixture().order_workflow, "--args",
                                     json.dumps([dict(ORDER, id=order_id)]), "--queue", "orders",
                                     "--deduplication-id", order_id, "--priority", priority)
            self.assertEqual(code, 0, err)
            return out.strip()
        # The first takes the queue's one slot and holds it while it waits for its approval. The
        # others start only then: Q-3 (priority 1) started with it could take the slot first.
        first = start("Q-1", "2")
        fixture().wait_until(first, lambda run: run["status"] == "waiting", "took the slot")
        second, third = start("Q-2", "2"), start("Q-3", "1")
        started = [first, second, third]
        # Q-3 goes next (priority 1).
        shown = fixture().wf_json("runs", "show", third)
        self.assertEqual((shown["status"], shown["queue"], shown["position"]), ("pending", "orders", 1))
        self.assertEqual(fixture().wf_json("runs", "show", second)["position"], 2)
        code, out, _ = self.wf("runs", "show", second)
        self.assertIn("queue      orders #2", out)
        code, out, _ = self.wf("runs", "list", "--limit", "5")
        self.assertRegex(out, re.escape(third) + r".*pending\s+orders #1")
        queue = fixture().wf_json("queues", "show", "orders")
        self.assertEqual((queue["concurrency"], queue["waiting"], queue["active"]), (1, 2, 1))
        # A second start with Q-2's deduplication ID returns Q-2's run while it is unfinished.
        code, out, err = self.wf("runs", "start", fixture().order_workflow, "--args",
                                 json.dumps([dict(ORDER, id="Q-2b")]), "--queue", "orders", "--deduplication-id", "Q-2")
        self.assertEqual((code, out.strip()), (0, second), err)
        code, _, err = self.wf("runs", "start", fixture().order_workflow, "--queue", "nowhere")
        self.assertNotEqual(code, 0)
        self.assertIn("queue 'nowhere' is not declared", err)
        code, _, err = self.wf("queues", "show", "nowhere")
        self.assertEqual(code, 3, err)
        # Cancelling the first frees the slot: the next by priority is dequeued.
        self.wf("runs", "cancel", first)
        fixture().wait_until(third, lambda run: run["position"] is None and run["status"] != "pending", "left the queue")
        for run_id in started:
            self.wf("runs", "cancel", run_id)

    def embedded_wf(self, *args, env=None):
        """`order_processing wf ...`: wf with the example's workflow code (docs/versioning.md)."""
        done = subprocess.run([fixture().orders, "wf"] + list(args), env=env or fixture().env, capture_output=True,
                              text=True, timeout=120)
        return done.returncode, done.stdout, done.stderr

    def test_replay_and_upgrade_through_a_binary_with_the_workflow_code(self):
        run_id = self.start_order("C-300")
        code, out, err = self.embedded_wf("runs", "replay", run_id)
        self.assertEqual(code, 0, err)
        self.assertIn("compatible", out)
        self.assertIn("1 compatible, 0 incompatible, 0 unchecked", out)
        code, out, err = self.embedded_wf("--json", "runs", "replay", "--unfinished", "--workflow", fixture().order_workflow)
        self.assertEqual(code, 0, err)
        report = json.loads(out)
        mine = [run for run in report["runs"] if run["run_id"] == run_id][0]
        self.assertEqual((mine["verdict"], mine["divergence"]), ("compatible", None))
        self.assertGreaterEqual(mine["calls_replayed"], 3)  # charge, reserve, coupon, then the wait

        # The standalone wf has no workflow code: nothing is checked, it says why, and a deploy
        # script does not take that for a yes.
        code, out, err = self.wf("--json", "runs", "replay", run_id)
        self.assertEqual(code, 8, err)
        self.assertEqual(json.loads(out)["runs"][0]["verdict"], "unchecked")
        self.assertIn("is not in this binary", json.loads(out)["runs"][0]["message"])
        old = fixture().wf_json("runs", "show", run_id)["deployment_id"]
        code, _, err = self.wf("runs", "upgrade", "--from", old)
        self.assertEqual(code, 2)
        self.assertIn("run the upgrade from a binary of", err)

        # A new build of the example (another deployment ID) adopts the run its code replays.
        newer = dict(fixture().env, WORKFLOW_DEPLOYMENT_ID="orders-next")
        code, out, err = self.embedded_wf("runs", "upgrade", "--from", old, "--to", "orders-next", "--dry-run",
                                          env=newer)
        self.assertEqual(code, 0, err)
        self.assertIn(f"would move   {run_id}", out)
        self.assertEqual(fixture().wf_json("runs", "show", run_id)["deployment_id"], old)
        code, out, err = self.embedded_wf("--json", "runs", "upgrade", "--from", old, "--to", "orders-next",
                                          "--workflow", fixture().order_workflow, env=newer)
        self.assertIn(code, (0, 8), err)  # other tests' runs may be executing right now and stay
        moved = [run for run in json.loads(out)["runs"] if run["run_id"] == run_id][0]
        self.assertTrue(moved["moved"], moved["reason"])
        self.assertEqual(fixture().wf_json("runs", "show", run_id)["deployment_id"], "orders-next")
        self.assertEqual(self.journal_of(run_id)[-1]["type"], "run_upgraded")

        fixture().spawn([fixture().orders, "worker"], "orders-next-worker", env=newer)
        self.assertEqual(self.wf("runs", "send-event", run_id, "approval", "--payload", '"dana"')[0], 0)
        fixture().wait_until(run_id, lambda run: any(e["kind"] == "sleep" for e in run["timeline"]), "began its sleep")
        self.assertEqual(self.wf("runs", "wake-up", run_id)[0], 0)
        code, out, _ = self.wf("runs", "watch", run_id, "--interval", "20")
        self.assertEqual(code, 0, out)
        self.assertEqual(fixture().wf_json("runs", "show", run_id)["output"]["approved_by"], "dana")

    def test_cancel_restart_and_watch_exit_codes(self):
        run_id = self.start_order("C-200")
        code, out, _ = self.wf("runs", "cancel", run_id)
        self.assertEqual((code, out.strip()), (0, f"{run_id} cancelled"))
        self.assertEqual(self.wf("runs", "watch", run_id)[0], 7)
        code, _, err = self.wf("runs", "pause", run_id)
        self.assertEqual(code, 4)
        self.assertIn("cannot be paused", err)
        before = self.journal_of(run_id)
        code, _, err = self.wf("runs", "send-event", run_id, "approval", "--payload", '"late"')
        self.assertEqual(code, 4)
        self.assertEqual(self.journal_of(run_id), before)
        code, out, _ = self.wf("runs", "restart", run_id)
        self.assertEqual(code, 0, out)
        run = fixture().wait_until(run_id, lambda run: run["status"] == "waiting"
                                 and any(e["correlation_id"].startswith("a2/hook") for e in run["timeline"]),
                                 "waited again in its second attempt")
        self.assertTrue(any(e["correlation_id"] == "step-1" for e in run["timeline"]))  # the old attempt is kept
        self.assertEqual(self.wf("runs", "cancel", run_id)[0], 0)

    def test_bad_input_is_rejected_with_a_clear_message_and_changes_nothing(self):
        run_id = self.start_order("C-300")
        before = self.journal_of(run_id)
        runs_before = fixture().wf_json("runs", "list", "--limit", "1000")
        cases = [
            (("runs", "show", "wrun_nope"), 3, "no run with ID 'wrun_nope'"),
            (("runs", "show", "x' OR '1'='1"), 3, "no run with ID 'x' OR '1'='1'"),
            (("runs", "cancel", "'; DELETE FROM runs; --"), 3, "no run with ID"),
            (("runs", "list", "--status", "done"), 2, "unknown status 'done'"),
            (("runs", "list", "--since", "yesterday"), 2, "'since' is 'yesterday'"),
            (("runs", "list", "--limit", "0"), 2, "give a number from 1 to 1000"),
            (("runs", "list", "--cursor", "wrun_nope"), 2, "unknown cursor"),
            (("runs", "start", fixture().order_workflow, "--args", "[{"), 2, "--args is not valid JSON"),
            (("runs", "start", fixture().order_workflow, "--args", "[1e999]"), 2, "number 1e999 is out of range"),
            (("runs", "start", fixture().order_workflow, "--args", "[" * 50000 + "]" * 50000), 2,
             "--args is refused: JSON nested deeper than 512 arrays and objects"),
            (("runs", "send-event", run_id, "approval", "--payload", "[" * 50000 + "]" * 50000), 2,
             "--payload is refused: JSON nested deeper than 512"),
            (("runs", "start", "workflow//./nowhere//f"), 3, "no deployment has registered workflow"),
            (("runs", "send-event", run_id, "approval", "--payload", "{oops"), 2, "--payload is not valid JSON"),
            (("runs", "send-event", "wrun_nope", "approval"), 3, "no run with ID 'wrun_nope'"),
            (("runs", "wake-up", run_id, "--correlation-id", ""), 2, "a correlation ID must not be empty"),
            (("runs", "show", "a\x01b"), 2, "must not contain control characters"),
            (("runs", "show", "x" * 300), 2, "longer than 256 bytes"),
            (("runs", "frobnicate", run_id), 2, "unknown command 'wf runs frobnicate'"),
            (("runs", "show"), 2, "run-id is required"),
            (("runs", "show", "\udcff"), 2, "not valid UTF-8"),
            (("runs", "start", fixture().order_workflow, "--id", "has space"), 2, "contains whitespace"),
            (("runs", "start", fixture().order_workflow, "--deployment", "build-x"), 3,
             "deployment build-x has not registered workflow"),
        ]
        for args, expected_code, message in cases:
            with self.subTest(args=args):
                code, out, err = self.wf(*args)
                self.assertEqual(code, expected_code, err)
                self.assertIn(message, err + out)
        code, out, err = self.wf("--json", "runs", "show", "wrun_nope")
        self.assertEqual(json.loads(out)["error"]["code"], "not_found")
        self.assertEqual(self.journal_of(run_id), before)
        self.assertEqual(fixture().wf_json("runs", "list", "--limit", "1000"), runs_before)
        self.assertEqual(fixture().wf_json("runs", "list", "--workflow", "'; DROP TABLE runs; --")["runs"], [])
        self.assertEqual(self.wf("runs", "cancel", run_id)[0], 0)

    def test_serve_refuses_a_public_address_without_a_token(self):
        code, _, err = self.wf("serve", "--listen", "0.0.0.0:0")
        self.assertEqual(code, 2)
        self.assertIn("give a bearer token", err)

    def test_serve_refuses_bad_listen_addresses_and_limits(self):
        for args, message in [(("--listen", "127.0.0.1:8080x"), "the port must be a number"),
                              (("--listen", "127.0.0.1"), "no port"),
                              (("--listen", "::1:8080"), "in brackets"),
                              (("--listen", "[::1]:65536"), "from 0 to 65535"),
                              (("--max-body", "-1"), "--max-body"),
                              (("--request-timeout", "0"), "--request-timeout"),
                              (("--token-file", "/nonexistent/token"), "cannot read '/nonexistent/token'")]:
            with self.subTest(args=args):
                code, _, err = self.wf("serve", *args)
                self.assertEqual(code, 2, err)
                self.assertIn(message, err)

    def serve_and_wait(self, args, pattern, env=None):
        """Starts wf serve with `args`; returns the process and the base URL it reports."""
        import re
        import time
        process = fixture().spawn([fixture().wf_path, "serve"] + args, f"serve-cli-{len(fixture().processes)}",
                                  env=env or fixture().env)
        for _ in range(200):
            with open(process.log_path) as log:
                found = re.search(pattern, log.read())
            if found:
                return process, found.group(1)
            self.assertIsNone(process.poll(), open(process.log_path).read())
            time.sleep(0.05)
        self.fail("wf serve did not report its address")

    def test_serve_listens_on_bracketed_ipv6(self):
        import urllib.request
        process, url = self.serve_and_wait(["--listen", "[::1]:0"], r"listening on (http://\[::1\]:\d+)/")
        try:
            with urllib.request.urlopen(url + "/api/workflows", timeout=30) as response:
                self.assertEqual(response.status, 200)
        finally:
            process.terminate()
            process.wait(timeout=20)

    def test_serve_reads_the_token_from_a_file(self):
        import urllib.error
        import urllib.request
        token_path = os.path.join(fixture().workdir, "token")
        with open(token_path, "w") as file:
            file.write("t0ken-from-a-file\n")
        process, url = self.serve_and_wait(["--listen", "127.0.0.1:0", "--token-file", token_path],
                                           r"listening on (http://127\.0\.0\.1:\d+)/")
        try:
            with open(f"/proc/{process.pid}/cmdline", "rb") as cmdline:
                self.assertNotIn(b"t0ken-from-a-file", cmdline.read())
            request = urllib.request.Request(url + "/api/workflows",
                                             headers={"Authorization": "Bearer t0ken-from-a-file"})
            with urllib.request.urlopen(request, timeout=30) as response:
                self.assertEqual(response.status, 200)
            with self.assertRaises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(url + "/api/workflows", timeout=30)
            self.assertEqual(refused.exception.code, 401)
        finally:
            process.terminate()
            process.wait(timeout=20)
        code, _, err = self.wf("serve", "--token", "x", "--token-file", token_path)
        self.assertEqual(code, 2, err)

    def test_global_options_may_follow_the_command(self):
        code, out, _ = self.wf("workflows", "list", "--json", "--database", fixture().journal)
        self.assertEqual(code, 0)
        self.assertIn(fixture().report_workflow, [w["id"] for w in json.loads(out)["workflows"]])

    def test_a_missing_journal_directory_is_a_clear_error(self):
        code, _, err = self.wf("--database", "/nonexistent/dir/journal.db", "workflows", "list")
        self.assertEqual(code, 5)
        self.assertIn("directory '/nonexistent/dir' does not exist", err)

    def test_read_commands_neither_create_a_journal_nor_need_to_write_it(self):
        with tempfile.TemporaryDirectory() as directory:
            typo = os.path.join(directory, "typo.db")
            for args in (("runs", "list"), ("workflows", "list"), ("runs", "show", "wrun_x")):
                with self.subTest(args=args):
                    code, _, err = self.wf("--database", typo, *args)
                    self.assertEqual(code, 5, err)
                    self.assertIn("no workflow journal at '" + typo + "'", err)
                    self.assertFalse(os.path.exists(typo), "a read command created a journal")
            if "://" in fixture().journal:
                self.skipTest("file permissions concern SQLite journals")
            if os.geteuid() != 0 or not shutil.which("runuser"):
                self.skipTest("reading as another user needs root and runuser")
            # A copy of the fixture's journal that another user may read but not write.
            copy = os.path.join(directory, "copy.db")
            source, target = sqlite3.connect(fixture().journal), sqlite3.connect(copy)
            source.backup(target)
            target.close()  # the last connection: its log is checkpointed and removed
            source.close()
            os.chmod(copy, 0o444)
            os.chmod(directory, 0o755)
            expected = fixture().wf_json("runs", "list", "--limit", "1000")["runs"]
            done = subprocess.run(["runuser", "-u", "nobody", "--", fixture().wf_path, "--database", copy, "--json",
                                   "runs", "list", "--limit", "1000"], capture_output=True, text=True, timeout=60)
            self.assertEqual(done.returncode, 0, done.stderr)
            listed = json.loads(done.stdout)["runs"]
            self.assertEqual(len(listed), len(expected))
            done = subprocess.run(["runuser", "-u", "nobody", "--", fixture().wf_path, "--database", copy,
                                   "runs", "cancel", expected[0]["id"]], capture_output=True, text=True, timeout=60)
            self.assertEqual(done.returncode, 5, done.stderr)
            self.assertIn("readonly", done.stderr)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
