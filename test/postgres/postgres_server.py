#!/usr/bin/env python3
"""A throwaway PostgreSQL server for the test suites: one per test run, started and stopped by the
CTest fixture `postgres` (test/postgres/CMakeLists.txt); every test uses a schema of its own in it.

Usage:
  postgres_server.py start STATE_DIR   initdb a fresh cluster and start it on a free loopback port
  postgres_server.py stop STATE_DIR    stop it (fast shutdown) and remove its data; quiet if stopped

`start` leaves in STATE_DIR:
  url        postgresql://postgres:PASSWORD@127.0.0.1:PORT/postgres (a random password; TCP
             connections need it, the server's own socket is trusted)
  data-dir   the cluster's data directory
  pg_ctl     pg_ctl for this cluster, run as its owner with the server's options; a fault test
             crashes and restarts the server with `STATE_DIR/pg_ctl -m immediate -w restart`
  server.log the server's log (copied here when the server stops, for a post-mortem)

Test runs that overlap in one build tree (two `ctest` started side by side) share the server
instead of restarting it under each other: `start` and `stop` each note the test run that calls
them (their parent process, i.e. ctest) in STATE_DIR/runs, and `stop` leaves the server running
while another live run still uses it. A `stop` from outside any run that started it (a shell)
stops it regardless. A server whose runs are all gone (an interrupted run) is replaced by `start`.

The server binaries are not on Debian's PATH: they are taken from the newest
/usr/lib/postgresql/<version>/bin, else from `pg_config --bindir`, else from PATH (override with
WORKFLOW_TEST_PG_BINDIR). initdb refuses to run as root, so as root every server command runs as
the `postgres` user (runuser), which then owns the data, socket and log. fsync and
synchronous_commit keep their defaults (on): the journal's durability is what the tests exercise.
"""
import contextlib
import fcntl
import glob
import os
import pwd
import re
import shlex
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile

SERVER_USER = "postgres"
# Many worker processes, each with a writer, a listener and a few readers, share one server.
SERVER_SETTINGS = ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "shared_buffers=128MB"]
# A Unix socket's path is limited to 107 bytes; `.s.PGSQL.NNNNN` is appended to the directory.
MAX_SOCKET_DIR_LENGTH = 90


def bindir():
    override = os.environ.get("WORKFLOW_TEST_PG_BINDIR")
    if override:
        return override
    versions = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if versions:
        newest = max(versions, key=lambda path: [int(part) for part in re.findall(r"\d+", path)])
        return os.path.dirname(newest)
    try:
        return subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(initdb)
    sys.exit("postgres_server: no PostgreSQL server binaries (initdb, pg_ctl) found: install the `postgresql` "
             "package (scripts/dependencies.sh does) or set WORKFLOW_TEST_PG_BINDIR")


def as_root():
    return os.geteuid() == 0


def server_command(args):
    """`args` as the cluster's owner: `postgres` when we are root, else ourselves."""
    return ["runuser", "-u", SERVER_USER, "--"] + args if as_root() else args


def give_to_server_user(path):
    if as_root():
        user = pwd.getpwnam(SERVER_USER)
        os.chown(path, user.pw_uid, user.pw_gid)


def server_user_can_use(directory):
    """Whether the server user can create files in `directory` (every parent must be searchable)."""
    if not as_root():
        return True
    return subprocess.run(server_command(["test", "-w", directory, "-a", "-x", directory])).returncode == 0


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read(path):
    try:
        with open(path) as file:
            return file.read().strip()
    except OSError:
        return ""


def write(path, text, mode=0o644):
    with open(path, "w") as file:
        file.write(text + "\n")
    os.chmod(path, mode)


def remove(path):
    with contextlib.suppress(OSError):
        os.remove(path)


