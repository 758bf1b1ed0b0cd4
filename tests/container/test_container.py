"""deploy/Dockerfile with podman, from a base image made locally (deploy/container/base.sh): no
registry. Opt-in (RTD_CONTAINER_TEST=1): it debootstraps, compiles in a container and pulls
Debian packages, minutes of work.

The runtime image serves /health, the dashboard and a WebSocket, its HEALTHCHECK passes, and it
runs as the rtd user; the proxy image with three runtime containers (compose.yaml's layout,
without compose) answers through nginx from each node.
"""

import json
import os
import pathlib
import subprocess
import sys
import time
import uuid

import pytest

ROOT = pathlib.Path(__file__).parents[2]
sys.path.insert(0, str(ROOT / "tests" / "integration"))

from support import connect, http_request, run  # noqa: E402

if os.environ.get("RTD_CONTAINER_TEST") != "1":
    pytest.skip("container test is opt-in: RTD_CONTAINER_TEST=1", allow_module_level=True)

BASE = os.environ.get("RTD_BASE_IMAGE", "localhost/debian:12-local")
PODMAN = "podman"
# This machine's limits, where podman's defaults fail: crun refuses a hybrid cgroup layout and
# podman raises RLIMIT_NOFILE above the hard limit. Used only when a plain run fails.
FALLBACK = ["--runtime=runc", "--ulimit=nofile=4096:4096", "--ulimit=nproc=4096:4096"]
STARTUP = 60


def podman(*args, check=True):
    result = subprocess.run([PODMAN, *args], capture_output=True, text=True)
    assert not check or result.returncode == 0, f"podman {' '.join(args)}: " \
        f"{result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


@pytest.fixture(scope="module")
def options():
    """The podman options that make a container run here (printed for the report)."""
    subprocess.run([ROOT / "deploy" / "container" / "base.sh", BASE], check=True)
    if podman("run", "--rm", BASE, "true", check=False).returncode == 0:
        return []
    podman("run", "--rm", *FALLBACK, BASE, "true")
    print(f"podman needs {' '.join(FALLBACK)} here", file=sys.stderr)
    return FALLBACK


@pytest.fixture(scope="module")
def images(options, tmp_path_factory):
    """The runtime and proxy images, built from the checkout's files (less what git ignores)
    and uplot's: node_modules may be a link out of the checkout, which a build context cannot
    follow."""
    context = tmp_path_factory.mktemp("context")
    listed = subprocess.run(["git", "-C", ROOT, "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], capture_output=True, check=True).stdout
    files = [f for f in listed.split(b"\0") if f and not f.startswith(b"node_modules")]
    subprocess.run(["tar", "-C", ROOT, "--null", "-T", "-", "-c", "-f", context / "src.tar"],
                   input=b"\0".join(files), check=True)
    subprocess.run(["tar", "-C", context, "-x", "-f", context / "src.tar"], check=True)
    (context / "src.tar").unlink()
    uplot = ROOT / "node_modules" / "uplot" / "dist"
    if uplot.is_dir():
        (context / "node_modules" / "uplot").mkdir(parents=True)
        subprocess.run(["cp", "-rL", uplot, context / "node_modules" / "uplot"], check=True)
    tag = uuid.uuid4().hex[:8]
    built = {}
    for target in ("runtime", "proxy"):
        built[target] = f"localhost/rtd-test-{target}:{tag}"
        # The docker format: OCI images have no HEALTHCHECK.
        podman("build", *options, "--format=docker", f"--build-arg=BASE={BASE}",
               f"--target={target}",
               "-f", str(context / "deploy" / "Dockerfile"), "-t", built[target], str(context))
    yield built
    podman("rmi", *built.values(), check=False)


class Container:
    """A detached container; its published port 8000 (or 80) on 127.0.0.1."""

    def __init__(self, options, image, *args, port=8000, extra=()):
        self.name = f"rtd-test-{uuid.uuid4().hex[:8]}"
        podman("run", "-d", "--name", self.name, *options, *extra,
               "-p", f"127.0.0.1::{port}", image, *args)
        self.host = "127.0.0.1"
        self.port = int(podman("port", self.name, str(port)).stdout.strip().rsplit(":", 1)[1])
        self.ws_url = f"ws://{self.host}:{self.port}/ws"

    def inspect(self, template):
        return podman("inspect", "-f", template, self.name).stdout.strip()

    def wait_healthy(self):
        """Runs the image's HEALTHCHECK (podman's timer needs systemd) until it passes."""
        deadline = time.monotonic() + STARTUP
        while podman("healthcheck", "run", self.name, check=False).returncode != 0:
            assert self.inspect("{{.State.Running}}") == "true", self.logs()
            assert time.monotonic() < deadline, f"not healthy in {STARTUP} s:\n{self.logs()}"
            time.sleep(0.5)

    def logs(self):
        result = podman("logs", self.name, check=False)
        return result.stdout + result.stderr

    def stop(self):
        """SIGTERM (podman stop), then the exit code."""
        podman("stop", "-t", "10", self.name)
        code = int(self.inspect("{{.State.ExitCode}}"))
        podman("rm", self.name, check=False)
        return code


def test_runtime_image(options, images):
    node = Container(options, images["runtime"], "--node-name=solo", "--allow-anonymous")
    try:
        node.wait_healthy()
        assert node.inspect("{{.Config.User}}") == "rtd"
        status, _, body = http_request(node, "GET", "/health")
        assert status == 200 and json.loads(body)["node"] == "solo", body
        status, headers, body = http_request(node, "GET", "/")
        assert status == 200 and headers["Content-Type"].startswith("text/html"), headers

        async def welcome():
            async with connect(node) as client:
                assert client.welcome["node"] == "solo"
                await client.ping_ok()
        run(welcome())
    finally:
        code = node.stop()
    assert code == 0, node.logs()


def test_three_nodes_behind_proxy(options, images):
    nodes = [Container(options, images["runtime"], f"--node-name=node{i}", "--allow-anonymous")
             for i in (1, 2, 3)]
    try:
        for node in nodes:
            node.wait_healthy()
        # compose.yaml's service names, which nginx resolves at start.
        hosts = [f"--add-host=node{i}:{n.inspect('{{.NetworkSettings.IPAddress}}')}"
                 for i, n in enumerate(nodes, 1)]
        proxy = Container(options, images["proxy"], port=80, extra=hosts)
        try:
            proxy.wait_healthy()
            seen = {json.loads(http_request(proxy, "GET", "/health")[2])["node"]
                    for _ in range(9)}
            assert seen == {"node1", "node2", "node3"}, seen

            async def welcome():
                async with connect(proxy) as client:
                    assert client.welcome["node"] in seen
            run(welcome())
        finally:
            assert proxy.stop() == 0, proxy.logs()
    finally:
        codes = [node.stop() for node in nodes]
    assert codes == [0, 0, 0], [node.logs() for node in nodes]
