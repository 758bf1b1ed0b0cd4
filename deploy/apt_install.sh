# Sourced by the install scripts. install_missing TAG PACKAGE...: installs with apt-get those
# of PACKAGE... that are not installed yet (nodejs and npm count as there when their commands
# are: Node.js may come from a packaging that bundles npm). Messages go to stderr.
install_missing() {
  local tag=$1 p
  shift
  local missing=()
  for p in "$@"; do
    case $p in
      nodejs) command -v node >/dev/null && continue ;;
      npm) command -v npm >/dev/null && continue ;;
    esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "$tag: installing ${missing[*]}" >&2
  local as_root=()
  [[ $(id -u) -eq 0 ]] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
}
