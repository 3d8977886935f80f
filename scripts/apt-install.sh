#!/bin/sh
# apt-install.sh PACKAGE COMMAND: install the Debian/Ubuntu PACKAGE with apt-get (as root,
# or with sudo when it needs no password) and succeed when COMMAND is then on PATH.
# Fails quietly (status 1) when apt-get or the rights to use it are missing.
package=$1
command=$2
command -v apt-get >/dev/null 2>&1 || exit 1
if [ "$(id -u)" = "0" ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else exit 1; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q "$package" >/dev/null 2>&1 || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q "$package" >/dev/null; }
command -v "$command" >/dev/null 2>&1
