#!/usr/bin/env bash
# install-deps.sh installs what stg's tests need when it is missing: the real
# SNMP agents and tools (net-snmp snmpd and snmp, snmpsim), OpenSSH's sshd,
# tmux, openssl, Prometheus' snmp_exporter, zsh, fish and groff/man, from
# Debian packages, and the
# Go modules from the module proxy.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
have snmpd || need+=(snmpd)
have snmpbulkwalk || need+=(snmp)
have snmpsimd || need+=(snmpsim)
have sshd || need+=(openssh-server)
have ssh || need+=(openssh-client) # ssh -G shows how ~/.ssh/config resolves
have tmux || need+=(tmux)
have openssl || need+=(openssl) # hashes the test password of a real sshd
have prometheus-snmp-exporter || need+=(prometheus-snmp-exporter) # make bench compares stg top with it
have zsh || need+=(zsh)   # the completion tests load stg's script in each shell
have fish || need+=(fish)
have groff || need+=(groff-base) # the manual page test renders it with every warning on
have man || need+=(man-db)

if [ ${#need[@]} -gt 0 ]; then
	echo "install-deps: installing ${need[*]}" >&2
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

go mod download
