"""Retention through the operator tools (docs/retention.md): `wf runs prune` and `wf runs keep`,
their REST equivalents, on a journal of its own that the example programs' workers write.
Usage: retention_test.py WF REPORT ORDER_PROCESSING WORKDIR"""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_fixture import fixture, setUpModule, tearDownModule  # noqa: E402,F401

FINAL = ("completed", "failed", "cancelled")


class RetentionTest(unittest.TestCase):
    def wf(self, *args):
        return fixture().wf(*args)

    def start_report(self, region):
        f = fixture()
        code, out, err = f.wf("runs", "start", f.report_workflow, "--args", json.dumps([[region]]))
        self.assertEqual(code, 0, err)
        run_id = out.strip()
        f.wait_until(run_id, lambda run: run["status"] == "completed", "completed")
        return run_id

    def all_runs(self):
        return fixture().wf_json("runs", "list", "--limit", "1000")["runs"]

    def exists(self, run_id):
        code, _, err = self.wf("runs", "show", run_id)
        self.assertIn(code, (0, 3), err)
        return code == 0

    def test_prune_deletes_ended_runs_keeps_kept_and_unfinished_ones(self):
        f = fixture()
        reports = [self.start_report(region) for region in ("emea", "apac", "amer")]
        kept = reports[0]
        code, out, err = self.wf("runs", "keep", kept)
        self.assertEqual((code, out.strip()), (0, f"{kept}: kept"), err)
        self.assertTrue(f.wf_json("runs", "show", kept)["kept"])
        self.assertIn("kept       yes", self.wf("runs", "show", kept)[1])
        code, out, _ = f.wf("runs", "start", f.order_workflow, "--args",
                            json.dumps([{"id": "R-1", "email": "r@example.com", "cents": 100, "items": ["pen"]}]))
        order = out.strip()
        f.wait_until(order, lambda run: run["status"] == "waiting", "waited")

        runs = self.all_runs()
        by_id = {run["id"]: run for run in runs}

        def under_kept(run):
            while run is not None:
                if run["kept"]:
                    return True
                run = by_id.get(run["parent_run_id"])
            return False
        doomed = {run["id"] for run in runs if run["status"] in FINAL and not under_kept(run)}
        self.assertGreaterEqual(len(doomed), 2)

        dry = f.wf_json("runs", "prune", "--finished-before", "0s", "--dry-run")
        self.assertTrue(dry["dry_run"])
        self.assertEqual(dry["runs"], len(doomed))
        self.assertGreater(dry["events"], 2 * len(doomed))
        self.assertEqual(dry["statuses"], list(FINAL))
        self.assertTrue(all(self.exists(run_id) for run_id in doomed), "a dry run deletes nothing")

        code, out, err = self.wf("runs", "prune", "--finished-before", "0s")
        self.assertEqual(code, 0, err)
        self.assertRegex(out, rf"^deleted {len(doomed)} run\(s\) \(completed, failed, cancelled\) that ended before "
                              rf"\S+: {dry['events']} event\(s\), {dry['stream_chunks']} stream chunk\(s\) in \d+ batch\(es\), \d+ ms\n"
                              rf"journal \d+\.\d MB")
        left = {run["id"] for run in self.all_runs()}
        self.assertEqual(left & doomed, set())
        self.assertIn(kept, left)
        self.assertIn(order, left)
        self.assertEqual(f.wf_json("runs", "show", order)["status"], "waiting", "an unfinished run is untouched")
        code, _, err = self.wf("runs", "show", reports[1])
        self.assertEqual(code, 3, err)

        # Unkept, it goes with the next prune.
        code, out, err = self.wf("runs", "keep", "--undo", kept)
        self.assertEqual((code, out.strip()), (0, f"{kept}: no longer kept"), err)
        pruned = f.wf_json("runs", "prune", "--finished-before", "0s", "--status", "completed")
        self.assertGreaterEqual(pruned["runs"], 1)
        self.assertFalse(self.exists(kept))
        self.assertTrue(self.exists(order))
        self.assertEqual(self.wf("runs", "cancel", order)[0], 0)

    def test_rest_prune_and_keep(self):
        f = fixture()
        run_id = self.start_report("latam")
        status, body, _ = f.http("POST", f"/api/runs/{run_id}/keep")
        self.assertEqual((status, body["run"]["kept"]), (200, True), body)
        status, body, _ = f.http("POST", "/api/runs/prune", {"finished_before": "0s", "dry_run": True})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["batches"], 0)
        self.assertIn("bytes", body["journal"])
        status, body, _ = f.http("DELETE", f"/api/runs/{run_id}/keep")
        self.assertEqual((status, body["run"]["kept"]), (200, False), body)
        status, body, _ = f.http("POST", "/api/runs/prune", {"finished_before": "0s", "status": ["completed"]})
        self.assertEqual(status, 200, body)
        self.assertGreaterEqual(body["runs"], 1)
        self.assertFalse(self.exists(run_id))
        status, body, _ = f.http("POST", f"/api/runs/{run_id}/keep")
        self.assertEqual(status, 404, body)

    def test_bad_input_is_refused_and_deletes_nothing(self):
        f = fixture()
        run_id = self.start_report("nordics")
        for request, message in (({"status": "completed"}, "finished_before"),
                                 ({"finished_before": "soon"}, "'finished_before' is 'soon'"),
                                 ({"finished_before": "0s", "status": "waiting"}, "cannot prune 'waiting' runs"),
                                 ({"finished_before": "0s", "status": [3]}, "\"status\" must be"),
                                 ({"finished_before": "0s", "dry_run": "yes"}, "\"dry_run\" must be")):
            status, body, _ = f.http("POST", "/api/runs/prune", request)
            self.assertEqual(status, 400, (request, body))
            self.assertIn(message, body["error"]["message"], request)
        code, _, err = self.wf("runs", "prune")
        self.assertEqual(code, 2, err)
        self.assertIn("--finished-before", err)
        code, _, err = self.wf("runs", "prune", "--finished-before", "1d", "--status", "running")
        self.assertEqual(code, 2, err)
        self.assertIn("cannot prune 'running' runs", err)
        code, _, err = self.wf("runs", "keep", "no-such-run")
        self.assertEqual(code, 3, err)
        self.assertTrue(self.exists(run_id))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
