#!/bin/sh
# Make sure a Chromium is installed for the browser tests (tests/browser), installing it
# when we can. The tests drive it with the pip package playwright (never `playwright
# install`, which downloads a browser of its own). When Chromium cannot be installed this
# only warns: the browser tests then skip, saying why (or fail, under .ci/run).
for browser in "${CHROMIUM:-}" /usr/bin/chromium chromium chromium-browser; do
    [ -n "$browser" ] && command -v "$browser" >/dev/null 2>&1 && exit 0
done
echo "Chromium is missing (needed by the browser tests); installing it." >&2
sh "$(dirname "$0")/apt-install.sh" chromium chromium && exit 0
cat >&2 <<'MSG'
Could not install Chromium; the browser tests will be skipped. To run them, install it:
  Debian/Ubuntu: sudo apt-get install chromium
  Fedora:        sudo dnf install chromium
  macOS:         brew install --cask chromium   (then set CHROMIUM=/path/to/chromium)
MSG
exit 0
