#!/bin/sh
# Rewrites the command table at the end of README.md from a slotgate binary, which generates it
# from its own policy table (`slotgate --command-table`). tests/unit/command_doc_test.cc fails
# until this has been run after a policy change.
#   deploy/update-command-table.sh [path/to/slotgate]    (default: build/proxy/slotgate)
set -eu
cd "$(dirname "$0")/.."
binary=${1:-build/proxy/slotgate}
readme=README.md
begin='<!-- command-table:begin'
end='<!-- command-table:end -->'

if [ ! -x "$binary" ]; then
  echo "update-command-table: no slotgate binary at $binary (build it, or pass its path)" >&2
  exit 1
fi
grep -q "^$begin" "$readme" || { echo "update-command-table: $readme has no '$begin' line" >&2; exit 1; }
grep -q "^$end" "$readme" || { echo "update-command-table: $readme has no '$end' line" >&2; exit 1; }

table=$(mktemp)
out=$(mktemp)
trap 'rm -f "$table" "$out"' EXIT
"$binary" --command-table > "$table"
# Everything before the begin marker, the new table (markers included), everything after the end.
awk -v begin="$begin" -v end="$end" -v table="$table" '
  index($0, begin) == 1 { while ((getline line < table) > 0) print line; skipping = 1; next }
  skipping && index($0, end) == 1 { skipping = 0; next }
  !skipping { print }
' "$readme" > "$out"
cat "$out" > "$readme"
echo "update-command-table: $readme updated from $binary"
