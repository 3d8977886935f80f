#!/bin/sh
# Make sure the Graphviz `dot` program is on PATH, installing it when we can.
command -v dot >/dev/null 2>&1 && exit 0
echo "Graphviz 'dot' is missing; installing it." >&2
if [ "$(uname)" = "Darwin" ] && command -v brew >/dev/null 2>&1; then
    exec brew install graphviz
fi
sh "$(dirname "$0")/apt-install.sh" graphviz dot && exit 0
cat >&2 <<'MSG'
Could not install the Graphviz program `dot`. Install it, then run make again:
  Debian/Ubuntu: sudo apt-get install graphviz
  Fedora:        sudo dnf install graphviz
  macOS:         brew install graphviz
  conda:         conda install -c conda-forge graphviz
MSG
exit 1
