#!/usr/bin/env bash
# What `make run` and `make test` need from the machine itself, before anything long runs:
#   requirements/system.sh run   Python 3.11 with its venv module (only while .venv does not exist yet)
#   requirements/system.sh test  the same, the Debian packages of requirements/debian.txt, PostgreSQL and Redis running
# As root, missing Debian packages are installed with apt-get (once: nothing is missing afterwards) and the services
# are started. Otherwise one line names what to install or start, and the script fails.
# .ci/run (CI runs as root on a fresh clone) relies on this through `make test`. VERBOSE=1 shows apt's output.
set -euo pipefail
cd "$(dirname "$0")/.."

purpose=${1:?usage: requirements/system.sh run|test}
python_bin=${PYTHON_BIN:-python3.11}
packages_file=requirements/debian.txt
troubleshooting="docs/setup.md#troubleshooting"

is_root() { [ "$(id -u)" = 0 ]; }
quietly() { if [ "${VERBOSE:-0}" = 1 ]; then "$@"; else "$@" >/dev/null 2>&1; fi; }

python_ok() {
  "$1" -c 'import sys, ensurepip, venv; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1
}

missing_packages() {
  command -v dpkg-query >/dev/null 2>&1 || return 0
  local package
  for package in "$@"; do
    dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q 'ok installed' || printf '%s\n' "$package"
  done
}

install_packages() {
  printf 'Installing Debian packages (once): %s\n' "$*"
  export DEBIAN_FRONTEND=noninteractive
  quietly apt-get update -qq
  quietly apt-get install -y -qq --no-install-recommends "$@"
}

wanted=()
# Python: only until .venv exists (afterwards the venv's own interpreter is what counts).
if [ ! -x .venv/bin/python ] && ! python_ok "$python_bin"; then
  if is_root && command -v apt-cache >/dev/null 2>&1 && apt-cache show python3.11-venv >/dev/null 2>&1; then
    wanted+=(python3.11 python3.11-venv)
  else
    echo "This project needs Python 3.11 with its venv module: sudo apt-get install python3.11-venv, or set" \
         "PYTHON_BIN to a Python 3.11 (e.g. from pyenv); see $troubleshooting" >&2
    exit 1
  fi
fi

if [ "$purpose" = test ]; then
  # one package per line, comments after '#'
  mapfile -t listed < <(sed 's/#.*//' "$packages_file" | tr -s ' \t' '\n' | grep -v '^$')
  mapfile -t missing < <(missing_packages "${listed[@]}")
  if [ ${#missing[@]} -gt 0 ]; then
    if is_root; then
      wanted+=("${missing[@]}")
    else
      echo "make test needs these Debian packages: sudo apt-get install ${missing[*]} (see $troubleshooting)" >&2
      exit 1
    fi
  fi
fi

if [ ${#wanted[@]} -gt 0 ]; then
  install_packages "${wanted[@]}"
fi

[ "$purpose" = test ] || exit 0

# The services the tests expect (TEST_DATABASE_URL, TEST_REDIS_URL as the Makefile sets them).
local_postgres() { case "${TEST_DATABASE_URL:-@127.0.0.1:5432/}" in *@127.0.0.1:5432/*) return 0;; esac; return 1; }
local_redis() { case "${TEST_REDIS_URL:-//127.0.0.1:6379/}" in *//127.0.0.1:6379/*) return 0;; esac; return 1; }
if local_postgres && command -v pg_isready >/dev/null 2>&1 && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  cluster=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  if is_root && [ -n "$cluster" ]; then
    echo "Starting PostgreSQL $cluster"
    quietly pg_ctlcluster --skip-systemctl-redirect "$cluster" main start || true
    for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  else
    echo "PostgreSQL is not running on 127.0.0.1:5432: sudo pg_ctlcluster ${cluster:-15} main start (see $troubleshooting)" >&2
    exit 1
  fi
fi
# A fresh cluster has no `test` database and no password for postgres: make both, quietly, if missing.
if local_postgres && is_root && command -v psql >/dev/null 2>&1 && ! psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
  su postgres -c "psql -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
  su postgres -c "createdb test" >/dev/null 2>&1 || true
fi
if local_redis && command -v redis-server >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if is_root; then
    echo "Starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null
    for _ in $(seq 30); do redis-cli ping >/dev/null 2>&1 && break; sleep 1; done
  else
    echo "Redis is not running on 127.0.0.1:6379: redis-server --daemonize yes --port 6379 (see $troubleshooting)" >&2
    exit 1
  fi
fi