@contextlib.contextmanager
def locked(state_dir):
    """Serialises `start` and `stop` of one STATE_DIR."""
    os.makedirs(state_dir, exist_ok=True)
    with open(os.path.join(state_dir, "lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def live_runs(state_dir):
    """The test runs (ctest processes) that use the server and still exist."""
    return [int(pid) for pid in read(os.path.join(state_dir, "runs")).split() if pid.isdigit() and alive(int(pid))]


def write_runs(state_dir, runs):
    write(os.path.join(state_dir, "runs"), "\n".join(str(pid) for pid in runs))


def server_runs(state_dir):
    pg_ctl = os.path.join(state_dir, "pg_ctl")
    return (os.path.exists(os.path.join(state_dir, "url")) and os.path.exists(pg_ctl)
            and subprocess.run([pg_ctl, "status"], capture_output=True).returncode == 0)


def cluster_root(state_dir):
    """Where the cluster lives: STATE_DIR/cluster, or a temp dir when the server user cannot
    reach STATE_DIR (a build tree in a private home) or the socket path would be too long."""
    cluster = os.path.join(state_dir, "cluster")
    if len(cluster) + len("/socket") <= MAX_SOCKET_DIR_LENGTH:
        os.makedirs(cluster)
        give_to_server_user(cluster)
        if server_user_can_use(cluster):
            return cluster
        shutil.rmtree(cluster)
    cluster = tempfile.mkdtemp(prefix="workflow-test-postgres-")
    os.chmod(cluster, 0o755)
    give_to_server_user(cluster)
    return cluster


def pg_ctl_helper(pg_ctl, data, socket_dir, port, log):
    options = " ".join(shlex.quote(option) for option in ["-p", str(port), "-k", socket_dir] + SERVER_SETTINGS)
    command = server_command([pg_ctl, "-D", data, "-l", log, "-o", options])
    return ("#!/bin/sh\n"
            "# pg_ctl for the test server; e.g. `$0 -m immediate -w restart` (a crash, then a restart)\n"
            f"exec {' '.join(shlex.quote(part) for part in command)} \"$@\"")


def start(state_dir):
    state_dir = os.path.abspath(state_dir)
    with locked(state_dir):
        runs = live_runs(state_dir)
        if runs and server_runs(state_dir):
            write_runs(state_dir, sorted(set(runs + [os.getppid()])))
            print(f"postgres_server: {re.sub(r':[^:@/]*@', ':***@', read(os.path.join(state_dir, 'url')))} "
                  f"(shared with the test run(s) {runs})")
            return
        if stop_server(state_dir):  # a server left over from an interrupted run
            sys.exit("postgres_server: a server left over from an earlier run does not stop")
        start_server(state_dir)
        write_runs(state_dir, [os.getppid()])


def stop(state_dir):
    """Returns whether a running server refused to stop."""
    state_dir = os.path.abspath(state_dir)
    if not os.path.isdir(state_dir):
        return False
    with locked(state_dir):
        runs = live_runs(state_dir)
        if os.getppid() in runs:
            runs.remove(os.getppid())
            if runs:
                write_runs(state_dir, runs)
                print(f"postgres_server: left running for the test run(s) {runs}")
                return False
        return stop_server(state_dir)


def start_server(state_dir):
    bin_dir = bindir()
    cluster = cluster_root(state_dir)
    write(os.path.join(state_dir, "cluster-dir"), cluster)
    data, socket_dir, log = (os.path.join(cluster, name) for name in ("data", "socket", "server.log"))
    for directory in (data, socket_dir):
        os.makedirs(directory, mode=0o700)
        give_to_server_user(directory)
    write(log, "", 0o644)
    give_to_server_user(log)

    # Connections over TCP need a password, as on a real server: the tests then exercise passwords
    # in URLs (never printed) and can try a wrong one. The socket stays trusted, for pg_ctl.
    password = secrets.token_hex(12)
    password_file = os.path.join(cluster, "password")
    write(password_file, password + "\n", 0o600)
    give_to_server_user(password_file)
    initdb = subprocess.run(server_command([os.path.join(bin_dir, "initdb"), "-D", data, "-U", SERVER_USER,
                                            "--auth-local=trust", "--auth-host=scram-sha-256",
                                            f"--pwfile={password_file}", "-E", "UTF8", "--locale=C.UTF-8"]),
                            capture_output=True, text=True)
    if initdb.returncode != 0:
        sys.exit(f"postgres_server: initdb failed ({initdb.returncode}):\n{initdb.stdout}{initdb.stderr}")

    pg_ctl = os.path.join(state_dir, "pg_ctl")
    for _ in range(3):  # another process may take the free port before the server binds it
        port = free_port()
        write(pg_ctl, pg_ctl_helper(os.path.join(bin_dir, "pg_ctl"), data, socket_dir, port, log), 0o755)
        started = subprocess.run([pg_ctl, "-w", "-t", "60", "start"], capture_output=True, text=True)
        if started.returncode == 0 or "could not bind" not in read(log):
            break
    if started.returncode != 0:
        subprocess.run([pg_ctl, "-m", "immediate", "-w", "stop"], capture_output=True)
        sys.stderr.write(f"postgres_server: the server did not start:\n{started.stdout}{started.stderr}\n"
                         f"--- {log} ---\n{read(log)}\n")
        sys.exit(1)

    url = f"postgresql://{SERVER_USER}:{password}@127.0.0.1:{port}/{SERVER_USER}"
    ready = subprocess.run([os.path.join(bin_dir, "pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-t", "30"],
                           capture_output=True, text=True)
    if ready.returncode != 0:
        sys.stderr.write(f"postgres_server: the server does not accept connections: {ready.stdout}\n"
                         f"--- {log} ---\n{read(log)}\n")
        stop_server(state_dir)
        sys.exit(1)
    write(os.path.join(state_dir, "data-dir"), data)
    write(os.path.join(state_dir, "url"), url)
    print(f"postgres_server: {url.replace(password, '***')} (data {data}, log {log})")


def stop_server(state_dir):
    """Stops the server of STATE_DIR if it runs and removes its data; never an error when there is
    nothing to stop. Returns whether a running server refused to stop."""
    cluster = read(os.path.join(state_dir, "cluster-dir")) or os.path.join(state_dir, "cluster")
    data = os.path.join(cluster, "data")
    if os.path.exists(os.path.join(data, "postmaster.pid")):
        pg_ctl = os.path.join(state_dir, "pg_ctl")
        if os.path.exists(pg_ctl):
            pg_ctl_command = [pg_ctl]
        else:  # killed half-way through `start`
            pg_ctl_command = server_command([os.path.join(bindir(), "pg_ctl"), "-D", data])
        for mode in ("fast", "immediate"):
            if subprocess.run(pg_ctl_command + ["-m", mode, "-w", "-t", "60", "stop"],
                              capture_output=True).returncode == 0:
                break
        else:
            sys.stderr.write(f"postgres_server: the server in {data} did not stop\n")
            return True
    if os.path.exists(os.path.join(cluster, "server.log")):
        shutil.copyfile(os.path.join(cluster, "server.log"), os.path.join(state_dir, "server.log"))
    shutil.rmtree(cluster, ignore_errors=True)
    for name in ("url", "data-dir", "pg_ctl", "cluster-dir", "runs"):
        remove(os.path.join(state_dir, name))
    return False


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop"):
        sys.exit(__doc__)
    if sys.argv[1] == "start":
        start(sys.argv[2])
    elif stop(sys.argv[2]):
        sys.exit(1)


if __name__ == "__main__":
    main()
