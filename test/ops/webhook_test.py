"""Webhooks end to end: a real worker process runs a workflow that waits on a webhook, a real
`wf serve` (with a bearer token on /api/) takes `curl` POSTs to /hooks/<token> without one. A
wrong or used token is 404 with nothing changed in the journal, an oversized body 413 and a
malformed one 400; a good POST resumes the run with its body.

Usage: webhook_test.py WF WEBHOOK_WORKER WORKDIR (the journal: ops_fixture.journal_location)."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from ops_fixture import journal_location  # noqa: E402

WF, WORKER, WORKDIR = sys.argv[1:4]
API_TOKEN = "api-token-for-the-webhook-test"
WORKFLOW = "workflow//./test/ops//webhook_echo"


def read(path):
    with open(path) as file:
        return file.read()


class WebhookEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(WORKDIR, ignore_errors=True)
        os.makedirs(WORKDIR)
        cls.env = dict(os.environ, WORKFLOW_DATABASE=journal_location(WORKDIR), WORKFLOW_API_TOKEN=API_TOKEN,
                       WORKFLOW_WEBHOOK_SECRET="a-shared-secret-of-at-least-thirty-two-characters")
        cls.processes = []
        cls.worker = cls.spawn([WORKER], "worker")
        cls.server = cls.spawn([WF, "serve", "--listen", "127.0.0.1:0"], "serve")
        cls.base_url = None
        for _ in range(400):
            found = re.search(r"listening on (http://127\.0\.0\.1:\d+)/", read(cls.server.log_path))
            if found:
                cls.base_url = found.group(1)
                break
            time.sleep(0.05)
        if not cls.base_url:
            raise RuntimeError("wf serve did not start: " + read(cls.server.log_path))
        # A second server on the same journal: concurrent POSTs reach two processes.
        cls.other = cls.spawn([WF, "serve", "--listen", "127.0.0.1:0"], "serve-2")
        cls.other_url = None
        for _ in range(400):
            found = re.search(r"listening on (http://127\.0\.0\.1:\d+)/", read(cls.other.log_path))
            if found:
                cls.other_url = found.group(1)
                break
            time.sleep(0.05)
        if not cls.other_url:
            raise RuntimeError("the second wf serve did not start: " + read(cls.other.log_path))

    @classmethod
    def tearDownClass(cls):
        for process in cls.processes:
            process.send_signal(signal.SIGTERM)
        for process in cls.processes:
            process.wait(timeout=20)

    @classmethod
    def spawn(cls, command, name):
        log_path = os.path.join(WORKDIR, name + ".log")
        with open(log_path, "w") as log:
            process = subprocess.Popen(command, cwd=WORKDIR, env=cls.env, stdout=log, stderr=subprocess.STDOUT)
        process.log_path = log_path
        cls.processes.append(process)
        return process

    def curl(self, path, body=None, token=True, method="POST", extra=()):
        """`curl` as an external system would call: returns (status, parsed body)."""
        command = ["curl", "-sS", "-X", method, "-o", "-", "-w", "\n%{http_code}", self.base_url + path,
                   "-H", "Content-Type: application/json"] + list(extra)
        if token:
            command += ["-H", "Authorization: Bearer " + API_TOKEN]
        if body is not None:
            command += ["--data-binary", body]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        text, _, status = done.stdout.rpartition("\n")
        return int(status), json.loads(text) if text else None

    def start_run(self, max_body):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status, body = self.curl("/api/runs", json.dumps({"workflow": WORKFLOW, "args": [max_body]}))
            if status == 201:
                return body["run"]["id"]
            # The worker has not registered the workflow yet.
            self.assertIsNone(self.worker.poll(), read(self.worker.log_path))
            time.sleep(0.1)
        self.fail(f"could not start {WORKFLOW}: {status} {body}")

    def url_of(self, run_id):
        for _ in range(400):
            found = re.search(rf"webhook {re.escape(run_id)} (/hooks/\S+)", read(self.worker.log_path))
            if found:
                return found.group(1)
            time.sleep(0.05)
        self.fail(f"run {run_id} printed no webhook URL: " + read(self.worker.log_path))

    def run_state(self, run_id):
        status, run = self.curl(f"/api/runs/{run_id}", method="GET")
        self.assertEqual(status, 200, run)
        return run["run"] if "run" in run else run

    def events(self, run_id):
        status, body = self.curl(f"/api/runs/{run_id}/events", method="GET")
        self.assertEqual(status, 200, body)
        return body["events"]

    def wait_for(self, run_id, wanted):
        for _ in range(400):
            run = self.run_state(run_id)
            if run["status"] == wanted:
                return run
            time.sleep(0.05)
        self.fail(f"run {run_id} is {run['status']}, never {wanted}")

    def test_a_curl_post_resumes_the_run_and_bad_posts_change_nothing(self):
        run_id = self.start_run(256)
        url = self.url_of(run_id)
        self.wait_for(run_id, "waiting")
        before = self.events(run_id)

        token = url.rsplit("/", 1)[1]
        wrong = ("B" if token[0] == "A" else "A") + token[1:]
        status, unknown = self.curl("/hooks/" + wrong, '{"approved": true}', token=False)
        self.assertEqual(status, 404, unknown)
        status, malformed_token = self.curl("/hooks/not-a-token", '{"approved": true}', token=False)
        self.assertEqual((status, malformed_token), (404, unknown), "every 404 must look the same")
        status, body = self.curl(url, json.dumps({"pad": "x" * 300}), token=False)
        self.assertEqual(status, 413, body)
        status, body = self.curl(url, "{not json", token=False)
        self.assertEqual(status, 400, body)
        status, body = self.curl(url, "", token=False)
        self.assertEqual(status, 400, body)
        self.assertEqual(self.events(run_id), before, "a refused POST changed the journal")
        self.assertEqual(self.run_state(run_id)["status"], "waiting")

        status, body = self.curl(url, '{"approved": true, "by": "ann"}', token=False)
        self.assertEqual((status, body), (202, {"run_id": run_id}))
        run = self.wait_for(run_id, "completed")
        self.assertEqual(run["output"], {"received": {"approved": True, "by": "ann"}})

        after = self.events(run_id)
        status, used = self.curl(url, '{"approved": false}', token=False)
        self.assertEqual((status, used), (404, unknown), "a used token must look unknown")
        self.assertEqual(self.events(run_id), after, "a used token changed the journal")

    def test_concurrent_posts_to_two_servers_deliver_a_single_use_webhook_once(self):
        run_id = self.start_run(1024)
        url = self.url_of(run_id)
        self.wait_for(run_id, "waiting")
        posts = [subprocess.Popen(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                                   (self.base_url if i % 2 else self.other_url) + url,
                                   "-H", "Content-Type: application/json", "--data-binary", json.dumps({"n": i})],
                                  stdout=subprocess.PIPE, text=True) for i in range(20)]
        statuses = sorted(post.communicate(timeout=60)[0] for post in posts)
        self.assertEqual(statuses, ["202"] + ["404"] * 19)
        run = self.wait_for(run_id, "completed")
        entries = [event for event in self.events(run_id)
                   if event["type"] == "event_received" and not event.get("correlation_id")]
        self.assertEqual(len(entries), 1, entries)
        self.assertEqual(run["output"]["received"], entries[0]["data"]["payload"])

    def test_a_cancelled_runs_webhook_is_gone_and_the_api_still_needs_its_token(self):
        run_id = self.start_run(1024)
        url = self.url_of(run_id)
        status, body = self.curl(f"/api/runs/{run_id}/cancel", "{}")
        self.assertEqual(status, 200, body)
        before = self.events(run_id)
        status, body = self.curl(url, '{"late": true}', token=False)
        self.assertEqual(status, 404, body)
        self.assertEqual(self.events(run_id), before)
        status, body = self.curl("/api/runs", method="GET", token=False)
        self.assertEqual(status, 401, body)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
