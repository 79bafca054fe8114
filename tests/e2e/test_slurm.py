#!/usr/bin/env python3
"""End-to-end: a sharded scan as a Slurm array job, merged by a dependent job, equals one unsharded scan.

The test runs a one-node Slurm cluster of its own: munged, slurmctld and slurmd are started from a temporary
folder with a private slurm.conf (loopback, free ports, its own munge key and socket), so no file under /etc, /run
or /var is needed or changed, and every daemon is stopped by its pid at the end. Then:

1. An array job of 3 tasks runs `trailwatch scan --shard auto --format json -o parts/part-$SLURM_ARRAY_TASK_ID.json`
   over a small corpus plus a folder holding one truncated .json.gz; a job with --dependency=afterany on the array
   runs `trailwatch merge`. The shard that holds the damaged file (FNV-1a-64 of its name, mod 3) exits 2 but writes
   its part; the merge still runs, exits 2, lists the file in input.errors, and its report equals an unsharded
   `trailwatch scan --format json` of the same paths field for field, except input.seconds, input.threads and the
   shard's own "shard" object.
2. An array 5-7 over the corpus alone (--shard auto subtracts SLURM_ARRAY_TASK_MIN) where task 6, shard 1, has its
   -o path under a regular file (ENOTDIR, even for root): that shard exits 64 at once, without a part; the others read
   exactly the files FNV-1a-64 gives them, and the merge of their parts exits 2 naming the missing "shard 1 of 3".

Skips (exit 77) only when not run as root (slurmd must be) or when munged, slurmctld, slurmd or sbatch is absent
(Debian packages slurm-wlm and munge; tools/install-deps.sh installs them).
"""
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import Suite, json_differences, read_tree, tail, write  # noqa: E402

SKIP = 77
SHARDS = 3
PROGRAMS = ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "scontrol", "scancel")
# Fields that legitimately differ between a merge and one unsharded scan (the contract's list).
VOLATILE_INPUT_FIELDS = ("seconds", "threads")


def which(name):
    """Finds a program on PATH or in the sbin folders a non-login root shell may lack."""
    path = os.environ.get("PATH", "") + os.pathsep + "/usr/sbin:/sbin:/usr/local/sbin"
    return shutil.which(name, path=path)


