#!/bin/sh
# Make sure the Graphviz `dot` program is on PATH, installing it when we can.
command -v dot >/dev/null 2>&1 && exit 0
echo "Graphviz 'dot' is missing; installing it." >&2
if [ "$(uname)" = "Darwin" ] && command -v brew >/dev/null 2>&1; then
    exec brew install graphviz
fi
if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO="none"; fi
    if [ "$SUDO" != "none" ]; then
        export DEBIAN_FRONTEND=noninteractive
        $SUDO apt-get install -y -q graphviz >/dev/null 2>&1 || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q graphviz >/dev/null; }
        command -v dot >/dev/null 2>&1 && exit 0
    fi
fi
cat >&2 <<'MSG'
Could not install the Graphviz program `dot`. Install it, then run make again:
  Debian/Ubuntu: sudo apt-get install graphviz
  Fedora:        sudo dnf install graphviz
  macOS:         brew install graphviz
  conda:         conda install -c conda-forge graphviz
MSG
exit 1
