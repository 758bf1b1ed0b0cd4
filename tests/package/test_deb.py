"""The package's metadata, files, conffiles, maintainer scripts and packaged config."""

import io
import re
import subprocess
import tarfile

from conftest import ARCH, BUILD, CONFIG, STATIC_DIR, UNIT_DIR, VERSION, run


def field(deb, name):
    return run("dpkg-deb", "--field", deb, name).strip()


def package_name(relation):
    """'libc6 (>= 2.34)' -> 'libc6'."""
    return re.match(r"\s*([\w.+-]+)", relation).group(1)


def installed_names():
    """Installed packages and the virtual packages they provide."""
    names = set()
    for line in run("dpkg-query", "-W", "-f=${db:Status-Abbrev}|${Package}|${Provides}\n") \
            .splitlines():
        status, package, provides = line.split("|")
        if status.startswith("ii"):
            names.add(package)
            names.update(package_name(p) for p in provides.split(",") if p.strip())
    return names


def test_metadata(deb):
    assert field(deb, "Package") == "rtd"
    assert field(deb, "Version") == VERSION
    assert field(deb, "Architecture") == ARCH
    clauses = [[package_name(a) for a in c.split("|")] for c in field(deb, "Depends").split(",")]
    depends = {name for clause in clauses for name in clause}
    for library in ("libc6", "libstdc++6", "libcaf-core0.17", "libjwt0", "libssl3"):
        assert library in depends, depends
    assert any(name.startswith("libspdlog") for name in depends), depends
    # dpkg-shlibdeps names the packages of the libraries the build linked: installed here.
    installed = installed_names()
    for clause in clauses:
        assert set(clause) & installed, f"nothing installed here satisfies {clause}"


def test_contents(deb):
    listing = run("dpkg-deb", "--contents", deb)
    entries = {line.split()[-1].removeprefix("./"): line.split()[0]
               for line in listing.splitlines()}
    assert "usr/local/bin/rtd-server" not in entries, \
        f"{BUILD} installs under /usr/local: reconfigure with -DCMAKE_INSTALL_PREFIX=/usr"
    for program in ("usr/bin/rtd-server", "usr/bin/rtd-token"):
        assert entries.get(program) == "-rwxr-xr-x", (program, entries.get(program))
    for unit in ("rtd.service", "rtd@.service"):
        assert entries.get(f"{UNIT_DIR}/{unit}") == "-rw-r--r--", unit
    assert entries.get(CONFIG) == "-rw-r--r--"
    # The dashboard exactly as the build serves it from build/static.
    built = {str(p.relative_to(BUILD / "static")) for p in (BUILD / "static").rglob("*")
             if p.is_file()}
    packaged = {path.removeprefix(STATIC_DIR + "/") for path, mode in entries.items()
                if path.startswith(STATIC_DIR + "/") and mode.startswith("-")}
    assert "realtime_dashboard.html" in built and "vendor/uPlot.iife.min.js" in built, built
    assert packaged == built


def control_files(deb):
    raw = subprocess.run(["dpkg-deb", "--ctrl-tarfile", deb], capture_output=True,
                         check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(raw)) as archive:
        return {m.name.removeprefix("./"): (m.mode, archive.extractfile(m).read().decode())
                for m in archive.getmembers() if m.isfile()}


def test_conffiles_and_maintainer_scripts(deb):
    files = control_files(deb)
    assert files["conffiles"][1].split() == ["/" + CONFIG]
    for script in ("postinst", "prerm", "postrm"):
        mode, text = files[script]
        assert mode == 0o755, (script, oct(mode))
        subprocess.run(["sh", "-n"], input=text, text=True, check=True)
    assert "deb-systemd-helper enable rtd.service" in files["postinst"][1]
    assert "useradd --system" in files["postinst"][1]


def test_config_is_every_option_with_packaged_paths(deb, unpacked):
    text = (unpacked / CONFIG).read_text()
    defaults = run(unpacked / "usr/bin/rtd-server", "--print-config")
    options = re.findall(r"^; ([a-z-]+) = ", defaults, re.M)
    assert len(options) > 20, defaults
    settings = dict(re.findall(r'^([a-z-]+) = "(.*)"$', text, re.M))
    assert settings == {"static-dir": "/" + STATIC_DIR, "data-dir": "/var/lib/rtd"}
    for option in options:
        assert re.search(rf"^; {option} = ", text, re.M) or option in settings, option
    # Every other line is a ';' comment (CAF's), blank, or the section header.
    for line in text.splitlines():
        assert not line or line.startswith(";") or line == "[global]" \
            or line.split(" = ")[0] in settings, line