def free_port():
    """A TCP port free on loopback now (the kernel's choice); the daemons bind it a moment later."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SlurmCluster:
    """munged + slurmctld + slurmd on this machine, configured and kept entirely under `root`."""

    def __init__(self, root):
        self.root = root
        # munged refuses a socket in a folder that not everyone may traverse.
        os.chmod(root, 0o711)
        self.conf = os.path.join(root, "slurm.conf")
        self.socket = os.path.join(root, "munge.socket")
        self.env = dict(os.environ, SLURM_CONF=self.conf)
        for var in [v for v in self.env if v.startswith(("SLURM_", "SBATCH_", "SQUEUE_")) and v != "SLURM_CONF"]:
            del self.env[var]  # a test run inside a Slurm job must not leak that job's settings into ours
        self.procs = {}  # name -> Popen, the daemons this object started
        self.jobs = []

    # ---- start and stop -----------------------------------------------------------------------------------------
    def start(self, timeout=60):
        key = os.path.join(self.root, "munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(128))
        os.chmod(key, 0o600)  # munged rejects a key others can read
        self._spawn("munged", [which("munged"), "--foreground", "--socket=" + self.socket, "--key-file=" + key,
                               "--pid-file=" + self.path("munged.pid"), "--log-file=" + self.path("munged.log"),
                               "--seed-file=" + self.path("munged.seed")])
        self._wait_for(lambda: os.path.exists(self.socket), timeout, "munged's socket")
        self.write_conf()
        # -D keeps each daemon our child, so it is stopped by its own pid. The state folder is new: job ids start at 1.
        self._spawn("slurmctld", [which("slurmctld"), "-D", "-f", self.conf])
        self._spawn("slurmd", [which("slurmd"), "-D", "-N", "localhost", "-f", self.conf])
        self._wait_for(self._node_idle, timeout, "the node to be idle (sinfo)")

    def stop(self):
        """Cancels our jobs still queued or running, then stops the daemons, slurmd first, by pid."""
        if self.jobs and "slurmctld" in self.procs and self.procs["slurmctld"].poll() is None \
                and self.active(self.jobs):
            self.cmd(["scancel"] + self.jobs, check=False)
            self._wait_for(lambda: not self.active(self.jobs), 20, "cancelled jobs to end", fatal=False)
        for name in ("slurmd", "slurmctld", "munged"):
            proc = self.procs.pop(name, None)
            if proc is None or proc.poll() is not None:
                continue
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)

    def _spawn(self, name, argv):
        log = open(self.path(name + ".out"), "wb")
        self.procs[name] = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                            env=self.env, cwd=self.root)
        log.close()

    def _wait_for(self, ready, timeout, what, fatal=True):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise RuntimeError("%s exited with %d while waiting for %s:\n%s" % (
                        name, proc.returncode, what, self.logs()))
            if ready():
                return True
            time.sleep(0.2)
        if fatal:
            raise RuntimeError("timed out after %ds waiting for %s:\n%s" % (timeout, what, self.logs()))
        return False

    def _node_idle(self):
        proc = self.cmd(["sinfo", "-h", "-o", "%T"], check=False)
        return proc.returncode == 0 and "idle" in proc.stdout

    def write_conf(self):
        ctld_port, node_port = free_port(), free_port()
        while node_port == ctld_port:
            node_port = free_port()
        plugstack = self.path("plugstack.conf")
        open(plugstack, "w").close()  # an empty one, instead of /etc/slurm/plugstack.conf
        lines = [
            "ClusterName=twtest",
            # "localhost" names both the controller and the node, whatever the machine's host name: slurmd is
            # started with -N localhost and both daemons listen on loopback only.
            "SlurmctldHost=localhost(127.0.0.1)",
            "SlurmctldPort=%d" % ctld_port,
            "SlurmdPort=%d" % node_port,
            "AuthType=auth/munge",
            "CredType=cred/munge",
            # Both plugins reach munged through this socket instead of /run/munge/munge.socket.2.
            "AuthInfo=socket=%s" % self.socket,
            "SlurmUser=root",
            "SlurmdUser=root",
            # No cgroups: proctrack/linuxproc and task/none need neither cgroup.conf nor a delegated cgroup tree.
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "JobAcctGatherType=jobacct_gather/none",
            "MpiDefault=none",
            "PlugStackConfig=%s" % plugstack,
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_Core",
            "ReturnToService=2",
            "StateSaveLocation=%s" % self.path("state"),
            "SlurmdSpoolDir=%s" % self.path("spool"),
            "SlurmctldPidFile=%s" % self.path("slurmctld.pid"),
            "SlurmdPidFile=%s" % self.path("slurmd.pid"),
            "SlurmctldLogFile=%s" % self.path("slurmctld.log"),
            "SlurmdLogFile=%s" % self.path("slurmd.log"),
            # RealMemory must not exceed what slurmd detects or the node is drained; 100 MB is below any machine.
            "NodeName=localhost NodeAddr=127.0.0.1 CPUs=%d RealMemory=100 State=UNKNOWN" % (os.cpu_count() or 1),
            "PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP",
        ]
        for d in ("state", "spool"):
            os.makedirs(self.path(d), exist_ok=True)
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")

    # ---- jobs ---------------------------------------------------------------------------------------------------
    def cmd(self, argv, check=True, timeout=30):
        proc = subprocess.run([which(argv[0])] + argv[1:], env=self.env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                              timeout=timeout)
        if check and proc.returncode != 0:
            raise RuntimeError("%s exited with %d:\n%s%s" % (" ".join(argv), proc.returncode, proc.stdout,
                                                              proc.stderr))
        return proc

    def sbatch(self, options, script, cwd):
        """Submits `script` (bash) with sbatch OPTIONS from cwd; returns the job id."""
        proc = self.cmd(["sbatch", "--parsable", "--chdir", cwd] + list(options) + ["--wrap", script])
        job = proc.stdout.strip().split(";")[0]
        self.jobs.append(job)
        return job

    def active(self, jobs):
        """True while squeue still lists any task of `jobs`."""
        proc = self.cmd(["squeue", "-h", "-o", "%i %T", "-j", ",".join(jobs)], check=False)
        return proc.returncode == 0 and proc.stdout.strip() != ""

    def wait(self, jobs, timeout):
        """Polls until none of `jobs` is queued or running; False on timeout."""
        return self._wait_for(lambda: not self.active(jobs), timeout, "jobs %s" % ",".join(jobs), fatal=False)

    def states(self, job):
        """{task id or job id: (JobState, exit code)} from scontrol; an array job gives one entry per task."""
        proc = self.cmd(["scontrol", "-o", "show", "job", job])
        out = {}
        for line in proc.stdout.splitlines():
            fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
            key = fields.get("ArrayTaskId", fields.get("JobId"))
            out[key] = (fields.get("JobState"), int(fields.get("ExitCode", "-1:0").split(":")[0]))
        return dict(sorted(out.items()))

    # ---- helpers ------------------------------------------------------------------------------------------------
    def path(self, name):
        return os.path.join(self.root, name)

    def logs(self):
        text = []
        for name in ("munged.out", "slurmctld.out", "slurmd.out", "slurmctld.log", "slurmd.log"):
            if os.path.exists(self.path(name)):
                with open(self.path(name), "rb") as f:
                    text.append("--- %s\n%s" % (name, tail(f.read(), 1500)))
        return "\n".join(text)


def skip_reason():
    if os.geteuid() != 0:
        return "slurmd must run as root"
    missing = [d for d in PROGRAMS if which(d) is None]
    if missing:
        return "not installed: %s (Debian packages slurm-wlm, munge)" % ", ".join(missing)
    return None


# ----------------------------------------------------------------------------------------------------------------
# the contract's split and comparison
# ----------------------------------------------------------------------------------------------------------------
def fnv1a64(data):
    h = 0xcbf29ce484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001b3) & 0xffffffffffffffff
    return h


def shard_of(rel_path, count):
    """The shard that reads a file: FNV-1a-64 of its path relative to its directory argument, mod count."""
    return fnv1a64(rel_path.encode("utf-8")) % count


def comparable(doc):
    """A report without the fields a merge may not reproduce: the shard's own identity and the run's timing."""
    doc = json.loads(json.dumps(doc))
    doc.pop("shard", None)
    for field in VOLATILE_INPUT_FIELDS:
        doc.get("input", {}).pop(field, None)
    return doc


def load_json(s, path, label):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        s.check(False, "%s: %s is a JSON document" % (label, os.path.basename(path)), str(e))
        return None


def errors_naming(doc, text):
    """The input.errors entries whose path or message contains `text`."""
    errors = ((doc or {}).get("input") or {}).get("errors") or []
    return [e for e in errors if text in str(e.get("path", "")) or text in str(e.get("error", ""))]


# ----------------------------------------------------------------------------------------------------------------
# the runs
# ----------------------------------------------------------------------------------------------------------------
def submit(cluster, s, work, array, shard_script, merge_script, label, timeout=240):
    """Submits the array job and the merge job depending on it (afterany: a shard that exits 2 has still written
    a useful part), waits, and returns ({array index: (state, exit)}, (merge state, exit)) or None on timeout."""
    began = time.time()
    logs = os.path.join(work, "logs")
    os.makedirs(logs, exist_ok=True)
    array_job = cluster.sbatch(["--array=" + array, "--job-name=tw-shard", "-o", os.path.join(logs, "shard-%a.log")],
                               shard_script, work)
    merge_job = cluster.sbatch(["--dependency=afterany:" + array_job, "--job-name=tw-merge",
                                "-o", os.path.join(logs, "merge.log")], merge_script, work)
    done = cluster.wait([array_job, merge_job], timeout)
    s.check(done, "%s: the array job and the merge finish within %ds" % (label, timeout), cluster.logs())
    print("  %s: jobs %s and %s, submit to finish %.1fs" % (label, array_job, merge_job, time.time() - began))
    for name in sorted(os.listdir(logs)):
        with open(os.path.join(logs, name), "rb") as f:
            text = f.read().strip()
        if text:
            print("  %s/%s: %s" % (label, name, tail(text, 600).replace("\n", "\n    ")))
    if not done:
        return None
    tasks = cluster.states(array_job)
    merge = cluster.states(merge_job).get(merge_job, (None, None))
    print("  %s: shard tasks %s, merge %s" % (label, sorted(tasks.items()), merge))
    return tasks, merge


def main():
    s = Suite(__doc__)
    reason = skip_reason()
    if reason:
        print("SKIP: %s" % reason)
        shutil.rmtree(s.tmp, ignore_errors=True)
        return SKIP
    began = time.time()
    tw = shlex.quote(s.binary)

    # A few MB of archive with the generator's edge cases (warnings, skipped trees, other names), and beside it a
    # folder holding one truncated .json.gz: an input error that no permission bit can undo, even for root.
    corpus = os.path.join(s.tmp, "corpus")
    s.generate(corpus, "--seed", "20240607", "--target-bytes", "4M", "--edge-cases", "--digests", "--insights",
               "--org-id", "o-7k2m9x4q1z", "--jobs", "2", label="corpus (4M, edge cases)")
    tree = read_tree(corpus)
    damaged = os.path.join(s.tmp, "damaged")
    donor = os.path.join(corpus, next(rel for rel, _ in tree["files"] if rel.endswith(".json.gz")))
    with open(donor, "rb") as f:
        gz = f.read()
    bad_name = "111122223333_CloudTrail_us-east-1_20240607T0000Z_TRUNCATEDxxxxxxx.json.gz"
    write(os.path.join(damaged, bad_name), gz[:len(gz) // 2])
    bad_shard = shard_of(bad_name, SHARDS)
    paths = " ".join(shlex.quote(p) for p in (corpus, damaged))

    # The answer the shards must add up to: one unsharded scan of the same path arguments.
    proc = s.run(["scan", "--format", "json", corpus, damaged], label="unsharded scan")
    reference = None
    if proc is not None:
        s.equal(proc.returncode, 2, "unsharded scan: exit 2 (the truncated file)")
        reference = json.loads(proc.stdout)
        s.check(errors_naming(reference, bad_name), "unsharded scan: input.errors names the truncated file",
                "errors: %r" % reference["input"].get("errors"))

    cluster = SlurmCluster(tempfile.mkdtemp(prefix="trailwatch-slurm-"))
    try:
        t = time.time()
        cluster.start()
        print("  cluster up in %.1fs (%s)" % (time.time() - t, cluster.conf))

        # 1. Every shard writes its part; the one holding the truncated file exits 2; the merge adds them up.
        work = os.path.join(s.tmp, "run1")
        os.makedirs(os.path.join(work, "parts"))
        result = submit(cluster, s, work, "0-%d" % (SHARDS - 1),
                        "exec %s scan --shard auto --format json -o parts/part-$SLURM_ARRAY_TASK_ID.json %s" % (
                            tw, paths),
                        "exec %s merge --format json -o merged.json parts/*.json" % tw, "run 1")
        if result:
            tasks, merge = result
            expected = {str(i): ("FAILED", 2) if i == bad_shard else ("COMPLETED", 0) for i in range(SHARDS)}
            s.equal(tasks, expected, "run 1: shard %d (FNV-1a of the truncated file's name) exits 2, the others 0"
                    % bad_shard)
            for i in range(SHARDS):
                part = load_json(s, os.path.join(work, "parts", "part-%d.json" % i), "run 1")
                if part is None:
                    continue
                s.equal(part.get("shard"), {"index": i, "count": SHARDS}, "run 1: part %d says which shard it is" % i)
                s.equal(bool(errors_naming(part, bad_name)), i == bad_shard,
                        "run 1: part %d lists the truncated file in input.errors only if it read it" % i)
            s.equal(merge, ("FAILED", 2), "run 1: the merge ran after a failed shard (afterany) and exits 2")
            merged = load_json(s, os.path.join(work, "merged.json"), "run 1")
            if merged is not None and reference is not None:
                s.check("shard" not in merged, "run 1: the merged report has no shard object")
                s.check(errors_naming(merged, bad_name), "run 1: the merged report lists the truncated file",
                        "errors: %r" % merged["input"].get("errors"))
                s.check(comparable(merged) == comparable(reference),
                        "run 1: merged report = unsharded scan, field for field (but input.seconds, input.threads)",
                        "\n".join(json_differences(comparable(merged), comparable(reference))))

        # 2. Task 6 of 5-7 (shard 1: auto subtracts SLURM_ARRAY_TASK_MIN) cannot write its part, since its -o
        # path lies under a regular file (ENOTDIR, even for root); the merge must name the missing shard.
        work = os.path.join(s.tmp, "run2")
        os.makedirs(os.path.join(work, "parts"))
        write(os.path.join(work, "blocker"), b"a regular file, not a folder\n")
        shard = ('out=parts/part-$((SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN)).json; '
                 '[ "$SLURM_ARRAY_TASK_ID" != 6 ] || out=blocker/part-1.json; '
                 'exec %s scan --shard auto --format json -o "$out" %s' % (tw, shlex.quote(corpus)))
        result = submit(cluster, s, work, "5-7", shard, "exec %s merge --format json -o merged.json parts/*.json" % tw,
                        "run 2")
        if result:
            tasks, merge = result
            # An -o that cannot be written is a usage error found before any input is read (docs/design.md
            # "Output atomicity and where outputs go"): exit 64, at once.
            s.equal(tasks, {"5": ("COMPLETED", 0), "6": ("FAILED", 64), "7": ("COMPLETED", 0)},
                    "run 2: the shard that cannot write its part exits 64 before reading, the others 0")
            s.equal(sorted(os.listdir(os.path.join(work, "parts"))), ["part-0.json", "part-2.json"],
                    "run 2: parts/ holds parts 0 and 2 and no temporary file")
            # The split itself: each part read exactly the files FNV-1a-64 assigns to its shard.
            for i in (0, 2):
                part = load_json(s, os.path.join(work, "parts", "part-%d.json" % i), "run 2")
                if part is not None:
                    want = sum(1 for rel, _ in tree["files"] if shard_of(rel, SHARDS) == i)
                    s.equal(part.get("input", {}).get("files"), want,
                            "run 2: part %d read the %d files whose name hashes to shard %d" % (i, want, i))
            s.equal(merge, ("FAILED", 2), "run 2: the merge exits 2")
            merged = load_json(s, os.path.join(work, "merged.json"), "run 2")
            if merged is not None:
                s.check(errors_naming(merged, "shard 1 of 3"), "run 2: input.errors names the missing shard 1 of 3",
                        "errors: %r" % merged.get("input", {}).get("errors"))
                s.equal(merged.get("input", {}).get("partial"), True, "run 2: the merged report is partial")
    except RuntimeError as e:
        s.check(False, "the Slurm cluster works", str(e))
    finally:
        cluster.stop()
        shutil.rmtree(cluster.root, ignore_errors=True)
    print("  wall time of the Slurm test: %.1fs" % (time.time() - began))
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())
