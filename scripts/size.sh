#!/usr/bin/env bash
# Prints the raw and gzip -9 size of each wasm, JS and CSS file in a built dist/ folder.
set -euo pipefail
dir=${1:-dist}
printf '%-48s %10s %10s\n' file bytes gzip-9
for file in "$dir"/*.wasm "$dir"/*.js "$dir"/*.css; do
  [ -f "$file" ] || continue
  printf '%-48s %10d %10d\n' "$(basename "$file")" "$(wc -c < "$file")" "$(gzip -9 -c "$file" | wc -c)"
done
