#!/bin/sh
# A fake compiler for the wrapper's own edge cases: its behaviour is chosen by FAKE_CC_ACTION.
#   exit:N    print to stdout and stderr, exit N
#   signal:S  kill itself with signal S
#   args      print its arguments, one per line
case "$FAKE_CC_ACTION" in
  exit:*) printf 'fake stdout\n'; printf 'fake stderr: %s\n' "$*" >&2; exit "${FAKE_CC_ACTION#exit:}" ;;
  signal:*) kill -s "${FAKE_CC_ACTION#signal:}" $$ ;;
  *) for a in "$@"; do printf '%s\n' "$a"; done ;;
esac
