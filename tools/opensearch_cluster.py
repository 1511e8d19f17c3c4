"""A local three-node OpenSearch 2.19 cluster for the tests and the benchmark, from Maven Central only.

    python3 tools/opensearch_cluster.py start    # fetch (first time), start 3 nodes, wait for green
    python3 tools/opensearch_cluster.py status   # health, and each node's PID and memory
    python3 tools/opensearch_cluster.py stop     # stop the nodes by the PIDs they wrote

Standard library only: `.ci/run` starts it before the virtualenv exists. The nodes are the
official test distribution (`org.opensearch.distribution.integ-test-zip:opensearch`, no bundled
JDK: the machine's Java 17 runs it), fetched once by `mvn dependency:copy` into the cluster's
folder. OpenSearch refuses to run as root, so when started as root each node runs as a system
user created here when missing (`revue-opensearch`); run by anyone else, it runs as them.

Everything lives under one folder outside the repository, `/var/tmp/revue-presse-opensearch`
(env `REVUE_OPENSEARCH_DIR`): the distribution, and per node its config, data, logs and PID file.
It is not under /root, whose mode would stop the nodes' user from reaching their files.
The nodes listen on 127.0.0.1 only: HTTP 9250-9252, transport 9350-9352 (env `REVUE_OPENSEARCH_PORT`
moves the HTTP base; transport is 100 above).
"""
from __future__ import annotations

import argparse
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

VERSION = "2.19.6"
ARTIFACT = f"org.opensearch.distribution.integ-test-zip:opensearch:{VERSION}:zip"
USER = "revue-opensearch"
CLUSTER_NAME = "revue-presse-test"
# Shipped jvm.options lines we replace: the heap (set below) and the GC log and heap dump, which
# would land in the shared install folder and, for a 512 MB heap, fill a small disk.
DROPPED_JVM_OPTIONS = ("-Xms", "-Xmx", "HeapDump", "Xlog:gc", "loggc", "GCLog", "PrintGC", "PrintTenuring", "ErrorFile")


@dataclass(frozen=True)
class Cluster:
    """Where the cluster lives and how it is shaped; every path derives from `root`."""
    root: Path
    nodes: int = 3
    http_base: int = 9250
    heap: str = "512m"

    @property
    def home(self) -> Path:
        return self.root / f"opensearch-{VERSION}"

    def node_dir(self, i: int) -> Path:
        return self.root / f"node-{i}"

    def pid_file(self, i: int) -> Path:
        return self.node_dir(i) / "opensearch.pid"

    def http_port(self, i: int) -> int:
        return self.http_base + i

    def transport_port(self, i: int) -> int:
        return self.http_base + 100 + i

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port(0)}"

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{self.http_port(i)}" for i in range(self.nodes)]


def from_env() -> Cluster:
    return Cluster(root=Path(os.environ.get("REVUE_OPENSEARCH_DIR", "/var/tmp/revue-presse-opensearch")),
                   http_base=int(os.environ.get("REVUE_OPENSEARCH_PORT", "9250")))


def say(message: str) -> None:
    print(f"opensearch-cluster: {message}", file=sys.stderr, flush=True)


# --- the distribution ---------------------------------------------------------------------------

def fetch(cluster: Cluster) -> None:
    """Download the zip from Maven Central (once; Maven's own cache serves later clones) and unzip it."""
    if (cluster.home / "bin" / "opensearch").is_file():
        return
    cluster.root.mkdir(parents=True, exist_ok=True)
    zip_path = cluster.root / f"opensearch-{VERSION}.zip"
    if not zip_path.is_file():
        started = time.monotonic()
        subprocess.run(["mvn", "-q", "-B", "-Dstyle.color=never", "dependency:copy", f"-Dartifact={ARTIFACT}",
                        f"-DoutputDirectory={cluster.root}"], check=True, cwd=cluster.root)
        say(f"{zip_path.name}: {zip_path.stat().st_size / 1e6:.0f} MB from Maven in {time.monotonic() - started:.0f} s")
    unzip(zip_path, cluster.root)


def unzip(zip_path: Path, into: Path) -> None:
    """zipfile drops the Unix modes; the scripts under bin/ need theirs back."""
    with zipfile.ZipFile(zip_path) as z:
        for info in z.infolist():
            z.extract(info, into)
            mode = info.external_attr >> 16
            if mode:
                os.chmod(into / info.filename, mode & 0o7777)


# --- the user the nodes run as ------------------------------------------------------------------

