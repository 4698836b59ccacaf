#!/bin/bash
# One throwaway desktop session for the accessibility walk: an X server, the accessibility
# bus, the app (from the project's venv) on a data folder, then the walker. Run it under
# dbus-run-session. Arguments: PYTHON DATA_DIR DISPLAY_NUMBER OUTPUT.
set -u
PYTHON=$1 DATA=$2 NUMBER=$3 OUT=$4
export DISPLAY=:$NUMBER QT_ACCESSIBILITY=1 QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1
unset QT_QPA_PLATFORM
Xvfb "$DISPLAY" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$NUMBER" ] && break; sleep 0.1; done
/usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
BUS=$!
"$PYTHON" -m csfacilitator --data-dir "$DATA" >"$OUT.app.log" 2>&1 &
APP=$!
/usr/bin/python3 "$(dirname "$0")/walk_tree.py" >"$OUT"
STATUS=$?
kill "$APP" 2>/dev/null; wait "$APP" 2>/dev/null
kill "$BUS" "$XVFB" 2>/dev/null
exit $STATUS
