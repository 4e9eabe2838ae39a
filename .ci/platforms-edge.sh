#!/usr/bin/env bash
# Beyond Node servers, with the real runtimes: the packed package in Cloudflare's workerd (miniflare
# 4: nodejs_compat, nodejs_als alone, @microlabs/otel-cf-workers) and in headless Chromium
# (Debian's chromium, driven by puppeteer-core). Each consumer project (consumers/workerd,
# consumers/browser) pins its versions and is installed by consumers/run.sh from the packed .tgz.
# Installs chromium from Debian when it is missing (apt-get; needs root, as CI runs). Network: the
# npm registry and Debian's packages only; the test servers listen on 127.0.0.1. Prints one summary
# line per platform. Assumes `npm ci` ran; each step is bounded by `timeout`.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
if ! command -v /usr/bin/chromium >/dev/null; then
  echo "=== installing chromium (Debian)"
  timeout 300 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq chromium >/dev/null
fi
echo "=== $(/usr/bin/chromium --version 2>/dev/null | head -1)"
# One consumer per call, so a failure in one still lets the other run and report.
status=0
timeout 600 bash consumers/run.sh workerd || status=1
timeout 600 bash consumers/run.sh browser || status=1
echo "=== platforms-edge: $((SECONDS - start)) s on Node $(node --version)"
exit "${status}"
