"""`wf journal copy` end to end. The example programs' workers write a SQLite journal with runs in
every state (completed, waiting for an event, sleeping, paused, cancelled, interrupted mid-way
with a half-written stream); with the workers stopped, it is copied into a new SQLite file, into
a PostgreSQL schema and back, and each copy is compared with the source table by table; then the
target's workers finish the copied runs. Also a journal larger than one transaction, a copy that
fails in its first transaction or after it (a damaged source), and the refusals, each checked to
write nothing: a target that is not empty, a source whose workers still hold runs (unless
--force), the same journal twice, missing, unreachable or unknown journals.

Usage: journal_copy_test.py WF REPORT ORDER_PROCESSING WORKDIR
PostgreSQL: the server of the CTest fixture `postgres`, whose URL is in the file
WORKFLOW_TEST_POSTGRES_URL_FILE names; each copy gets a schema of its own. Without that variable
(a run by hand) the PostgreSQL tests are skipped and the others use SQLite only."""
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import unittest

WF, REPORT, ORDERS, WORKDIR = (os.path.abspath(arg) for arg in sys.argv[1:5])
# Regions of the run interrupted mid-way: 25 x 400 ms of queries, 4 stream chunks each.
LONG_REPORT = [f"r{i:02d}" for i in range(25)]
ORDER = {"id": "J-0", "email": "copy@example.com", "cents": 700, "items": ["lamp"]}


def postgres_url():
    """The fixture server's URL, or None when the suite runs without PostgreSQL."""
    url_file = os.environ.get("WORKFLOW_TEST_POSTGRES_URL_FILE")
    if not url_file:
        return None
    try:
        with open(url_file) as file:
            return file.read().strip()
    except OSError as error:
        raise RuntimeError(f"the PostgreSQL server's URL file '{url_file}' (WORKFLOW_TEST_POSTGRES_URL_FILE) cannot be "
                           f"read: {error.strerror}. Run the suite through ctest, whose fixture `postgres` starts the "
                           f"server") from None


POSTGRES = postgres_url()
needs_postgres = unittest.skipUnless(POSTGRES, "no PostgreSQL server (WORKFLOW_TEST_POSTGRES_URL_FILE is not set)")


def new_schema(name):
    """A journal URL in a schema nobody has used."""
    separator = "&" if "?" in POSTGRES else "?"
    return f"{POSTGRES}{separator}schema=copy_{name}_{os.getpid()}_{secrets.token_hex(3)}"


def wf(*args, database=None):
    """Runs wf on `database` (none: its arguments name the journals); returns (code, stdout, stderr)."""
    env = dict(os.environ)
    env.pop("WORKFLOW_DATABASE", None)
    if database:
        env["WORKFLOW_DATABASE"] = database
    done = subprocess.run([WF] + list(args), env=env, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


def wf_json(database, *args):
    code, out, err = wf("--json", *args, database=database)
    if code != 0:
        raise AssertionError(f"wf {' '.join(args)} on {database} exited {code}: {err}")
    return json.loads(out)


def copy(source, target, *options):
    return wf("journal", "copy", source, target, *options)


def wait_until(database, run_id, predicate, what, seconds=60):
    run = None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = wf_json(database, "runs", "show", run_id)
        if predicate(run):
            return run
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} never {what}: {json.dumps(run)[:2000]}")


def sleeping(run, attempt_prefix=""):
    return run["status"] == "waiting" and any(
        entry["kind"] == "sleep" and entry["correlation_id"].startswith(attempt_prefix) for entry in run["timeline"])


