"""The dashboard in headless Chromium (test/browser/dashboard_test.mjs, playwright-core) against
`wf serve` over a journal written by the example programs' workers: it opens a waiting order,
sees its timeline, presses Cancel and sees the status change; the journal must then say
cancelled too. Then, on the schedules page, it resumes a paused schedule and triggers it; the
journal must say the schedule is active and its last run is the triggered one. The screenshot stays in WORKDIR as the test's artifact.
Usage: browser_test.py WF REPORT ORDER_PROCESSING WORKDIR NODE_SCRIPT"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_fixture import OpsFixture  # noqa: E402


def main():
    fixture = OpsFixture(*sys.argv[1:5])
    try:
        order = {"id": "B-1", "email": "browser@example.com", "cents": 4200, "items": ["lamp", "desk"]}
        started = fixture.wf_json("runs", "start", fixture.order_workflow, "--args", json.dumps([order]))
        run_id = started["run"]["id"]
        fixture.wait_until(run_id, lambda run: run["status"] == "waiting"
                           and any(e["kind"] == "event" for e in run["timeline"]), "waited for its approval")
        fixture.wf_json("schedules", "create", "browser-nightly", fixture.report_workflow, "--spec", "0 3 * * *",
                        "--args", '[["emea"]]', "--paused")
        screenshot = os.path.join(fixture.workdir, "dashboard.png")
        browser = subprocess.run(["node", sys.argv[5], "--url", fixture.base_url, "--run", run_id,
                                  "--schedule", "browser-nightly", "--screenshot", screenshot],
                                 capture_output=True, text=True, timeout=180)
        print(browser.stdout + browser.stderr)
        if browser.returncode != 0:
            sys.exit(f"FAIL: the browser test exited with {browser.returncode}")
        status = fixture.wf_json("runs", "show", run_id)["status"]
        if status != "cancelled":
            sys.exit(f"FAIL: the dashboard showed cancelled, but the journal says {status}")
        schedule = fixture.wf_json("schedules", "show", "browser-nightly")
        if schedule["paused"] or not (schedule["last_run_id"] or "").endswith("-manual"):
            sys.exit(f"FAIL: the dashboard resumed and triggered the schedule, but the journal says {schedule}")
        if not os.path.getsize(screenshot):
            sys.exit("FAIL: no screenshot")
        print(f"browser: dashboard cancelled run {run_id}; screenshot {screenshot}")
    finally:
        fixture.close()


if __name__ == "__main__":
    main()
