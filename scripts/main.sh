#!/usr/bin/env bash
# The main job: set up, then compare the bundled example offers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
python3 -m trustcost "$@"
