#!/bin/sh
# Picks what the container runs:
#   no arguments        -> serve "$SERVICE"
#   a service name      -> serve <name>
#   anything else       -> that tributary command (migrate orders, keyring init --file …)
# GATEWAY_SECRET_KEY_FILE lets the gateway's key come from a mounted secret instead of the
# environment, where `docker inspect` would show it.
set -eu

if [ -z "${GATEWAY_SECRET_KEY:-}" ] && [ -n "${GATEWAY_SECRET_KEY_FILE:-}" ]; then
  GATEWAY_SECRET_KEY="$(cat "$GATEWAY_SECRET_KEY_FILE")"
  export GATEWAY_SECRET_KEY
fi

if [ "$#" -eq 0 ]; then
  : "${SERVICE:?set SERVICE to orders, processing, erp, gateway or sync, or pass a command}"
  set -- serve "$SERVICE"
fi

case "$1" in
  orders | processing | erp | gateway | sync) set -- serve "$@" ;;
esac

exec node apps/cli/dist/main.js "$@"
