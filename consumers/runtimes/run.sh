#!/usr/bin/env bash
# Runs check.mjs over the installed package under Node, then Bun and Deno from their npm packages
# (binaries ship inside them). Deno gets only the permission the checks need: net to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")"
bin=node_modules/.bin
status=0
node check.mjs || status=1
"${bin}/bun" check.mjs || status=1
"${bin}/deno" run --quiet --allow-net=127.0.0.1 check.mjs || status=1
exit "${status}"
