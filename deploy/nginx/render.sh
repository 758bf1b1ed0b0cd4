#!/usr/bin/env bash
# render.sh [--site] LISTEN NODE... > nginx.conf
#
# Writes rtd.conf (beside this script) with its listen address, its upstream nodes and its
# dashboard folder replaced. LISTEN and each NODE are PORT (on 127.0.0.1) or HOST:PORT; the
# folder is $RTD_STATIC_DIR, by default the package's /usr/share/rtd/static.
# With --site: that server config alone, for /etc/nginx/conf.d/. Without: a complete
# nginx.conf for `nginx -c CONF -p DIR`, which runs in the foreground (stop it by its PID),
# writes its pid file, logs and temporary files under DIR and keeps its workers as the user who
# started it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

site_only=0
if [[ ${1-} == --site ]]; then
  site_only=1
  shift
fi
if (($# < 2)); then
  echo "usage: $0 [--site] LISTEN NODE..." >&2
  exit 2
fi
address() { if [[ $1 == *:* ]]; then echo "$1"; else echo "127.0.0.1:$1"; fi; }
listen=$(address "$1")
shift
nodes=()
for node in "$@"; do nodes+=("$(address "$node")"); done

# The upstream's server lines become one per NODE with the template's parameters (max_fails,
# fail_timeout); nothing else in rtd.conf changes.
site=$(awk -v listen="$listen" -v root="${RTD_STATIC_DIR:-/usr/share/rtd/static}" \
  -v nodes="${nodes[*]}" '
  /^upstream rtd_nodes \{/ { upstream = 1 }
  upstream && /^}/ { upstream = 0 }
  upstream && /^    server / {
    if (!servers) {
      params = $0
      sub(/^    server [^ ;]+/, "", params)
      count = split(nodes, node, " ")
      for (i = 1; i <= count; i++) print "    server " node[i] params
      servers = 1
    }
    next
  }
  /^    listen 80;$/ { print "    listen " listen ";"; listened = 1; next }
  /^    root / { print "    root \"" root "\";"; rooted = 1; next }
  { print }
  END { if (!servers || !listened || !rooted) exit 1 }
' "$here/rtd.conf") || {
  echo "$0: rtd.conf has no upstream server, listen 80 or root line to replace" >&2
  exit 1
}

if ((site_only)); then
  printf '%s\n' "$site"
  exit 0
fi

# Workers keep the starter's user; the directive only means something to a root master.
user=""
if (($(id -u) == 0)); then user="user $(id -un) $(id -gn);"; fi
cat <<CONF
# Rendered by deploy/nginx/render.sh from deploy/nginx/rtd.conf: relative paths are under the
# prefix given with -p.
daemon off;
pid nginx.pid;
error_log error.log notice;
worker_processes 1;
$user

events {
    worker_connections 1024;
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log access.log;
    client_body_temp_path client_body_temp;
    proxy_temp_path proxy_temp;
    fastcgi_temp_path fastcgi_temp;
    uwsgi_temp_path uwsgi_temp;
    scgi_temp_path scgi_temp;

$site
}
CONF
