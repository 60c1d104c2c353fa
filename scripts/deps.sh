#!/usr/bin/env bash
# Installs what wsguard needs on Debian 12 (build, daemon, tests, demo): Debian packages that
# are missing, then the e2e npm packages from their lockfile. Idempotent and quiet when done.
# libmodsecurity-dev and modsecurity-crs (ModSecurity 3.0.9, CRS 3.3.4) are the reference WAF
# tests/unit/test_vs_crs.c compares against.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libcjson-dev libvectorscan-dev
      pkg-config make gcc libclang-rt-14-dev nginx iproute2 libmodsecurity-dev modsecurity-crs)
missing=()
# Node.js may come from elsewhere with its own npm; take Debian's only when absent.
command -v node >/dev/null || pkgs+=(nodejs)
command -v npm >/dev/null || pkgs+=(npm)
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing Debian packages (${missing[*]}); run as root (sudo make ...)" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ -f tests/e2e/package-lock.json ] && [ ! -d tests/e2e/node_modules ]; then
	echo "deps: npm ci in tests/e2e"
	(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
