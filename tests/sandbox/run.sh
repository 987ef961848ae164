#!/usr/bin/env bash
# `make test-sandbox`: runs the cross-package scenarios on a real NEAR sandbox when a binary is
# given (NEAR_SANDBOX_BINARY_PATH = directory holding `near-sandbox`), else says it was skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if [[ -z "${NEAR_SANDBOX_BINARY_PATH:-}" ]]; then
  echo "test-sandbox: skipped (NEAR_SANDBOX_BINARY_PATH is not set)"
  exit 0
fi
if [[ ! -x "${NEAR_SANDBOX_BINARY_PATH}/near-sandbox" ]]; then
  echo "test-sandbox: ERROR E_NO_SANDBOX: ${NEAR_SANDBOX_BINARY_PATH}/near-sandbox is not an executable" >&2
  exit 1
fi
for c in metapool staking-pool whitelist; do
  [[ -f contracts/build/$c.wasm ]] || { echo "test-sandbox: ERROR E_NO_BUILD: contracts/build/$c.wasm missing (make contracts)" >&2; exit 1; }
done
# near-workspaces uses the local binary instead of downloading one.
export NEAR_SANDBOX_BIN_PATH=1
exec npx tsx tests/sandbox/run-scenarios.ts
