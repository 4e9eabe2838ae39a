#!/usr/bin/env bash
# What the OpenTelemetry JS 3.x line and the cross-language test need beside the root install:
# test/otel3 (the 3.x packages from their own lockfile) and .venv (OpenTelemetry Python's API).
# `npm test` and `npm run lint` install both when missing (scripts/test-deps.mjs); CI runs this
# first so an install failure stops the run here, and type-checks the 3.x project.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/test-deps.mjs
.venv/bin/python -c 'import opentelemetry.propagate, opentelemetry.baggage'
npx tsc -p test/otel3/tsconfig.json --noEmit
echo "otel-lines: test/otel3 installed and type-checked; .venv has $(.venv/bin/pip freeze --disable-pip-version-check | tr '\n' ' ')"
