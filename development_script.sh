#!/usr/bin/env bash
# Developer shortcut for the docker-compose stack; it only calls `bin/prowctl stack`, which touches nothing
# outside the compose project "prowctl" (no `docker system prune`, no other containers, images or volumes).
# Refuses to run on production hosts: names listed in $PROWCTL_PRODUCTION_HOSTS (comma or space separated) or,
# one per line (# comments allowed), in $PROWCTL_PRODUCTION_HOSTS_FILE (default /etc/prowctl/production-hosts).
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
prowctl="${PROWCTL_BIN:-$here/bin/prowctl}"
hosts_file="${PROWCTL_PRODUCTION_HOSTS_FILE:-/etc/prowctl/production-hosts}"

usage() {
  cat <<USAGE
usage: $(basename "$0") -s|--start [prowctl stack start options]
       $(basename "$0") -c|--clean [prowctl stack clean options]
       $(basename "$0") -h|--help
 -s, --start   build the Telegraf image and start the stack, wait until it is healthy
               (prowctl stack start --build)
 -c, --clean   stop and remove the stack's containers, network, volumes and the image it built
               (prowctl stack clean --volumes --images); nothing outside the prowctl project
 -h, --help    this help
Production hosts (refused): \$PROWCTL_PRODUCTION_HOSTS, or one per line in $hosts_file
(\$PROWCTL_PRODUCTION_HOSTS_FILE).
USAGE
}

production_hosts() {
  local entry hosts
  hosts="${PROWCTL_PRODUCTION_HOSTS:-}"
  for entry in ${hosts//,/ }; do
    printf '%s\n' "$entry"
  done
  if [[ -f "$hosts_file" ]]; then
    while IFS= read -r entry || [[ -n "$entry" ]]; do
      entry="${entry%%#*}"
      entry="${entry//[[:space:]]/}"
      [[ -n "$entry" ]] && printf '%s\n' "$entry"
    done < "$hosts_file"
  fi
  return 0
}

refuse_production() {
  local name full short listed
  name="$(hostname)"
  full="$(hostname -f 2>/dev/null || echo "$name")"
  short="${name%%.*}"
  while IFS= read -r listed; do
    listed="${listed,,}"
    if [[ "$listed" == "${name,,}" || "$listed" == "${full,,}" || "$listed" == "${short,,}" ]]; then
      echo "development_script.sh: refusing to run on $full: it is listed as a production host" >&2
      exit 1
    fi
  done < <(production_hosts)
}

if [[ $# -eq 0 ]]; then
  usage >&2
  exit 2
fi

action="$1"
shift
case "$action" in
  -h|--help)
    usage
    exit 0
    ;;
  -s|--start)
    refuse_production
    exec "$prowctl" stack start --build "$@"
    ;;
  -c|--clean)
    refuse_production
    exec "$prowctl" stack clean --volumes --images "$@"
    ;;
  *)
    echo "development_script.sh: unknown option '$action'" >&2
    usage >&2
    exit 2
    ;;
esac
