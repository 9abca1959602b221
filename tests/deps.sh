#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/deps.sh - installs the Debian packages that building, testing and the
# lab need, when they are missing (apt-get, with sudo when not root).
set -eu
packages=(
	build-essential pkg-config libncurses-dev libunbound-dev libldns-dev
	libssl-dev libcmocka-dev libjansson-dev libmicrohttpd-dev	# --serve
	libevent-dev	# local validation runs libunbound on a libevent base (probe_local.c)
	nsd knot unbound knot-resolver bind9 bind9-utils bind9-dnsutils ldnsutils
	pdns-recursor socat	# tests/system/mitigation_lab.sh
	unbound-anchor unbound-host iproute2 nftables jq tmux dns-root-data
	faketime python3	# lab: vantage-clock-skew, vantage-intercepted (tests/lab/middlebox.py)
	valgrind
	man-db mandoc	# tests/system/install.sh: man -l, mandoc -T lint
	cmark	# tests/system/record_lab.sh: the export is CommonMark
	zsh	# install.sh, completions_lab.sh: the zsh completions, run
	python3-jsonschema	# tests/validate_json.py: JSON outputs against schemas/
	prometheus curl	# promtool: monitor_lab.sh; a real Prometheus scraping --serve: serve_lab.sh
	python3-pil fonts-dejavu-core	# make screenshots: tests/ansi2png.py
	time bc dnsviz	# make bench: peak RSS and CPU, arithmetic, the dnsviz column
	libnetfilter-queue-dev iptables	# make bench: the per-hop delay (tests/bench/hopdelay.c)
)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "bogus: installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
# Debian starts the servers it installs; the lab runs its own, in a namespace.
