#!/usr/bin/env bash
# Issue 9: what the OpenTelemetry JS 3.x line and the polyglot test need beside the root install.
# Run once after `npm ci`, before `npm test` on each Node line; `npm test` then runs the 3.x tests
# (jest project otel-3.x) on Node >= 22.15 and the Python round trip on every line, and under
# CI=true fails where either could not run.
#  1. test/otel3: the 3.x packages (api 1.10, sdk-trace/sdk-logs 3.x, sdk-node and
#     instrumentation-http 0.301, instrumentation-pino 0.70) from their own lockfile, apart from
#     the root's 2.x line whose peer ranges stop below api 1.10. Installs on Node 20 too (npm only
#     warns about their engines field); the tests skip there.
#  2. .venv: OpenTelemetry Python's API at pinned versions, from the machine's package index.
#  3. The 3.x project's type check (its tests, shims and examples), which the root tsconfig excludes.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --prefix test/otel3 --no-audit --no-fund --loglevel=error
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check --retries 0 --no-deps -r test/fixtures/python/requirements.txt
.venv/bin/python -c 'import opentelemetry.propagate, opentelemetry.baggage'
npx tsc -p test/otel3/tsconfig.json --noEmit
echo "otel-lines: test/otel3 installed and type-checked; .venv has $(.venv/bin/pip freeze --disable-pip-version-check | tr '\n' ' ')"
