"""A real journal for the operator-tool tests: the report-generation and order-processing examples
run as worker processes on one journal, and `wf serve` serves it on a loopback port. Every
process is started here and stopped at the end. The journal is a SQLite file in the work
directory, or with WORKFLOW_TEST_BACKEND=postgresql a fresh schema in the PostgreSQL server whose
URL is in the file WORKFLOW_TEST_POSTGRES_URL_FILE names (the CTest fixture `postgres`)."""
import json
import os
import re
import secrets
import sys
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request


def journal_location(workdir):
    """Where the suite's processes keep their journal (WORKFLOW_DATABASE)."""
    backend = os.environ.get("WORKFLOW_TEST_BACKEND", "sqlite")
    if backend == "sqlite":
        return os.path.join(workdir, "journal.db")
    if backend != "postgresql":
        raise RuntimeError(f"WORKFLOW_TEST_BACKEND is '{backend}': expected 'sqlite' or 'postgresql'")
    url_file = os.environ.get("WORKFLOW_TEST_POSTGRES_URL_FILE", "")
    try:
        with open(url_file) as file:
            url = file.read().strip()
    except OSError as error:
        raise RuntimeError(f"WORKFLOW_TEST_BACKEND=postgresql, but the server's URL file '{url_file}' (from "
                           f"WORKFLOW_TEST_POSTGRES_URL_FILE) cannot be read: {error.strerror}. Run the suite "
                           f"through ctest, whose fixture `postgres` starts the server") from None
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}schema=ops_{os.getpid()}_{secrets.token_hex(4)}"


class OpsFixture:
    def __init__(self, wf, report, orders, workdir, separate_stderr=False):
        """`separate_stderr`: each process's stderr goes to `<name>.err` (its `stderr_path`), apart
        from its stdout in `<name>.log`, for a test that reads only what it logs."""
        self.wf_path, self.report, self.orders, self.workdir = wf, report, orders, workdir
        self.separate_stderr = separate_stderr
        shutil.rmtree(workdir, ignore_errors=True)
        os.makedirs(workdir)
        self.journal = journal_location(workdir)
        self.env = dict(os.environ, WORKFLOW_DATABASE=self.journal)
        self.env.pop("WORKFLOW_API_TOKEN", None)
        self.processes = []
        try:
            self.workers = [self.spawn([report, "worker"], "report-worker"),
                            self.spawn([orders, "worker"], "orders-worker")]
            self.report_workflow = self.wait_for_workflow("reports::quarterly_report")
            self.order_workflow = self.wait_for_workflow("shop::process_order")
            self.server, self.base_url = self.start_server([])
        except BaseException:
            self.close()
            raise

    def spawn(self, command, name, **kwargs):
        log_path = os.path.join(self.workdir, name + ".log")
        stderr_path = os.path.join(self.workdir, name + ".err") if self.separate_stderr else log_path
        with open(log_path, "w") as log, open(stderr_path if self.separate_stderr else os.devnull, "w") as errors:
            process = subprocess.Popen(command, cwd=self.workdir, env=kwargs.get("env", self.env), stdout=log,
                                       stderr=errors if self.separate_stderr else subprocess.STDOUT)
        process.log_path, process.stderr_path = log_path, stderr_path
        self.processes.append(process)
        return process

    def start_server(self, extra, env=None):
        """Starts `wf serve` on a free loopback port; returns the process and its base URL."""
        process = self.spawn([self.wf_path, "serve", "--listen", "127.0.0.1:0"] + extra,
                             f"serve-{len(self.processes)}", env=env or self.env)
        for _ in range(200):
            with open(process.log_path) as log:
                found = re.search(r"listening on (http://127\.0\.0\.1:\d+)/", log.read())
            if found:
                return process, found.group(1)
            if process.poll() is not None:
                raise RuntimeError(f"wf serve exited with {process.returncode}: {open(process.log_path).read()}")
            time.sleep(0.05)
        raise RuntimeError("wf serve did not report its port")

    def wait_for_workflow(self, short_name):
        """The ID of a workflow once a worker has registered it; fails at once, with the workers'
        output, if a worker exited."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            # Until a worker has created the journal, a read command says there is none (exit 5).
            code, out, _ = self.wf("--json", "workflows", "list")
            listed = json.loads(out) if code == 0 else {"workflows": []}
            for workflow in listed["workflows"]:
                if workflow["id"].endswith("//" + short_name):
                    return workflow["id"]
            for worker in self.workers:
                if worker.poll() is not None:
                    raise RuntimeError(f"worker {worker.args} exited with {worker.returncode}: "
                                       f"{open(worker.log_path).read()}")
            time.sleep(0.05)
        raise RuntimeError(f"no worker registered {short_name}: " +
                           " | ".join(open(worker.log_path).read() for worker in self.workers))

    def wf(self, *args, input=None):
        """Runs wf; returns (exit code, stdout, stderr)."""
        done = subprocess.run([self.wf_path] + list(args), env=self.env, capture_output=True, text=True, timeout=120,
                              input=input)
        return done.returncode, done.stdout, done.stderr

    def wf_json(self, *args):
        code, out, err = self.wf("--json", *args)
        if code != 0:
            raise AssertionError(f"wf {' '.join(args)} exited {code}: {err}")
        return json.loads(out)

    def wait_until(self, run_id, predicate, what, seconds=20):
        for _ in range(int(seconds / 0.05)):
            run = self.wf_json("runs", "show", run_id)
            if predicate(run):
                return run
            time.sleep(0.05)
        raise AssertionError(f"run {run_id} never {what}: {json.dumps(run)[:2000]}")

    def http(self, method, path, body=None, headers=None, raw=None):
        """Returns (status, parsed JSON or text, headers)."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, self.decode(response), response.headers
        except urllib.error.HTTPError as error:
            return error.code, self.decode(error), error.headers

    @staticmethod
    def decode(response):
        text = response.read().decode()
        if response.headers.get("Content-Type", "").startswith("application/json"):
            return json.loads(text)
        return text

    def close(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


# The fixture of a unittest module run as `<suite>_test.py WF REPORT ORDER_PROCESSING WORKDIR`:
# the suites import setUpModule and tearDownModule from here and reach the fixture by fixture().
_current = None


def setUpModule():
    global _current
    _current = OpsFixture(*sys.argv[1:5])


def tearDownModule():
    _current.close()


def fixture():
    return _current
