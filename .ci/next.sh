#!/usr/bin/env bash
# Next.js 16 with @vercel/otel, end to end: packs the package, installs it with the app's pinned
# dependencies (consumers/next/package.json), runs `next build`, then `next start` on 127.0.0.1
# with 50 concurrent requests to a Node.js-runtime route and 50 to an edge-runtime route, spans
# exported to an OTLP/HTTP collector on 127.0.0.1 (consumers/next/check.mjs). Runs once, on the
# system Node. Network: the npm registry only (the install, from the shared npm cache when warm).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
timeout 900 bash consumers/run.sh next
echo "=== next: $((SECONDS - start)) s on Node $(node --version)"
