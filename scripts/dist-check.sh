#!/usr/bin/env bash
# dist-check.sh proves `make dist` reproducible: it builds the release
# binaries from two copies of the committed tree at two different paths
# and fails unless both SHA256SUMS are the same and no binary holds the
# path it was built in (nor this checkout's).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rev=$(git -C "$here" rev-parse HEAD)
version=$(git -C "$here" describe --tags --always "$rev" 2>/dev/null || echo devel)
date=$(TZ=UTC git -C "$here" log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd "$rev")
for copy in a b-with-a-longer-path; do
	dir="$work/$copy/stg"
	mkdir -p "$dir"
	git -C "$here" archive "$rev" | tar -x -C "$dir"
	# The copies are no git checkouts: give both the version of this one.
	make -s -C "$dir" dist VERSION="$version" COMMIT="$rev" DATE="$date" >/dev/null
done
if ! diff "$work/a/stg/dist/SHA256SUMS" "$work/b-with-a-longer-path/stg/dist/SHA256SUMS"; then
	echo "dist-check: the two builds differ" >&2
	exit 1
fi
for bin in "$work"/*/stg/dist/stg-*; do
	if strings "$bin" | grep -F -e "$work" -e "$here" >/dev/null; then
		echo "dist-check: $bin holds a build path" >&2
		exit 1
	fi
done
echo "dist-check: reproducible, no build paths:"
cat "$work/a/stg/dist/SHA256SUMS"
