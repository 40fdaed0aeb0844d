"""A PostgreSQL journal that cannot be used: an unreachable server, a wrong password, a database
that does not exist, a schema of another application, a journal written by a newer release. `wf`
and a worker (the report-generation example) must each stop with a clear error naming the
problem and a non-zero exit, print no password, and write nothing.

Usage: postgres_bad_input_test.py <wf> <report> <orders> <workdir>  (ctest runs it with the
fixture `postgres`, whose URL file WORKFLOW_TEST_POSTGRES_URL_FILE names)."""
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import unittest
from urllib.parse import urlsplit, urlunsplit

WF, REPORT, _ORDERS, WORKDIR = sys.argv[1:5]
STORAGE_ERROR_EXIT = 5  # docs/cli.md


def server_url():
    with open(os.environ["WORKFLOW_TEST_POSTGRES_URL_FILE"]) as file:
        return file.read().strip()


def with_password(url, password):
    parts = urlsplit(url)
    host = parts.netloc.split("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:{password}@{host}"))


def with_port(url, port):
    parts = urlsplit(url)
    userinfo = parts.netloc.split("@", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{userinfo}@127.0.0.1:{port}"))


def with_database(url, database):
    return urlunsplit(urlsplit(url)._replace(path="/" + database))


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nobody listens once the probe is closed


def psql(url, sql):
    done = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise AssertionError(f"psql: {done.stderr}")
    return done.stdout.strip()


class PostgresBadInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = server_url()
        cls.password = urlsplit(cls.url).password
        shutil.rmtree(WORKDIR, ignore_errors=True)
        os.makedirs(WORKDIR)

    def refused(self, url, *expected, command=None):
        """Runs `wf runs list` (or `command`) on `url`: it must fail with a message matching every
        pattern in `expected`, with no password in its output."""
        command = command or [WF, "--database", url, "runs", "list"]
        env = dict(os.environ, WORKFLOW_DATABASE=url)
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, cwd=WORKDIR)
        output = done.stdout + done.stderr
        self.assertNotEqual(done.returncode, 0, f"{command} succeeded on {url}:\n{output}")
        for pattern in expected:
            self.assertRegex(output, pattern)
        for secret in (self.password, "s3cret-wrong"):
            self.assertNotIn(secret, output)
        return done

    def schema_tables(self, schema):
        return psql(self.url, "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM "
                              f"information_schema.tables WHERE table_schema = '{schema}'")

    def test_an_unreachable_server(self):
        url = with_port(with_password(self.url, "s3cret-wrong"), closed_port())
        done = self.refused(url, r"127\.0\.0\.1", r"(?i)connect|refused")
        self.assertEqual(done.returncode, STORAGE_ERROR_EXIT)
        self.refused(url, r"(?i)connect|refused", command=[REPORT, "worker"])

    def test_a_wrong_password(self):
        url = with_password(self.url, "s3cret-wrong") + "?schema=never_created"
        done = self.refused(url, r"(?i)password authentication failed")
        self.assertEqual(done.returncode, STORAGE_ERROR_EXIT)
        self.refused(url, r"(?i)password authentication failed", command=[REPORT, "worker"])
        self.assertEqual(self.schema_tables("never_created"), "")

    def test_a_database_that_does_not_exist(self):
        url = with_database(self.url, "no_such_database")
        done = self.refused(url, r"no_such_database")
        self.assertEqual(done.returncode, STORAGE_ERROR_EXIT)

    def test_a_schema_of_another_application(self):
        schema = f"shop_{secrets.token_hex(4)}"
        psql(self.url, f"CREATE SCHEMA {schema}; CREATE TABLE {schema}.orders (id int PRIMARY KEY); "
                       f"INSERT INTO {schema}.orders VALUES (1)")
        url = f"{self.url}?schema={schema}"
        self.refused(url, r"not a workflow-cpp journal", schema)
        self.refused(url, r"not a workflow-cpp journal", command=[REPORT, "worker"])
        self.assertEqual(self.schema_tables(schema), "orders")
        self.assertEqual(psql(self.url, f"SELECT count(*) FROM {schema}.orders"), "1")

    def test_a_journal_of_a_newer_release(self):
        schema = f"newer_{secrets.token_hex(4)}"
        url = f"{self.url}?schema={schema}"
        # A command that may write creates the journal (commands that only read do not).
        created = subprocess.run([WF, "--database", url, "runs", "cancel", "wrun_none"], capture_output=True,
                                 text=True, timeout=120)
        self.assertEqual(created.returncode, 3, created.stderr)
        psql(self.url, f"UPDATE {schema}.schema_version SET version = 99, oldest_usable_version = 99")
        before = self.schema_tables(schema)
        self.refused(url, r"newer", r"99")
        self.refused(url, r"newer", command=[REPORT, "worker"])
        self.assertEqual(self.schema_tables(schema), before)
        self.assertEqual(psql(self.url, f"SELECT version, oldest_usable_version FROM {schema}.schema_version"),
                         "99|99")

    def test_a_bad_schema_name_is_a_configuration_error(self):
        done = self.refused(self.url + "?schema=Robert');DROP", r"(?i)schema")
        self.assertEqual(done.returncode, 2)

    def test_a_read_command_does_not_create_a_journal(self):
        schema = f"typo_{secrets.token_hex(4)}"
        done = self.refused(f"{self.url}?schema={schema}", r"no workflow journal in schema", schema)
        self.assertEqual(done.returncode, STORAGE_ERROR_EXIT)
        self.assertEqual(psql(self.url, f"SELECT count(*) FROM information_schema.schemata "
                                        f"WHERE schema_name = '{schema}'"), "0")

    def test_a_password_in_the_url_is_never_printed(self):
        # A successful command that names its journal (a run that does not exist) must redact it.
        done = subprocess.run([WF, "--database", self.url + "?schema=redaction_check", "runs", "cancel", "nope"],
                              capture_output=True, text=True, timeout=120)
        self.assertNotEqual(done.returncode, 0)
        self.assertNotIn(self.password, done.stdout + done.stderr)
        self.assertTrue(re.search(r"nope", done.stdout + done.stderr), done.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
