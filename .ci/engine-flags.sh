#!/usr/bin/env bash
# The engine, async-semantics, no-bleeding, conformance, manager-contract and reliability suites
# under the AsyncLocalStorage engine that is not the default of each line: Node 22 with
# AsyncContextFrame, Node 24 and 26 on async hooks. Assumes `npm ci` and `npm run build` ran.
set -euo pipefail
cd "$(dirname "$0")/.."
suites=(test/core/engine.test.ts test/core/async-semantics.test.ts test/core/no-bleeding.test.ts test/core/conformance.test.ts
  test/otel/manager-contract.test.ts test/otel/interplay.test.ts test/otel/channel-stores.test.ts test/reliability)
for variant in "node@22 --experimental-async-context-frame" "node@24 --no-async-context-frame" "node@26 --no-async-context-frame"; do
  read -r pkg flag <<<"${variant}"
  echo "=== ${pkg} ${flag}"
  npx -y -p "${pkg}" -- node "${flag}" node_modules/jest/bin/jest.js -i "${suites[@]}"
done
