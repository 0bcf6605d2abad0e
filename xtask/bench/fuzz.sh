#!/usr/bin/env bash
# The decoder's property test at fuzzing scale: a million generated and mutated answers over
# every method of the spec (CI runs 100,000). Prints inputs, methods, time and inputs/s; fails
# on the first panic or inconsistent outcome, naming the method and the input.
#   bash xtask/bench/fuzz.sh [INPUTS]
set -euo pipefail
cd "$(dirname "$0")/../.."
DECODE_PROPERTY_INPUTS="${1:-1000000}" cargo test --release -q -p slack-api-tests --test decode_properties -- --nocapture 2>&1 \
  | grep -E "decode property|panicked|FAILED|error" || true