class Worker:
    """An example program running as a worker on `database` until stop()."""

    def __init__(self, program, database, name):
        self.log_path = os.path.join(WORKDIR, f"{name}.log")
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen([program, "worker"], cwd=WORKDIR, stdout=log, stderr=subprocess.STDOUT,
                                            env=dict(os.environ, WORKFLOW_DATABASE=database))

    def stop(self):
        """A graceful stop (SIGTERM): running steps finish, the worker's runs are released."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def check_alive(self):
        if self.process.poll() is not None:
            with open(self.log_path) as log:
                raise AssertionError(f"worker {self.process.args} exited {self.process.returncode}: {log.read()}")


def registered(database, short_name, workers):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        # Until a worker has created the journal, a read command says there is none (exit 5).
        code, out, _ = wf("--json", "workflows", "list", database=database)
        for workflow in (json.loads(out)["workflows"] if code == 0 else []):
            if workflow["id"].endswith("//" + short_name):
                return workflow["id"]
        for worker in workers:
            worker.check_alive()
        time.sleep(0.05)
    raise AssertionError(f"no worker registered {short_name}")


def start(database, workflow, args, run_id=None):
    extra = ["--id", run_id] if run_id else []
    code, out, err = wf("runs", "start", workflow, "--args", json.dumps(args), *extra, database=database)
    if code != 0:
        raise AssertionError(f"wf runs start exited {code}: {err}")
    return out.strip()


# What a journal holds, read from its tables (SQLite: the file; PostgreSQL: psql), in a form both
# backends share. Event IDs are the target's own: each event is named by its place in its run,
# and a delivery's `delivered` by the place of the inbox entry it names.
TABLES = {
    "runs": "SELECT id, workflow_name, deployment_id, status, input, output, error, created_at, started_at, "
            "completed_at, updated_at, owner, ready_at, recovery_count, parent_run_id, attempt FROM runs ORDER BY id",
    "events": "SELECT id, run_id, type, correlation_id, position, step_name, data, created_at FROM events "
              "ORDER BY run_id, id",
    "streams": "SELECT run_id, namespace, length, closed FROM streams ORDER BY run_id, namespace",
    "chunks": "SELECT run_id, namespace, idx, writer_key, data, created_at FROM stream_chunks "
              "ORDER BY run_id, namespace, idx",
    "workflows": "SELECT id, deployment_id, registered_at FROM workflows ORDER BY id, deployment_id",
}


def read_tables(journal):
    if journal.startswith("postgresql://"):
        base, schema = re.fullmatch(r"(.*)[?&]schema=(\w+)", journal).groups()
        psql = shutil.which("psql")
        if not psql:
            raise AssertionError("psql is needed to read a PostgreSQL journal (Debian: postgresql-client)")
        tables = {}
        for name, query in TABLES.items():
            done = subprocess.run([psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", base, "-c",
                                   f"SET search_path TO {schema}", "-c",
                                   f"SELECT coalesce(json_agg(t), '[]'::json) FROM ({query}) t"],
                                  capture_output=True, text=True, timeout=60)
            if done.returncode != 0:
                raise AssertionError(f"psql on {journal}: {done.stderr}")
            tables[name] = json.loads(done.stdout)
        return tables
    path = journal[len("sqlite://"):] if journal.startswith("sqlite://") else journal
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        return {name: [dict(row) for row in connection.execute(query)] for name, query in TABLES.items()}
    finally:
        connection.close()


def journal_contents(journal):
    tables = read_tables(journal)
    for stream in tables["streams"]:
        stream["closed"] = bool(stream["closed"])
    places = {}  # event ID -> its place in its run
    runs_events = {}
    for event in tables["events"]:
        run_events = runs_events.setdefault(event["run_id"], [])
        places[event["id"]] = len(run_events)
        run_events.append(event)
    for run_events in runs_events.values():
        for event in run_events:
            event["data"] = json.loads(event["data"])
            if event["position"] >= 0 and "delivered" in event["data"]:
                event["data"]["delivered"] = ("place", places.get(event["data"]["delivered"]))
    for event in tables["events"]:
        event["id"] = ("place", places[event["id"]])
    return tables


def counts(contents):
    return {"runs": len(contents["runs"]),
            "unfinished_runs": sum(run["status"] not in ("completed", "failed", "cancelled")
                                   for run in contents["runs"]),
            "events": len(contents["events"]), "streams": len(contents["streams"]),
            "stream_chunks": len(contents["chunks"]), "workflows": len(contents["workflows"])}


def add_filler_runs(path, count):
    """Adds `count` completed runs without events to a SQLite journal, newer than any other run
    (so a copy takes them first), straight into the file."""
    newest = int((time.time() + 60) * 1e6)
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO runs (id, workflow_name, deployment_id, status, input, output, created_at, updated_at, "
            "completed_at, parent_run_id) VALUES (?, ?, 'build-filler', 'completed', '[]', '0', ?, ?, ?, '')",
            [(f"wrun_FILLER{i:04d}", SOURCE.report_workflow, newest + i, newest + i, newest + i) for i in range(count)])
    connection.close()


class Source:
    """The SQLite journal every test copies: runs in every state, written by the examples' workers,
    which are stopped before any copy."""

    def __init__(self):
        self.path = os.path.join(WORKDIR, "source.db")
        reports = Worker(REPORT, self.path, "source-report-worker")
        orders = Worker(ORDERS, self.path, "source-orders-worker")
        try:
            self.report_workflow = registered(self.path, "reports::quarterly_report", [reports, orders])
            self.order_workflow = registered(self.path, "shop::process_order", [reports, orders])
            self.runs = {}
            self.runs["completed"] = start(self.path, self.report_workflow, [["emea", "apac"]])
            self.runs["interrupted"] = start(self.path, self.report_workflow, [LONG_REPORT])
            self.runs["awaiting_approval"] = self.start_order("J-1")
            self.runs["sleeping"] = self.start_order("J-2")
            self.runs["approved_twice"] = self.start_order("J-3")
            self.runs["paused"] = self.start_order("J-4")
            self.runs["cancelled"] = self.start_order("J-5")
            wait_until(self.path, self.runs["completed"], lambda run: run["status"] == "completed", "completed")
            # Stopped mid-way: the run is released unfinished, its stream open and partly written.
            wait_until(self.path, self.runs["interrupted"],
                       lambda run: run["streams"] and run["streams"][0]["length"] >= 6, "wrote 6 chunks")
            reports.stop()

            self.send(self.runs["sleeping"], "carol")
            wait_until(self.path, self.runs["sleeping"], sleeping, "began its sleep")
            # Two approvals: the first is delivered; the second waits in the inbox for a later wait.
            self.send(self.runs["approved_twice"], "carol")
            wait_until(self.path, self.runs["approved_twice"], sleeping, "began its sleep")
            self.send(self.runs["approved_twice"], "dave")
            self.control(self.runs["paused"], "pause")
            self.control(self.runs["cancelled"], "cancel")
            for name in ("awaiting_approval", "sleeping", "approved_twice"):
                self.wait_until_settled(self.runs[name])
            orders.stop()
        finally:
            reports.stop()
            orders.stop()
        self.contents = journal_contents(self.path)
        statuses = {name: wf_json(self.path, "runs", "show", run_id)["status"] for name, run_id in self.runs.items()}
        expected = {"completed": "completed", "interrupted": "running", "awaiting_approval": "waiting",
                    "sleeping": "waiting", "approved_twice": "waiting", "paused": "paused", "cancelled": "cancelled"}
        if statuses != expected:
            raise AssertionError(f"the source journal's runs are {statuses}, expected {expected}")

    def start_order(self, order_id):
        run_id = start(self.path, self.order_workflow, [dict(ORDER, id=order_id)])
        wait_until(self.path, run_id, lambda run: run["status"] == "waiting"
                   and any(entry["kind"] == "event" for entry in run["timeline"]), "waited for its approval")
        return run_id

    def wait_until_settled(self, run_id):
        """Until the run waits for its hour-long sleep or two-day event timeout, unowned: an event
        sent to a sleeping run makes it due, and it must have gone back to sleep before its worker
        stops (or it would be released `running`)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            try:
                status, owner, ready_at = connection.execute(
                    "SELECT status, owner, ready_at FROM runs WHERE id = ?", (run_id,)).fetchone()
            finally:
                connection.close()
            if status == "waiting" and owner is None and ready_at and ready_at > (time.time() + 1800) * 1e6:
                return
            time.sleep(0.05)
        raise AssertionError(f"run {run_id} never settled: {status}, owner {owner}, ready at {ready_at}")

    def send(self, run_id, approver):
        code, _, err = wf("runs", "send-event", run_id, "approval", "--payload", json.dumps(approver),
                          database=self.path)
        if code != 0:
            raise AssertionError(err)

    def control(self, run_id, action):
        code, _, err = wf("runs", action, run_id, database=self.path)
        if code != 0:
            raise AssertionError(err)


