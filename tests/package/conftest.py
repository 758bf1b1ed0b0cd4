"""Fixtures: the Debian package, built by the build's `package` target, and its unpacked files.

Run through CTest (`ctest -R '^package$'`), which sets RTD_BUILD_DIR, RTD_VERSION and RTD_ROOT;
by hand:
    RTD_BUILD_DIR=build RTD_VERSION=0.1.0 /usr/bin/python3 -m pytest -q -rs tests/package
"""

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(os.environ.get("RTD_ROOT", pathlib.Path(__file__).parents[2]))
BUILD = pathlib.Path(os.environ.get("RTD_BUILD_DIR", ROOT / "build"))
VERSION = os.environ.get("RTD_VERSION", "0.1.0")
ARCH = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                      check=True).stdout.strip()

# The server-process helpers of the integration tests.
sys.path.insert(0, str(ROOT / "tests" / "integration"))

UNIT_DIR = "usr/lib/systemd/system"
STATIC_DIR = "usr/share/rtd/static"
CONFIG = "etc/rtd/rtd.ini"


def run(*args, **options):
    """Runs a command, failing the test with its output if it fails; returns stdout."""
    result = subprocess.run(args, capture_output=True, text=True, **options)
    assert result.returncode == 0, f"{' '.join(map(str, args))} exited with " \
        f"{result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="session")
def deb():
    """The package, (re)built by the `package` target, which builds what it holds first."""
    run("cmake", "--build", BUILD, "--target", "package")
    path = BUILD / f"rtd_{VERSION}_{ARCH}.deb"
    assert path.is_file(), f"the package target wrote no {path.name}: " \
        f"{sorted(p.name for p in BUILD.glob('*.deb'))}"
    return path


@pytest.fixture(scope="session")
def unpacked(deb, tmp_path_factory):
    """The package's files, extracted with dpkg -x (as dpkg would install them)."""
    root = tmp_path_factory.mktemp("unpacked")
    run("dpkg-deb", "-x", deb, root)
    return root


def server_args(unpacked, data_dir, *extra, config=None, port=0):
    """The unpacked server with the packaged config (or `config`), pointed at the unpacked
    dashboard and a data directory of the test's (the packaged /usr/share and /var/lib paths
    do not exist here), on `port` (None: the config's)."""
    port_flag = [] if port is None else [f"--port={port}"]
    return [str(unpacked / "usr/bin/rtd-server"), f"--config-file={config or unpacked / CONFIG}",
            f"--static-dir={unpacked / STATIC_DIR}", f"--data-dir={data_dir}", "--host=127.0.0.1",
            *port_flag, *extra]
