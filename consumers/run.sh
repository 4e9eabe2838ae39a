#!/usr/bin/env bash
# Builds the package once, packs it as users get it (`npm pack`), installs the .tgz into each
# consumer project below and runs it: CommonJS and ESM apps, esbuild and webpack bundles (app/),
# TypeScript 5.2 through 7 under node16, nodenext and bundler resolution (types/), Bun and Deno
# (runtimes/); on request, Cloudflare's workerd through miniflare (workerd/) and headless Chromium
# (browser/), which .ci/platforms-edge.sh runs, and Next.js 16 with @vercel/otel (next/), which
# .ci/next.sh runs. Each consumer pins its dependencies and is installed once per run from the
# shared npm cache, without a lockfile (the .tgz changes every build). Run from anywhere.
# Usage: consumers/run.sh [app|types|runtimes|workerd|browser|next ...]   (default: app types runtimes)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
selected=("${@:-app types runtimes}")
read -r -a selected <<<"${selected[*]}"

npm run build --silent
rm -rf consumers/.pack && mkdir -p consumers/.pack
tgz=$(npm pack --silent --pack-destination consumers/.pack | tail -1)
mv "consumers/.pack/${tgz}" consumers/.pack/otel-contextvars.tgz
echo "packed ${tgz}: $(tar -tzf consumers/.pack/otel-contextvars.tgz | wc -l) files"

install() { # a consumer's pinned dependencies, and the freshly packed package
  (cd "consumers/$1" && rm -rf node_modules/otel-contextvars &&
    npm install --no-package-lock --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null)
}

for c in "${selected[@]}"; do
  start=$SECONDS
  echo "=== consumers/${c}"
  install "${c}"
  echo "(installed in $((SECONDS - start)) s)"
  case "${c}" in
    app) node consumers/app/check.mjs ;;
    types) node consumers/types/check.mjs ;;
    runtimes) bash consumers/runtimes/run.sh ;;
    workerd) node consumers/workerd/check.mjs ;;
    browser) node consumers/browser/check.mjs ;;
    next) node consumers/next/check.mjs ;;
    *) echo "unknown consumer ${c}" >&2; exit 2 ;;
  esac
  echo "=== consumers/${c}: $((SECONDS - start)) s"
done
cd "${root}"