SOURCE = None


def setUpModule():
    global SOURCE
    shutil.rmtree(WORKDIR, ignore_errors=True)
    os.makedirs(WORKDIR)
    SOURCE = Source()


class JournalCopyTest(unittest.TestCase):
    def assert_copied(self, journal):
        """`journal` holds exactly what the source holds."""
        copied = journal_contents(journal)
        for table in TABLES:
            self.assertEqual(copied[table], SOURCE.contents[table], f"table {table} of {journal}")

    def assert_same_views(self, journal):
        """wf shows the same runs, timelines and events on both journals."""
        self.assertEqual(wf_json(journal, "runs", "list", "--limit", "1000"),
                         wf_json(SOURCE.path, "runs", "list", "--limit", "1000"))
        self.assertEqual(wf_json(journal, "workflows", "list"), wf_json(SOURCE.path, "workflows", "list"))
        for run_id in SOURCE.runs.values():
            self.assertEqual(wf_json(journal, "runs", "show", run_id), wf_json(SOURCE.path, "runs", "show", run_id))

    def assert_source_unchanged(self):
        self.assertEqual(journal_contents(SOURCE.path), SOURCE.contents)

    def test_sqlite_to_a_new_sqlite_file(self):
        target = os.path.join(WORKDIR, "copy.db")
        code, out, err = copy(SOURCE.path, target)
        self.assertEqual(code, 0, err)
        expected = counts(SOURCE.contents)
        self.assertEqual(expected["runs"], 7)
        self.assertIn(f"copied {SOURCE.path}\n    to {target}\n", out)
        self.assertRegex(out, rf"runs\s+7 \(5 not ended")
        self.assertRegex(out, rf"events\s+{expected['events']}\n")
        self.assertRegex(out, rf"streams\s+2 \({expected['stream_chunks']} chunks\)")
        self.assertRegex(out, r"workflow registrations\s+2\n")
        self.assert_copied(target)
        self.assert_same_views(target)
        self.assertTrue(all(run["owner"] is None for run in journal_contents(target)["runs"]))
        self.assert_source_unchanged()

    @needs_postgres
    def test_sqlite_to_postgresql_and_back(self):
        there = new_schema("there")
        code, out, err = wf("--json", "journal", "copy", SOURCE.path, there)
        self.assertEqual(code, 0, err)
        report = json.loads(out)
        self.assertEqual({key: report[key] for key in counts(SOURCE.contents)}, counts(SOURCE.contents))
        self.assertEqual(report["from"], SOURCE.path)
        self.assert_copied(there)
        self.assert_same_views(there)

        back = os.path.join(WORKDIR, "back.db")
        code, out, err = copy(there, "sqlite://" + back)
        self.assertEqual(code, 0, err)
        self.assertRegex(out, r"runs\s+7 \(5 not ended")
        self.assert_copied(back)
        self.assert_same_views(back)
        self.assert_source_unchanged()

    def test_schedules_are_copied_with_their_state(self):
        first = os.path.join(WORKDIR, "with-schedules.db")
        self.assertEqual(copy(SOURCE.path, first)[0], 0)
        wf_json(first, "schedules", "create", "copied-nightly", "workflow//./x//nightly", "--spec", "0 3 * * *",
                "--time-zone", "Europe/Berlin", "--args", "[1]", "--overlap", "buffer_one", "--paused")
        second = os.path.join(WORKDIR, "with-schedules-copy.db")
        code, out, err = copy(first, second)
        self.assertEqual(code, 0, err)
        self.assertRegex(out, r"schedules\s+1\n")
        self.assertEqual(wf_json(second, "schedules", "show", "copied-nightly"),
                         wf_json(first, "schedules", "show", "copied-nightly"))

    def test_a_target_that_is_not_empty_is_refused_and_left_as_it_was(self):
        targets = [os.path.join(WORKDIR, "twice.db")] + ([new_schema("twice")] if POSTGRES else [])
        for target in targets:
            with self.subTest(target=target):
                self.assertEqual(copy(SOURCE.path, target)[0], 0)
                before = journal_contents(target)
                code, out, err = copy(SOURCE.path, target)
                self.assertEqual(code, 2, out + err)
                self.assertIn(f"is not empty (7 runs, 2 workflow registrations): copy into a new file or database "
                              f"schema; nothing was written", err)
                self.assertEqual(out, "")
                self.assertEqual(journal_contents(target), before)
        self.assert_source_unchanged()

    def test_the_target_s_workers_finish_the_copied_runs(self):
        target = new_schema("resume") if POSTGRES else os.path.join(WORKDIR, "resume.db")
        self.assertEqual(copy(SOURCE.path, target)[0], 0)
        workers = [Worker(REPORT, target, "target-report-worker"), Worker(ORDERS, target, "target-orders-worker")]
        runs = SOURCE.runs
        try:
            # In flight when its worker stopped: resumed at once, its stream written on without a
            # chunk twice (the writer keys came along).
            self.assertEqual(wf("runs", "watch", runs["interrupted"], "--interval", "50", database=target)[0], 0)
            code, out, err = wf("--json", "runs", "tail", runs["interrupted"], "--namespace", "progress",
                                database=target)
            self.assertEqual(code, 0, err)
            chunks = [json.loads(line) for line in out.splitlines()]
            self.assertEqual([chunk["index"] for chunk in chunks], list(range(4 * len(LONG_REPORT) + 1)))
            for i, region in enumerate(LONG_REPORT):
                self.assertEqual(chunks[4 * i]["data"], f"{region}: querying the sales warehouse")
                self.assertEqual(chunks[4 * i + 2]["data"], f"{region}: querying the ledger")
            self.assertEqual(chunks[-1]["data"], "rendering the report")

            # Waiting for its event: it arrives through the target.
            self.assertEqual(wf("runs", "send-event", runs["awaiting_approval"], "approval", "--payload", '"erin"',
                                database=target)[0], 0)
            wait_until(target, runs["awaiting_approval"], sleeping, "began its sleep")
            # Sleeping for an hour: woken up through the target.
            for name, approver in (("awaiting_approval", "erin"), ("sleeping", "carol")):
                code, out, err = wf("runs", "wake-up", runs[name], database=target)
                self.assertEqual((code, out.strip()), (0, f"{runs[name]}: 1 sleep(s) ended"), err)
                self.assertEqual(wf("runs", "watch", runs[name], "--interval", "50", database=target)[0], 0)
                shown = wf_json(target, "runs", "show", runs[name])
                self.assertEqual(shown["output"]["approved_by"], approver)

            # A restart waits for the approval again and takes the one still in the inbox: the
            # copied delivery still names the first approval.
            self.assertEqual(wf("runs", "restart", runs["approved_twice"], database=target)[0], 0)
            wait_until(target, runs["approved_twice"], lambda run: sleeping(run, "a2/"), "slept in its second attempt")
            self.assertEqual(wf("runs", "wake-up", runs["approved_twice"], database=target)[0], 0)
            self.assertEqual(wf("runs", "watch", runs["approved_twice"], "--interval", "50", database=target)[0], 0)
            self.assertEqual(wf_json(target, "runs", "show", runs["approved_twice"])["output"]["approved_by"], "dave")

            self.assertEqual(wf("runs", "resume", runs["paused"], database=target)[0], 0)
            wait_until(target, runs["paused"], lambda run: run["status"] == "waiting", "waited again")
            for worker in workers:
                worker.check_alive()
        finally:
            for worker in workers:
                worker.stop()
        self.assertEqual(wf_json(target, "runs", "show", runs["cancelled"])["status"], "cancelled")
        self.assert_source_unchanged()

    def test_a_source_whose_workers_hold_runs_is_refused_unless_forced(self):
        live = os.path.join(WORKDIR, "live.db")
        target = os.path.join(WORKDIR, "live-copy.db")
        worker = Worker(REPORT, live, "live-report-worker")
        try:
            report_workflow = registered(live, "reports::quarterly_report", [worker])
            run_id = start(live, report_workflow, [[f"x{i}" for i in range(40)]])
            wait_until(live, run_id, lambda run: run["streams"] and run["streams"][0]["length"] >= 1, "began")
            # Frozen, the worker holds its run with a live lease until it goes on.
            worker.process.send_signal(signal.SIGSTOP)
            code, out, err = copy(live, target)
            self.assertEqual(code, 2, out + err)
            self.assertIn(f"source journal {live}: 1 run held by 1 live worker", err)
            self.assertIn("stop the workers of the source journal first", err)
            self.assertFalse(os.path.exists(target))

            code, out, err = copy(live, target, "--force")
            self.assertEqual(code, 0, err)
            self.assertRegex(out, r"runs\s+1 \(1 not ended")
            copied = journal_contents(target)["runs"]
            self.assertEqual([(run["id"], run["status"], run["owner"]) for run in copied], [(run_id, "running", None)])
        finally:
            worker.stop()

    def test_a_journal_larger_than_one_transaction(self):
        large = os.path.join(WORKDIR, "large.db")
        self.assertEqual(copy(SOURCE.path, large)[0], 0)
        add_filler_runs(large, 450)
        target = new_schema("large") if POSTGRES else os.path.join(WORKDIR, "large-copy.db")
        code, out, err = copy(large, target)
        self.assertEqual(code, 0, err)
        self.assertRegex(out, r"runs\s+457 \(5 not ended")
        self.assertEqual(journal_contents(target), journal_contents(large))

    def test_a_copy_that_fails_says_what_the_target_holds(self):
        # A damaged source: a delivery names an event that is not in its run (fault injection,
        # straight into the file, without a checksum as in a journal written before checksums:
        # the copy's own check is what finds it), so the copy fails at that run.
        damaged = os.path.join(WORKDIR, "damaged.db")
        self.assertEqual(copy(SOURCE.path, damaged)[0], 0)
        with sqlite3.connect(damaged) as connection:
            connection.execute("UPDATE events SET data = json_set(data, '$.delivered', 999999), checksum = NULL "
                               "WHERE run_id = ? "
                               "AND type = 'event_received' AND position >= 0", (SOURCE.runs["sleeping"],))
        connection.close()
        failure = f"run {SOURCE.runs['sleeping']}: a delivery names event 999999, which is no inbox entry before it"

        # In the first transaction: nothing is copied, and the copy may be run again into the target.
        target = os.path.join(WORKDIR, "failed.db")
        code, out, err = copy(damaged, target)
        self.assertEqual(code, 5, out + err)
        self.assertIn(f"journal copy from {damaged} to {target} failed: {failure}", err)
        self.assertIn("Nothing was copied", err)
        self.assertEqual(counts(journal_contents(target))["runs"], 0)

        # After 250 newer runs (copied first, 200 per transaction): the first transaction stays.
        add_filler_runs(damaged, 250)
        code, out, err = copy(damaged, target)
        self.assertEqual(code, 5, out + err)
        self.assertIn(f"journal copy from {damaged} to {target} failed after 200 runs and 2 workflow registrations "
                      f"were committed: {failure}", err)
        self.assertIn(f"The target holds a partial copy: delete {target} (with its -wal and -shm files), then copy "
                      f"again", err)
        self.assertEqual(counts(journal_contents(target))["runs"], 200)
        code, _, err = copy(damaged, target)  # a partial copy is never taken for a finished one
        self.assertEqual(code, 2)
        self.assertIn("is not empty (200 runs, 2 workflow registrations)", err)

    def test_bad_input_is_refused_and_creates_nothing(self):
        empty = os.path.join(WORKDIR, "empty.db")
        # A journal without runs (a read command would not create it).
        self.assertEqual(wf("runs", "cancel", "wrun_none", database=empty)[0], 3)
        new = os.path.join(WORKDIR, "never-written.db")
        missing = os.path.join(WORKDIR, "missing.db")
        relative = os.path.relpath(SOURCE.path)
        cases = [
            ((SOURCE.path, SOURCE.path), 2, f"the source and the target are the same journal ({SOURCE.path})"),
            ((SOURCE.path, "sqlite://" + relative), 2, "are the same journal"),
            ((missing, new), 5, f"source journal '{missing}' does not exist"),
            ((empty, new), 2, f"source journal {empty} is empty (no runs, no workflow registrations): nothing to copy"),
            ((SOURCE.path, "/nonexistent/dir/journal.db"), 5, "directory '/nonexistent/dir' does not exist"),
            ((SOURCE.path, "mysql://localhost/journal"), 2, "unknown scheme"),
            ((SOURCE.path, new, "--database", SOURCE.path), 2, "--database does not apply"),
            ((SOURCE.path,), 2, "to is required"),
        ]
        if POSTGRES:
            with socket.socket() as probe:  # a loopback port nobody listens on
                probe.bind(("127.0.0.1", 0))
                closed_port = probe.getsockname()[1]
            unreachable = f"postgresql://postgres:s3cret@127.0.0.1:{closed_port}/postgres?schema=copy_nowhere"
            server = re.match(r"postgresql://[^/]*@([^/]+)/", POSTGRES).group(1)
            no_database = f"postgresql://postgres:s3cret@{server}/no_such_database?schema=copy_nowhere"
            same = new_schema("same")
            same_printed = re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", same)
            cases += [
                ((SOURCE.path, unreachable), 5, f"127.0.0.1:{closed_port}"),
                ((unreachable, new), 5, f"127.0.0.1:{closed_port}"),
                ((SOURCE.path, no_database), 5, "no_such_database"),
                ((same, same), 2, f"the source and the target are the same journal ({same_printed})"),
            ]
        for args, expected_code, message in cases:
            with self.subTest(args=args):
                code, out, err = wf("journal", "copy", *args)
                self.assertEqual(code, expected_code, out + err)
                self.assertIn(message, err)
                self.assertNotIn("s3cret", out + err)
                self.assertFalse(os.path.exists(new))
                self.assertFalse(os.path.exists(missing))
        code, out, _ = wf("--json", "journal", "copy", missing, new)
        self.assertEqual((code, json.loads(out)["error"]["code"]), (5, "storage_unavailable"))
        self.assert_source_unchanged()


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
