#!/usr/bin/env bash
# base.sh [IMAGE]: makes a Debian 12 base image, by default localhost/debian:12-local, with no
# container registry: debootstrap (minbase) from Debian's archive into a folder, imported with
# `podman import`. Then build with it:
#   podman build --build-arg BASE=localhost/debian:12-local -f deploy/Dockerfile -t rtd .
# Does nothing if the image exists. Needs root, debootstrap and podman ($CONTAINER_ENGINE).
set -euo pipefail
image=${1:-localhost/debian:12-local}
engine=${CONTAINER_ENGINE:-podman}
if "$engine" image inspect "$image" >/dev/null 2>&1; then
  exit 0
fi

root=$(mktemp -d /var/tmp/rtd-base.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "base.sh: debootstrap bookworm into $root" >&2
debootstrap --variant=minbase bookworm "$root" >&2
# apt inside gets this host's Debian sources (updates and security too) where it has them.
if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
  cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/"
  rm -f "$root/etc/apt/sources.list"
fi
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | "$engine" import --change 'CMD ["bash"]' - "$image" >&2
