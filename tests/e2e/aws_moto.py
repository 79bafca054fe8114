"""A moto_server for tests: started on 127.0.0.1 on a free port, reachable only from this machine.

Usage (Python standard library plus the `moto_server` command from Python moto; boto3 for populating):

    from aws_moto import MotoServer, MotoMissing
    with MotoServer() as moto:               # raises MotoMissing with a clear message when moto_server is absent
        client = moto.client("cloudtrail", region_name="us-east-1")   # boto3 client bound to this server
        ...                                   # moto.endpoint is "http://127.0.0.1:PORT" (for --endpoint-url)
        moto.reset()                          # forget every resource (between scenarios)

`moto.env()` gives environment variables for a child process that talks to this server with dummy credentials
(AWS_ACCESS_KEY_ID/SECRET "testing", no profile or config files from the user's home, instance metadata off). Moto accepts any
credentials and does not check signatures, so it tests protocol handling, not signing.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

DUMMY_KEY = "testing"


class MotoMissing(RuntimeError):
    pass


def skip_unless_moto():
    """Exits with ctest's skip code (77) when boto3 (which populates the server) or moto_server is missing: a test
    that needs them is reported skipped, never passed."""
    try:
        import boto3  # noqa: F401
    except ImportError:
        print("SKIP: boto3 is not installed (it populates moto_server)")
        sys.exit(77)
    if shutil.which("moto_server") is None:
        print("SKIP: moto_server is not on PATH")
        sys.exit(77)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoServer:
    """moto_server as a context manager. `start_timeout` bounds the wait for its first answer."""

    def __init__(self, start_timeout=30.0):
        self.start_timeout = start_timeout
        self.port = None
        self.proc = None
        self.log = None

    @property
    def endpoint(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self):
        exe = shutil.which("moto_server")
        if exe is None:
            raise MotoMissing("moto_server is not on PATH: install Python moto with its server extra "
                              "(pip install 'moto[server]') to run the AWS tests")
        self.log = tempfile.TemporaryFile()
        began = time.time()
        for _ in range(3):  # another process may grab the port between free_port() and the bind
            self.port = free_port()
            self.proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(self.port)], stdin=subprocess.DEVNULL,
                                         stdout=self.log, stderr=subprocess.STDOUT)
            while time.time() - began < self.start_timeout:
                if self.proc.poll() is not None:
                    break
                if self._answers():
                    return self
                time.sleep(0.1)
            self.stop()
        raise RuntimeError("moto_server did not answer on 127.0.0.1 within %.0fs:\n%s" % (self.start_timeout,
                                                                                           self.output()))

    def _answers(self):
        try:
            with urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=1) as r:
                return r.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def output(self):
        if self.log is None:
            return ""
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-3000:]

    def reset(self):
        req = urllib.request.Request(self.endpoint + "/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(req, timeout=10) as r:
            r.read()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def env(self, **extra):
        """Environment for a child process: dummy credentials, no user profile or config, this endpoint not
        proxied."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_ACCESS_KEY_ID": DUMMY_KEY, "AWS_SECRET_ACCESS_KEY": DUMMY_KEY,
                    "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                    "AWS_EC2_METADATA_DISABLED": "true",
                    "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"})
        env.update(extra)
        return env

    def client(self, service, region_name="us-east-1"):
        import boto3
        return boto3.client(service, region_name=region_name, endpoint_url=self.endpoint,
                            aws_access_key_id=DUMMY_KEY, aws_secret_access_key=DUMMY_KEY)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        if self.log is not None:
            self.log.close()
        return False
