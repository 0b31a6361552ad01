#!/usr/bin/env bash
# make fuzz: runs each libFuzzer harness of DIR (build-fuzz) for SECONDS from
# its committed seed corpus (tests/fuzz/corpus/NAME) and a work corpus of its
# own, in DIR/found-NAME, where libFuzzer writes what it finds. Exits 1 as
# soon as a harness leaves a failing input there (a crash, a leak, a timeout
# of 10 s, a memory blow-up past 2 GB) or cannot run at all.
#
#   tests/fuzz/run.sh DIR SECONDS NAME...
set -u
dir=$1 seconds=$2
shift 2
corpus=$(cd "$(dirname "$0")" && pwd)/corpus

for f in "$@"; do
	mkdir -p "$dir/work-$f" "$dir/found-$f"
	echo "fuzzing $f for $seconds s"
	(cd "$dir/found-$f" && "../$f" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 "../work-$f" "$corpus/$f" >../"$f.log" 2>&1)
	rc=$?
	grep -E '^(stat::number_of_executed_units|==[0-9]+==|SUMMARY|INFO: seed corpus)' "$dir/$f.log"
	found=$(find "$dir/found-$f" -maxdepth 1 -type f \
		\( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | head -1)
	if [ -n "$found" ]; then
		echo "fuzzer $f found a failing input: $found"
		exit 1
	fi
	if [ "$rc" != 0 ]; then
		echo "fuzzer $f failed (exit $rc): see $dir/$f.log"
		exit 1
	fi
done
