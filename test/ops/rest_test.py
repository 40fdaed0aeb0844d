"""Every REST endpoint of `wf serve` against a journal written by the example programs' workers:
JSON in and out, server-sent stream tails, status codes and error bodies, bearer tokens, and bad
input rejected with nothing changed.
Usage: rest_test.py WF REPORT ORDER_PROCESSING WORKDIR"""
import json
import os
import re
import sys
import time
import urllib.parse
import urllib.request
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_fixture import fixture, setUpModule, tearDownModule  # noqa: E402,F401

ORDER = {"id": "R-1", "email": "rest@example.com", "cents": 1500, "items": ["desk"]}



def quote(run_id):
    return urllib.parse.quote(run_id, safe="")


class RestTest(unittest.TestCase):
    def call(self, method, path, body=None, **kwargs):
        return fixture().http(method, path, body, **kwargs)

    def start(self, workflow, args, expected=201):
        status, body, _ = self.call("POST", "/api/runs", {"workflow": workflow, "args": args})
        self.assertEqual(status, expected, body)
        return body

    def wait_for(self, run_id, predicate, what):
        for _ in range(400):
            status, run, _ = self.call("GET", f"/api/runs/{quote(run_id)}")
            self.assertEqual(status, 200, run)
            if predicate(run):
                return run
            time.sleep(0.05)
        self.fail(f"run {run_id} never {what}")

    def start_waiting_order(self, order_id):
        started = self.start(fixture().order_workflow, [dict(ORDER, id=order_id)])
        run_id = started["run"]["id"]
        self.wait_for(run_id, lambda run: run["status"] == "waiting"
                      and any(e["kind"] == "event" for e in run["timeline"]), "waited for its approval")
        return run_id

    def assert_error(self, response, status, code, message):
        got_status, body, _ = response
        self.assertEqual(got_status, status, body)
        self.assertEqual(body["error"]["status"], status)
        self.assertEqual(body["error"]["code"], code)
        self.assertIn(message, body["error"]["message"])

    def test_batch_start(self):
        runs = [{"args": [dict(ORDER, id=f"B-{i}")]} for i in range(3)] + [{"args": [dict(ORDER, id="B-x")], "id": "batch-x"}]
        status, body, _ = self.call("POST", "/api/runs/batch", {"workflow": fixture().order_workflow, "runs": runs})
        self.assertEqual(status, 201, body)
        self.assertEqual(body["started"], 4)
        self.assertEqual(body["run_ids"][3], "batch-x")
        self.assertEqual(len(set(body["run_ids"])), 4)
        for run_id in body["run_ids"]:
            self.assertEqual(self.call("GET", f"/api/runs/{quote(run_id)}")[0], 200)
        status, again, _ = self.call("POST", "/api/runs/batch", {"workflow": fixture().order_workflow, "runs": runs[3:]})
        self.assertEqual((status, again["run_ids"]), (201, ["batch-x"]))  # idempotent by ID
        self.assert_error(self.call("POST", "/api/runs/batch", {"workflow": fixture().order_workflow, "runs": {}}),
                          400, "bad_request", '"runs" array')
        self.assert_error(self.call("POST", "/api/runs/batch", {"workflow": fixture().order_workflow,
                                                                "runs": [{"args": []}, {"args": 5}]}),
                          400, "bad_request", "runs[1]")
        self.assert_error(self.call("POST", "/api/runs/batch", {"workflow": fixture().order_workflow,
                                                                "runs": [{"args": []}] * 10001}),
                          400, "bad_request", "at most 10000 runs")
        for run_id in body["run_ids"]:
            self.call("POST", f"/api/runs/{quote(run_id)}/cancel")

    def test_schedules_fire_and_are_managed(self):
        report = fixture().report_workflow
        body = {"name": "rest-reports", "workflow": report, "args": [["emea"]], "spec": "* * * * * *",
                "overlap": "allow_all", "grace_seconds": 30}
        status, created, _ = self.call("POST", "/api/schedules", body)
        self.assertEqual((status, created["change"]), (201, "created"), created)
        self.assertEqual(len(created["schedule"]["next_fire_times"]), 5)
        status, again, _ = self.call("POST", "/api/schedules", body)
        self.assertEqual((status, again["change"]), (200, "unchanged"), again)
        for _ in range(200):  # the workers' tickers start runs named after the schedule and the tick
            status, shown, _ = self.call("GET", "/api/schedules/rest-reports?count=2")
            if shown["last_run_id"]:
                break
            time.sleep(0.05)
        self.assertTrue(shown["last_run_id"].startswith("sched-rest-reports-"), shown)
        self.assertEqual(len(shown["next_fire_times"]), 2)
        self.assertEqual(self.call("GET", f"/api/runs/{quote(shown['last_run_id'])}")[0], 200)
        status, paused, _ = self.call("POST", "/api/schedules/rest-reports/pause")
        self.assertEqual((status, paused["schedule"]["paused"]), (200, True))
        status, listed, _ = self.call("GET", "/api/schedules")
        self.assertEqual([s["name"] for s in listed["schedules"]], ["rest-reports"])
        status, triggered, _ = self.call("POST", "/api/schedules/rest-reports/trigger")
        self.assertEqual(status, 200, triggered)
        self.assertTrue(triggered["run_id"].endswith("-manual"), triggered)
        self.assertEqual(triggered["schedule"]["last_run_id"], triggered["run_id"])
        status, resumed, _ = self.call("POST", "/api/schedules/rest-reports/resume")
        self.assertEqual((status, resumed["schedule"]["paused"]), (200, False))
        self.assert_error(self.call("POST", "/api/schedules", dict(body, spec="61 * * * *")), 400, "bad_request",
                          "61")
        self.assert_error(self.call("POST", "/api/schedules", dict(body, overlap="sometimes")), 400, "bad_request",
                          "overlap")
        self.assert_error(self.call("POST", "/api/schedules/nope/pause"), 404, "not_found", "nope")
        self.assertEqual(self.call("DELETE", "/api/schedules/rest-reports")[0], 200)
        self.assert_error(self.call("DELETE", "/api/schedules/rest-reports"), 404, "not_found", "rest-reports")
        self.assertEqual(self.call("GET", "/api/schedules")[1], {"schedules": []})

    def test_queued_starts_show_queue_and_position(self):
        status, body, _ = self.call("GET", "/api/queues")
        self.assertEqual(status, 200, body)
        orders = [queue for queue in body["queues"] if queue["name"] == "orders"][0]
        self.assertEqual((orders["concurrency"], orders["rate_limit"], orders["partition_concurrency"]), (1, None, None))
        started = []
        for order_id in ("QR-1", "QR-2"):
            status, body, _ = self.call("POST", "/api/runs", {"workflow": fixture().order_workflow,
                                                              "args": [dict(ORDER, id=order_id)], "queue": "orders",
                                                              "deduplication_id": order_id, "priority": 3})
            self.assertEqual(status, 201, body)
            started.append(body["run"]["id"])
        self.wait_for(started[0], lambda run: run["status"] == "waiting", "took the queue's slot")
        status, run, _ = self.call("GET", f"/api/runs/{quote(started[1])}")
        self.assertEqual((run["status"], run["queue"], run["position"]), ("pending", "orders", 1))
        status, page, _ = self.call("GET", "/api/runs?limit=5")
        listed = [entry for entry in page["runs"] if entry["id"] == started[1]][0]
        self.assertEqual((listed["queue"], listed["position"]), ("orders", 1))
        status, queue, _ = self.call("GET", "/api/queues/orders")
        self.assertEqual((status, queue["waiting"], queue["active"]), (200, 1, 1))
        status, body, _ = self.call("POST", "/api/runs/batch", {"workflow": fixture().order_workflow, "queue": "orders",
                                                                "deduplication_id": "QR-2",
                                                                "runs": [{"args": [dict(ORDER, id="QR-2b")]}]})
        self.assertEqual((status, body["run_ids"]), (201, [started[1]]), body)
        self.assert_error(self.call("POST", "/api/runs", {"workflow": fixture().order_workflow, "args": [],
                                                          "queue": "nowhere"}),
                          400, "bad_request", "queue 'nowhere' is not declared")
        self.assert_error(self.call("POST", "/api/runs", {"workflow": fixture().order_workflow, "args": [],
                                                          "queue": "orders", "priority": "high"}),
                          400, "bad_request", '"priority" must be an integer')
        self.assert_error(self.call("GET", "/api/queues/nowhere"), 404, "not_found", "no queue 'nowhere'")
        for run_id in started:
            self.call("POST", f"/api/runs/{quote(run_id)}/cancel")

    def test_replay_check_and_upgrade_need_the_workflow_code(self):
        run_id = self.start_waiting_order("R-900")
        status, body, _ = self.call("POST", "/api/replay-check", {"run_ids": [run_id]})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["runs"][0]["verdict"], "unchecked")  # this server has no workflow code
        self.assertEqual(body["counts"], {"compatible": 0, "incompatible": 0, "unchecked": 1})
        self.assert_error(self.call("POST", "/api/replay-check", {"run_ids": "x"}), 400, "bad_request", "run_ids")
        self.assert_error(self.call("POST", "/api/replay-check", {"limit": 0}), 400, "bad_request", "1 to 100000")
        self.assert_error(self.call("POST", "/api/upgrade", {"dry_run": True}), 400, "bad_request", '"from"')
        self.assert_error(self.call("POST", "/api/upgrade", {"from": "build-old", "dry_run": "yes"}), 400,
                          "bad_request", "dry_run")
        self.assert_error(self.call("POST", "/api/upgrade", {"from": "build-old"}), 400, "bad_request",
                          "run the upgrade from a binary of")

    def test_workflows(self):
        status, body, headers = self.call("GET", "/api/workflows")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("application/json"))
        ids = {w["id"] for w in body["workflows"]}
        self.assertIn(fixture().report_workflow, ids)
        self.assertIn(fixture().order_workflow, ids)

    def test_start_a_report_then_read_it_its_journal_and_its_stream(self):
        started = self.start(fixture().report_workflow, [["emea", "amer"]])
        run_id = started["run"]["id"]
        # Pending, with a note saying who will run it, unless a worker claimed it already (at once
        # on PostgreSQL, which notifies the workers of each commit).
        if started["run"]["status"] == "pending":
            self.assertIn("is pending: it starts when a worker of deployment", started["note"])
        else:
            self.assertIn(started["run"]["status"], ("running", "completed"))
        # Tail the stream while the run goes on: the response ends when the run does.
        with urllib.request.urlopen(fixture().base_url + f"/api/runs/{quote(run_id)}/streams/progress", timeout=30) as tail:
            self.assertTrue(tail.headers["Content-Type"].startswith("text/event-stream"))
            text = tail.read().decode()
        events = [block for block in text.split("\n\n") if block.strip()]
        self.assertEqual(events[0], 'id: 0\ndata: "emea: querying the sales warehouse"')
        self.assertEqual(events[-2], 'id: 8\ndata: "rendering the report"')
        self.assertEqual(events[-1], "event: end\ndata: {}")

        run = self.wait_for(run_id, lambda run: run["status"] == "completed", "completed")
        self.assertEqual(run["input"], [["emea", "amer"]])
        self.assertIn("total margin", run["output"])
        self.assertIsNone(run["error"])
        steps = [e for e in run["timeline"] if e["kind"] == "step"]
        self.assertEqual(len(steps), 5)
        self.assertEqual(steps[0]["attempts"][0]["outcome"], "completed")
        self.assertRegex(run["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        status, journal, _ = self.call("GET", f"/api/runs/{run_id}/events")
        self.assertEqual(status, 200)
        self.assertEqual([e["type"] for e in journal["events"]][:3], ["run_created", "run_started", "step_started"])
        status, streams, _ = self.call("GET", f"/api/runs/{run_id}/streams")
        self.assertEqual(streams, {"streams": [{"namespace": "progress", "length": 9, "closed": True}]})

        # From the end, and resumed after a Last-Event-ID.
        _, tail, _ = self.call("GET", f"/api/runs/{run_id}/streams/progress?start_index=-1")
        self.assertTrue(tail.startswith('id: 8\ndata: "rendering the report"'))
        _, tail, _ = self.call("GET", f"/api/runs/{run_id}/streams/progress", headers={"Last-Event-ID": "7"})
        self.assertTrue(tail.startswith("id: 8\n"))

    def test_runs_list_filters_and_pages(self):
        ids = [self.start(fixture().report_workflow, [[f"p{i}"]])["run"]["id"] for i in range(3)]
        for run_id in ids:
            self.wait_for(run_id, lambda run: run["status"] == "completed", "completed")
        workflow = urllib.parse.quote(fixture().report_workflow, safe="")
        status, page, _ = self.call("GET", f"/api/runs?workflow={workflow}&limit=2")
        self.assertEqual(status, 200)
        self.assertEqual([r["id"] for r in page["runs"]], [ids[2], ids[1]])
        status, rest, _ = self.call("GET", f"/api/runs?workflow={workflow}&limit=2&cursor={page['next_cursor']}")
        self.assertEqual(rest["runs"][0]["id"], ids[0])
        _, completed, _ = self.call("GET", "/api/runs?status=completed&since=5m&limit=1000")
        self.assertTrue(set(ids) <= {r["id"] for r in completed["runs"]})
        _, none, _ = self.call("GET", "/api/runs?since=2099-01-01T00:00:00.000Z")
        self.assertEqual(none, {"runs": [], "next_cursor": None})

    def test_control_an_order_through_its_life(self):
        run_id = self.start_waiting_order("R-100")
        path = f"/api/runs/{quote(run_id)}"
        status, body, _ = self.call("POST", path + "/pause")
        self.assertEqual((status, body["run"]["status"]), (200, "paused"))
        self.assert_error(self.call("POST", path + "/pause/now"), 404, "not_found", "no API resource")
        status, body, _ = self.call("POST", path + "/resume")
        self.assertEqual(status, 200, body)
        self.assert_error(self.call("POST", path + "/resume"), 409, "invalid_transition", "cannot be resumed")
        status, body, _ = self.call("POST", path + "/events", {"type": "approval", "payload": "dora"})
        self.assertEqual(status, 202, body)
        self.wait_for(run_id, lambda run: any(e["kind"] == "sleep" for e in run["timeline"]), "began its sleep")
        status, body, _ = self.call("POST", path + "/wake-up", {"correlation_ids": ["wait-99"]})
        self.assertEqual((status, body["woken"]), (200, 0))
        status, body, _ = self.call("POST", path + "/wake-up")
        self.assertEqual((status, body["woken"]), (200, 1))
        run = self.wait_for(run_id, lambda run: run["status"] == "completed", "completed")
        self.assertEqual(run["output"]["approved_by"], "dora")
        self.assert_error(self.call("POST", path + "/cancel"), 409, "invalid_transition", "already completed")
        self.assert_error(self.call("POST", path + "/events", {"type": "approval"}), 409, "invalid_transition",
                          "already completed")
        status, body, _ = self.call("POST", path + "/restart")
        self.assertEqual(status, 200, body)
        self.assertIn(body["run"]["status"], ("pending", "running", "waiting"))  # a worker may have claimed it
        self.wait_for(run_id, lambda run: run["status"] == "waiting"
                      and any(e["correlation_id"].startswith("a2/hook") for e in run["timeline"]), "waited again")
        status, body, _ = self.call("POST", path + "/cancel")
        self.assertEqual((status, body["run"]["status"]), (200, "cancelled"))
        self.assert_error(self.call("POST", path + "/pause"), 409, "invalid_transition", "cannot be paused")

    def test_bad_requests_are_rejected_and_change_nothing(self):
        run_id = self.start_waiting_order("R-200")
        path = f"/api/runs/{quote(run_id)}"
        _, journal_before, _ = self.call("GET", path + "/events")
        _, runs_before, _ = self.call("GET", "/api/runs?limit=1000")
        cases = [
            (("POST", "/api/runs"), dict(raw=b"{not json"), 400, "bad_request", "not valid JSON"),
            (("POST", "/api/runs"), dict(raw=b"[1, 2]"), 400, "bad_request", "must be a JSON object"),
            (("POST", "/api/runs", {"args": []}), {}, 400, "bad_request", "needs a \"workflow\" field"),
            (("POST", "/api/runs", {"workflow": fixture().order_workflow, "args": {"no": "array"}}), {}, 400,
             "bad_request", "\"args\" must be a JSON array"),
            (("POST", "/api/runs", {"workflow": "workflow//./nowhere//f", "args": []}), {}, 404, "not_found",
             "no deployment has registered"),
            (("POST", "/api/runs"), dict(raw=b"[" + b"1," * 600000 + b"1]"), 413, "payload_too_large", "larger"),
            # Nesting is bounded before anything is built (100,000 arrays deep, under the default body limit,
            # used to kill the server).
            (("POST", "/api/runs"), dict(raw=b'{"workflow": "w", "args": ' + b"[" * 10000 + b"]" * 10000 + b"}",
                                         headers={"Content-Type": "application/json"}),
             400, "bad_request", "nested deeper than 512 arrays and objects"),
            (("POST", path + "/events"), dict(raw=b'{"type": "approval", "payload": ' + b"[" * 10000 + b"]" * 10000 + b"}",
                                             headers={"Content-Type": "application/json"}),
             400, "bad_request", "nested deeper than 512"),
            (("POST", path + "/events"), dict(raw=b'{"type": "approval", "payload": '), 400, "bad_request",
             "not valid JSON"),
            (("POST", path + "/events", {"payload": 1}), {}, 400, "bad_request", "needs a \"type\" field"),
            (("POST", path + "/wake-up", {"correlation_ids": "wait-1"}), {}, 400, "bad_request", "array of strings"),
            (("GET", "/api/runs?status=finished"), {}, 400, "bad_request", "unknown status 'finished'"),
            (("GET", "/api/runs?limit=5000"), {}, 400, "bad_request", "from 1 to 1000"),
            (("GET", "/api/runs?since=last%20week"), {}, 400, "bad_request", "'since' is 'last week'"),
            (("GET", "/api/runs?cursor=wrun_nope"), {}, 400, "bad_request", "unknown cursor"),
            (("GET", "/api/runs/wrun_nope"), {}, 404, "not_found", "no run with ID 'wrun_nope'"),
            (("GET", "/api/runs/" + quote("x' OR '1'='1")), {}, 404, "not_found", "no run with ID 'x' OR '1'='1'"),
            (("POST", "/api/runs/" + quote("'; DROP TABLE runs; --") + "/cancel"), {}, 404, "not_found", "no run"),
            (("GET", "/api/runs/" + quote("a\x01b")), {}, 400, "bad_request", "control characters"),
            (("GET", "/api/runs/wrun_nope/streams/progress"), {}, 404, "not_found", "no run with ID"),
            (("GET", path + "/streams/progress?start_index=abc"), {}, 400, "bad_request", "must be an integer"),
            (("DELETE", path), {}, 405, "method_not_allowed", "DELETE is not allowed"),
            (("GET", path + "/cancel"), {}, 405, "method_not_allowed", "use POST"),
            (("GET", "/api/nothing"), {}, 404, "not_found", "no API resource"),
            (("GET", "/api/runs/%FF"), {}, 400, "bad_request", "not valid UTF-8"),
            (("POST", "/api/runs", {"workflow": fixture().order_workflow, "args": [], "id": "has space"}), {}, 400,
             "bad_request", "contains whitespace"),
            (("POST", "/api/runs", {"workflow": fixture().order_workflow, "args": [], "deployment_id": "build-x"}), {},
             404, "not_found", "deployment build-x has not registered workflow"),
            (("POST", path + "/cancel"), dict(headers={"Origin": "https://evil.example"}), 403, "forbidden",
             "cross-origin request from https://evil.example refused"),
            (("POST", "/api/runs", {"workflow": fixture().order_workflow, "args": []}),
             dict(headers={"Origin": "https://evil.example", "Content-Type": "text/plain"}), 403, "forbidden",
             "cross-origin"),
            (("GET", path), dict(headers={"Host": "evil.example:80"}), 403, "forbidden", "not a loopback address"),
        ]
        for request, options, status, code, message in cases:
            with self.subTest(request=request[:2]):
                self.assert_error(self.call(*request, **options), status, code, message)
        self.assertEqual(self.call("GET", path + "/events")[1], journal_before)
        self.assertEqual(self.call("GET", "/api/runs?limit=1000")[1], runs_before)
        _, filtered, _ = self.call("GET", "/api/runs?workflow=" + quote("' OR 1=1 --"))
        self.assertEqual(filtered["runs"], [])
        self.assertEqual(self.call("POST", path + "/cancel")[0], 200)

    def test_a_same_origin_post_and_a_bodiless_post_are_accepted(self):
        run_id = self.start_waiting_order("R-300")
        host = fixture().base_url[len("http://"):]
        status, body, _ = self.call("POST", f"/api/runs/{run_id}/pause", headers={"Origin": "http://" + host})
        self.assertEqual((status, body["run"]["status"]), (200, "paused"))
        # curl -X POST without a body sends no Content-Length; the error says what to do.
        import socket
        with socket.create_connection(("127.0.0.1", int(host.split(":")[1]))) as connection:
            connection.sendall(f"POST /api/runs/{run_id}/resume HTTP/1.1\r\nHost: {host}\r\n"
                               "Connection: close\r\n\r\n".encode())
            reply = b""
            while chunk := connection.recv(65536):
                reply += chunk
        head, _, text = reply.decode().partition("\r\n\r\n")
        self.assertIn(" 400 ", head.splitlines()[0])
        self.assertIn("needs a Content-Length header", json.loads(text)["error"]["message"])
        self.assertEqual(self.call("POST", f"/api/runs/{run_id}/cancel", raw=b"")[0], 200)

    def test_open_stream_tails_are_capped_so_the_api_stays_responsive(self):
        import socket
        run_id = self.start_waiting_order("R-400")
        host, port = fixture().base_url[len("http://"):].split(":")
        tails = []
        try:
            for _ in range(32):
                connection = socket.create_connection((host, int(port)))
                connection.sendall(f"GET /api/runs/{run_id}/streams/none HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n"
                                   .encode())
                tails.append(connection)
            for connection in tails:  # each one is open: its headers came
                self.assertIn(b"200", connection.recv(4096).split(b"\r\n")[0])
            status, body, headers = self.call("GET", f"/api/runs/{run_id}/streams/none")
            self.assertEqual((status, body["error"]["code"]), (503, "too_many_tails"))
            self.assertEqual(headers["Retry-After"], "5")
            self.assertEqual(self.call("GET", f"/api/runs/{run_id}")[0], 200)
        finally:
            for connection in tails:
                connection.close()
        self.assertEqual(self.call("POST", f"/api/runs/{run_id}/cancel")[0], 200)
        for _ in range(100):  # the server notices the closed connections within a poll or two
            if self.call("GET", f"/api/runs/{run_id}/streams/none")[0] == 200:
                break
            time.sleep(0.1)
        else:
            self.fail("closed tails were never released")

    def test_the_dashboard_is_served(self):
        status, page, headers = self.call("GET", "/")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        self.assertIn('src="/dashboard.js"', page)
        # No other site may frame it (clickjacking).
        self.assertEqual(headers["X-Frame-Options"], "DENY")
        self.assertEqual(headers["Content-Security-Policy"], "frame-ancestors 'none'")
        status, _, headers = self.call("GET", "/dashboard.js")
        self.assertEqual((status, headers["Content-Type"].split(";")[0]), (200, "text/javascript"))
        self.assertEqual(self.call("GET", "/dashboard.css")[0], 200)


def raw_exchange(port, data, source="127.0.0.1", timeout=30):
    """Sends `data` from `source` (any 127.x address reaches the loopback server) and reads until
    the server closes; returns (status line, headers text, body bytes)."""
    import socket
    with socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0)) as connection:
        connection.sendall(data)
        reply = b""
        try:
            while chunk := connection.recv(65536):
                reply += chunk
        except ConnectionResetError:
            pass
    head, _, body = reply.partition(b"\r\n\r\n")
    lines = head.decode(errors="replace").split("\r\n")
    return lines[0], "\r\n".join(lines[1:]), body


