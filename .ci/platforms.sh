#!/usr/bin/env bash
# Everywhere it is installed: the published package is clean (publint, attw --pack),
# and the packed .tgz works in fresh consumer projects: CommonJS, ESM, esbuild and webpack bundles,
# TypeScript 5.2 to 7 under node16/nodenext/bundler without skipLibCheck, Bun and Deno
# (consumers/run.sh). Assumes `npm ci` ran. Network: the npm registry only (consumer installs,
# from the shared npm cache when warm). Each step is bounded by `timeout`.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
echo "=== publint --strict"
timeout 300 npx publint --strict
echo "=== attw --pack"
timeout 300 npx attw --pack .
echo "=== consumers"
timeout 900 bash consumers/run.sh
# The bundles and the installed package on the other Node lines (consumers already installed).
for pkg in node@22 node@24 node@26; do
  echo "=== consumers/app on ${pkg}"
  timeout 300 npx -y -p "${pkg}" -- node consumers/app/check.mjs
done
echo "=== platforms: $((SECONDS - start)) s on Node $(node --version)"