def run_as() -> str | None:
    """The user to run the nodes as: ours when we are root (OpenSearch refuses root), else None."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", USER], check=True)
        say(f"utilisateur système {USER} créé")
    return USER


def give_to(user: str | None, path: Path) -> None:
    if user is None:
        return
    entry = pwd.getpwnam(user)
    for p in [path, *path.rglob("*")]:
        os.chown(p, entry.pw_uid, entry.pw_gid, follow_symlinks=False)


def reachable_by_all(path: Path) -> None:
    """Every folder above the cluster's must be traversable (x) by the nodes' user."""
    for p in [path, *path.parents]:
        if p.stat().st_mode & 0o001 == 0:
            raise SystemExit(f"opensearch-cluster: {p} n'est pas traversable par {USER} (chmod o+x)")


# --- one node -----------------------------------------------------------------------------------

def node_settings(cluster: Cluster, i: int) -> dict[str, object]:
    transport = [f"127.0.0.1:{cluster.transport_port(j)}" for j in range(cluster.nodes)]
    return {
        "cluster.name": CLUSTER_NAME,
        "node.name": f"node-{i}",
        "network.host": "127.0.0.1",
        "http.port": cluster.http_port(i),
        "transport.port": cluster.transport_port(i),
        "path.data": str(cluster.node_dir(i) / "data"),
        "path.logs": str(cluster.node_dir(i) / "logs"),
        "discovery.seed_hosts": transport,
        "cluster.initial_cluster_manager_nodes": [f"node-{j}" for j in range(cluster.nodes)],
        # Two cores shared by three nodes (and the tests): size each node's thread pools for one.
        "node.processors": 1,
        # Shards must allocate even when the shared disk is nearly full.
        "cluster.routing.allocation.disk.threshold_enabled": False,
        # The tests create and delete many indexes; a missing one must not be auto-created by a stray write.
        "action.auto_create_index": False,
        # A new generation's replicas copy it from its primary before it is published (the default 40mb).
        "indices.recovery.max_bytes_per_sec": "200mb",
        # Lucene counts every leaf of a query: a search of 32 names, each under its accepted spellings,
        # can pass the default 1024 (the service then answers 400, saying so).
        "indices.query.bool.max_clause_count": 4096,
    }


def write_config(cluster: Cluster, i: int) -> Path:
    conf = cluster.node_dir(i) / "config"
    conf.mkdir(parents=True, exist_ok=True)
    for sub in ("data", "logs"):
        (cluster.node_dir(i) / sub).mkdir(exist_ok=True)
    shutil.copy(cluster.home / "config" / "log4j2.properties", conf / "log4j2.properties")
    (conf / "opensearch.yml").write_text(
        "".join(f"{k}: {json.dumps(v)}\n" for k, v in node_settings(cluster, i).items()))
    shipped = (cluster.home / "config" / "jvm.options").read_text().splitlines()
    kept = [line for line in shipped if not any(d in line for d in DROPPED_JVM_OPTIONS)]
    logs = cluster.node_dir(i) / "logs"
    (conf / "jvm.options").write_text("\n".join(
        kept + [f"-Xms{cluster.heap}", f"-Xmx{cluster.heap}", f"-XX:ErrorFile={logs}/hs_err_pid%p.log", ""]))
    return conf


def java_home() -> str:
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    java = shutil.which("java")
    if java is None:
        raise SystemExit("opensearch-cluster: java introuvable (Java 17 requis)")
    return str(Path(java).resolve().parent.parent)


def start_node(cluster: Cluster, i: int) -> None:
    """Start node i in the background; it writes its JVM's PID to its pid file."""
    user = run_as()
    conf = write_config(cluster, i)
    give_to(user, cluster.node_dir(i))
    cluster.pid_file(i).unlink(missing_ok=True)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OPENSEARCH_PATH_CONF": str(conf),
           "OPENSEARCH_JAVA_HOME": java_home(), "OPENSEARCH_STARTUP_SLEEP_TIME": "0"}
    command = [str(cluster.home / "bin" / "opensearch"), "-d", "-p", str(cluster.pid_file(i))]
    if user is not None:
        command = ["runuser", "-u", user, "--", "env", *(f"{k}={v}" for k, v in env.items()), *command]
    out = cluster.node_dir(i) / "logs" / "start.out"
    with out.open("wb") as sink:
        r = subprocess.run(command, env=env, cwd=cluster.home, stdout=sink, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        raise SystemExit(f"opensearch-cluster: node-{i} n'a pas démarré:\n{out.read_text()[-2000:]}")


def node_pid(cluster: Cluster, i: int) -> int | None:
    """The node's JVM PID when it is running, read from its pid file and checked in /proc."""
    try:
        pid = int(cluster.pid_file(i).read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    # A PID file outliving its process may name a recycled PID: only our node's JVM counts.
    return pid if str(cluster.node_dir(i) / "config").encode() in cmdline else None


def stop_node(cluster: Cluster, i: int, sig: int = signal.SIGTERM, timeout: float = 60) -> None:
    pid = node_pid(cluster, i)
    if pid is None:
        return
    os.kill(pid, sig)
    deadline = time.monotonic() + timeout
    while node_pid(cluster, i) == pid and time.monotonic() < deadline:
        time.sleep(0.2)
    if node_pid(cluster, i) == pid:
        os.kill(pid, signal.SIGKILL)
        while node_pid(cluster, i) == pid:
            time.sleep(0.1)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- the cluster ----------------------------------------------------------------------------------

def health(cluster: Cluster, wait: str = "", timeout: float = 5) -> dict | None:
    """GET _cluster/health from whichever node answers; None when none does."""
    for url in cluster.urls:
        try:
            with urllib.request.urlopen(f"{url}/_cluster/health{wait}", timeout=timeout) as r:
                return json.load(r)
        except (OSError, ValueError):
            continue
    return None


def all_answer(cluster: Cluster) -> bool:
    """Whether every node's HTTP port answers."""
    for url in cluster.urls:
        try:
            with urllib.request.urlopen(url, timeout=5):
                pass
        except (OSError, ValueError):
            return False
    return True


def wait_green(cluster: Cluster, timeout: float = 300) -> dict:
    begun = time.monotonic()
    deadline = begun + timeout
    while time.monotonic() < deadline:
        # A JVM writes its PID file within seconds; one that never does, or whose process is gone, failed.
        late = time.monotonic() - begun > 90
        dead = [i for i in range(cluster.nodes)
                if node_pid(cluster, i) is None and (late or cluster.pid_file(i).exists())]
        if dead:
            raise SystemExit(f"opensearch-cluster: node-{dead[0]} s'est arrêté:\n{log_tail(cluster, dead[0])}")
        h = health(cluster, f"?wait_for_nodes={cluster.nodes}&wait_for_status=green&timeout=10s", timeout=15)
        # A node joins the cluster a moment before its HTTP port opens: green is not yet reachable.
        if h and h.get("status") == "green" and h.get("number_of_nodes") == cluster.nodes and all_answer(cluster):
            return h
        time.sleep(1)
    raise SystemExit(f"opensearch-cluster: pas vert après {timeout:.0f} s: {health(cluster)}")


def log_tail(cluster: Cluster, i: int) -> str:
    log = cluster.node_dir(i) / "logs" / f"{CLUSTER_NAME}.log"
    start = cluster.node_dir(i) / "logs" / "start.out"
    texts = [p.read_text(errors="replace")[-3000:] for p in (start, log) if p.is_file()]
    return "\n".join(texts)


def start(cluster: Cluster) -> None:
    started = time.monotonic()
    fetch(cluster)
    if run_as() is not None:
        reachable_by_all(cluster.root)
    fetched = time.monotonic()
    for i in range(cluster.nodes):
        if node_pid(cluster, i) is None:
            start_node(cluster, i)
    try:
        h = wait_green(cluster)
    except SystemExit:
        stop(cluster)
        raise
    say(f"{h['number_of_nodes']} nœuds verts sur {cluster.url} en {time.monotonic() - fetched:.0f} s"
        f" (et {fetched - started:.0f} s de téléchargement et décompression)")
    status(cluster)


def stop(cluster: Cluster) -> None:
    for i in range(cluster.nodes):
        stop_node(cluster, i)
    say("arrêté")


def status(cluster: Cluster) -> int:
    h = health(cluster)
    say(f"santé : {h['status'] if h else 'injoignable'} ({h['number_of_nodes'] if h else 0} nœuds) sur {cluster.url}")
    total = 0.0
    for i in range(cluster.nodes):
        pid = node_pid(cluster, i)
        mb = rss_mb(pid) if pid else 0.0
        total += mb
        say(f"node-{i}: " + (f"PID {pid}, RSS {mb:.0f} MB" if pid else "arrêté"))
    say(f"RSS des nœuds : {total:.0f} MB")
    return 0 if h and h["status"] == "green" else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("start", "stop", "status"))
    args = ap.parse_args(argv)
    cluster = from_env()
    if args.action == "start":
        start(cluster)
    elif args.action == "stop":
        stop(cluster)
    else:
        return status(cluster)
    return 0


if __name__ == "__main__":
    sys.exit(main())