class HardeningTest(unittest.TestCase):
    """Issue 13: the body limit whatever the framing, malformed requests, slow and idle clients."""

    def port(self, base_url=None):
        return int((base_url or fixture().base_url).rsplit(":", 1)[1])

    def request_bytes(self, method, path, headers, body=b""):
        host = fixture().base_url[len("http://"):]
        head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        return head.encode() + b"\r\n" + body

    def assert_run_absent(self, run_id):
        self.assertEqual(fixture().http("GET", f"/api/runs/{run_id}")[0], 404)

    def start_body(self, run_id, padding=0):
        return json.dumps({"workflow": fixture().order_workflow, "id": run_id, "pad": "x" * padding,
                           "args": [dict(ORDER, id=run_id)]}).encode()

    def test_a_chunked_body_over_the_limit_is_413_and_stores_nothing(self):
        body = self.start_body("hardening-chunked", 2 << 20)
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 65536]), body[i:i + 65536])
                          for i in range(0, len(body), 65536)) + b"0\r\n\r\n"
        status, _, text = raw_exchange(self.port(), self.request_bytes(
            "POST", "/api/runs", {"Transfer-Encoding": "chunked", "Content-Type": "application/json"}, chunks))
        self.assertIn(" 413 ", status)
        self.assertEqual(json.loads(text)["error"]["code"], "payload_too_large")
        self.assert_run_absent("hardening-chunked")
        # A client that waits for 100 Continue is refused before it sends the body.
        status, headers, text = raw_exchange(self.port(), self.request_bytes(
            "POST", "/api/runs", {"Content-Length": str(5 << 20), "Expect": "100-continue"}))
        self.assertIn(" 413 ", status)
        self.assertEqual(json.loads(text)["error"]["code"], "payload_too_large")
        self.assertIn("X-Frame-Options: DENY", headers)
        # Under the limit, chunked framing is fine.
        small = self.start_body("hardening-chunked-small")
        status, _, text = raw_exchange(self.port(), self.request_bytes(
            "POST", "/api/runs", {"Transfer-Encoding": "chunked"}, b"%x\r\n%s\r\n0\r\n\r\n" % (len(small), small)))
        self.assertIn(" 201 ", status, text)

    def test_a_compressed_body_is_415_and_stores_nothing(self):
        import gzip
        body = gzip.compress(self.start_body("hardening-gzip", 50 << 20))  # 50 MiB inflated, ~50 KiB sent
        status, text, _ = fixture().http("POST", "/api/runs", raw=body,
                                         headers={"Content-Encoding": "gzip", "Content-Type": "application/json"})
        self.assertEqual(status, 415, text)
        self.assertIn("Content-Encoding 'gzip' is not accepted", text["error"]["message"])
        self.assert_run_absent("hardening-gzip")

    def test_malformed_requests_are_400_and_unknown_methods_501(self):
        status, _, _ = raw_exchange(self.port(), self.request_bytes("POST", "/api/runs", {"Content-Length": "-5"}))
        self.assertIn(" 400 ", status)
        status, _, _ = raw_exchange(self.port(), b"GET /api/workflows\r\n\r\n")  # no HTTP version
        self.assertIn(" 400 ", status)
        # A line that is not even `METHOD target` (garbage, a TLS hello) is not answered: the
        # connection is closed (libmicrohttpd 0.9.75), never with a misleading message.
        for garbage in (b"GARBAGE\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"):
            status, _, _ = raw_exchange(self.port(), garbage)
            self.assertTrue(status == "" or " 400 " in status, status)
        status, _, text = raw_exchange(self.port(), self.request_bytes("TRACE", "/api/workflows", {}))
        self.assertIn(" 501 ", status)
        self.assertIn("'TRACE' is not implemented", json.loads(text)["error"]["message"])

    def test_a_client_that_half_closes_still_gets_its_response(self):
        import socket
        host = fixture().base_url[len("http://"):]
        # Keep-alive (no Connection: close): the old server dropped these.
        with socket.create_connection(("127.0.0.1", self.port()), timeout=30) as connection:
            connection.sendall(f"GET /api/workflows HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            connection.shutdown(socket.SHUT_WR)
            reply = b""
            while b"\r\n\r\n" not in reply and (chunk := connection.recv(65536)):
                reply += chunk
            head, _, body = reply.partition(b"\r\n\r\n")
            self.assertIn(b" 200 ", head.split(b"\r\n")[0])
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
            while len(body) < length and (chunk := connection.recv(65536)):
                body += chunk
        self.assertIn("workflows", json.loads(body))

    def test_slow_and_idle_clients_do_not_starve_others(self):
        import socket
        import threading
        server, base_url = fixture().start_server(["--request-timeout", "2"])
        port = self.port(base_url)
        sockets, dribblers = [], []
        stop = threading.Event()
        closed = []
        try:
            # 500 idle connections and 70 that send a header line every second, from addresses of
            # their own (the per-client limit would refuse them from one).
            for i in range(500):
                sockets.append(socket.create_connection(("127.0.0.1", port), source_address=(f"127.0.1.{i // 50 + 1}", 0)))
            for i in range(70):
                connection = socket.create_connection(("127.0.0.1", port), source_address=(f"127.0.2.{i // 35 + 1}", 0))
                connection.sendall(f"GET /api/workflows HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
                dribblers.append(connection)

            def dribble():
                for line in range(30):
                    for index, connection in enumerate(dribblers):
                        if index in closed:
                            continue
                        try:
                            connection.sendall(f"X-Slow-{line}: a\r\n".encode())
                        except OSError:
                            closed.append(index)
                    if stop.wait(1):
                        return
            thread = threading.Thread(target=dribble)
            thread.start()
            saved, fixture().base_url = fixture().base_url, base_url
            try:
                started = time.monotonic()
                self.assertEqual(fixture().http("GET", "/api/workflows")[0], 200)
                self.assertLess(time.monotonic() - started, 25)
            finally:
                fixture().base_url = saved
            # The request deadline (2 s here) ends the dribbling connections: the server closes them.
            connection = dribblers[0]
            connection.settimeout(15)
            try:
                self.assertEqual(connection.recv(4096), b"")
            except ConnectionResetError:
                pass
            stop.set()
            thread.join()
        finally:
            stop.set()
            for connection in sockets + dribblers:
                connection.close()
            server.terminate()
            server.wait(timeout=20)

    def test_connections_per_client_are_limited(self):
        import socket
        server, base_url = fixture().start_server(["--max-connections-per-client", "4"])
        port = self.port(base_url)
        held = []
        try:
            for _ in range(4):
                held.append(socket.create_connection(("127.0.0.1", port), source_address=("127.0.3.1", 0)))
            time.sleep(0.2)
            host = f"127.0.0.1:{port}"
            request = f"GET /api/workflows HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
            status, _, _ = raw_exchange(port, request, source="127.0.3.1", timeout=10)
            self.assertEqual(status, "")  # closed without an answer
            status, _, _ = raw_exchange(port, request, source="127.0.3.2", timeout=10)
            self.assertIn(" 200 ", status)  # other clients are served
            held.pop().close()
            time.sleep(0.2)
            status, _, _ = raw_exchange(port, request, source="127.0.3.1", timeout=10)
            self.assertIn(" 200 ", status)
        finally:
            for connection in held:
                connection.close()
            server.terminate()
            server.wait(timeout=20)


class TokenTest(unittest.TestCase):
    def test_a_token_guards_the_api_but_not_the_dashboard(self):
        env = dict(fixture().env, WORKFLOW_API_TOKEN="s3cret-token")
        server, base_url = fixture().start_server([], env=env)
        try:
            def call(path, headers=None, method="GET"):
                saved = fixture().base_url
                fixture().base_url = base_url
                try:
                    return fixture().http(method, path, headers=headers or {}, raw=b"" if method == "POST" else None)
                finally:
                    fixture().base_url = saved

            status, body, headers = call("/api/workflows")
            self.assertEqual((status, body["error"]["code"]), (401, "unauthorized"))
            self.assertIn("needs a bearer token", body["error"]["message"])
            self.assertEqual(headers["WWW-Authenticate"], "Bearer")
            status, body, _ = call("/api/workflows", {"Authorization": "Bearer wrong-token!"})
            self.assertEqual((status, body["error"]["message"]), (401, "the bearer token is wrong"))
            status, body, _ = call("/api/runs", {"Authorization": "Bearer s3cret-token"}, method="POST")
            self.assertEqual(status, 400)  # past the token check: the missing body is the problem
            self.assertEqual(call("/api/workflows", {"Authorization": "Bearer s3cret-token"})[0], 200)
            self.assertEqual(call("/api/workflows", {"Authorization": "bearer s3cret-token"})[0], 200)  # any case
            # Behind a TLS proxy the browser's Origin is https://...: with a token that is fine.
            self.assertEqual(call("/api/workflows", {"Authorization": "Bearer s3cret-token",
                                                      "Origin": "https://ops.example", "Host": "ops.example"})[0], 200)
            status, body, _ = call("/api/runs/wrun_nope/cancel", {"Authorization": "Bearer s3cret-token",
                                                                  "Origin": "https://ops.example"}, method="POST")
            self.assertEqual((status, body["error"]["code"]), (404, "not_found"))
            self.assertEqual(call("/api/workflows?access_token=s3cret-token")[0], 401)  # header only, but streams
            self.assertEqual(call("/api/runs/wrun_nope/streams/progress?access_token=s3cret-token")[0], 404)
            self.assertEqual(call("/")[0], 200)
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
