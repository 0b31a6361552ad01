#!/usr/bin/env bash
# make fuzz's runner (tests/fuzz/run.sh) with stand-in harnesses: each runs
# FUZZ_SECONDS from the seed corpus, and any failing input it leaves, or a
# harness that cannot run, fails the run.
. "$(dirname "$0")/../api/lib.sh"
DATA=$(mktemp -d /tmp/10p5-test.XXXXXX)
mkdir -p "$DATA/log"
RUN=$ROOT/tests/fuzz/run.sh

# harness NAME BODY: a stand-in for build-fuzz/NAME, a script run in
# build-fuzz/found-NAME with libFuzzer's arguments.
harness() {
	printf '#!/bin/sh\n%s\n' "$2" >"$DATA/$1"
	chmod +x "$DATA/$1"
}
harness form 'echo "$@" >../form.args; echo "stat::number_of_executed_units: 42"'
out=$("$RUN" "$DATA" 7 form)
is "$?" 0 "a harness that finds nothing passes"
args=$(cat "$DATA/form.args")
like "$args" "-max_total_time=7 " "it runs FUZZ_SECONDS (7 s here)"
like "$args" "tests/fuzz/corpus/form$" "from its seed corpus"
like "$out" "number_of_executed_units: 42" "and the run reports how much it did"

for kind in crash leak timeout oom; do
	harness "$kind" "touch $kind-0123; exit 0"
	out=$("$RUN" "$DATA" 1 form "$kind")
	is "$? ${out##*$'\n'}" "1 fuzzer $kind found a failing input: $DATA/found-$kind/$kind-0123" \
		"a $kind left by a harness fails the run, and says where it is"
done
harness broken 'exit 77'
out=$("$RUN" "$DATA" 1 broken)
is "$? ${out##*$'\n'}" "1 fuzzer broken failed (exit 77): see $DATA/broken.log" "a harness that cannot run fails the run"

# The Makefile passes FUZZ_SECONDS to the runner: 60 by default, as
# doc/testing.md says.
dry() { env -u MAKEFLAGS -u MAKELEVEL make -n -s -C "$ROOT" fuzz "$@" 2>/dev/null | grep 'tests/fuzz/run.sh'; }
like "$(dry FUZZ_SECONDS=7)" "run.sh build-fuzz 7 form json money header dump" "make fuzz FUZZ_SECONDS=7 runs each harness 7 s"
like "$(dry)" "run.sh build-fuzz 60 " "and 60 s by default"
like "$(cat "$ROOT/doc/testing.md")" "each fuzzer for \`FUZZ_SECONDS\` \(60 by default" "as doc/testing.md says"

finish
