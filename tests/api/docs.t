#!/usr/bin/env bash
# The documentation against the code: doc/api.md names every endpoint of the
# binaries' route tables (--routes) with its right, scope, method and fields,
# and every status word of lib/reply.c with its HTTP code; the sections the
# code cites (doc/<page>.md#anchor) exist, and so does every link between the
# pages. No stack: the binaries are only asked for their tables.
. "$(dirname "$0")/lib.sh"
DATA=$(mktemp -d /tmp/10p5-test.XXXXXX)
mkdir -p "$DATA/log"
API=$ROOT/doc/api.md

for b in $(binaries); do "$b" --routes; done >"$DATA/routes"
ok "$([ "$(wc -l <"$DATA/routes")" -gt 30 ]; echo $?)" "the binaries declare their routes"

# The rows of doc/api.md's endpoint tables: "path<TAB>row", from the
# section "Endpoints" to the next section of the same level.
perl -ne '
	$in = 1 if /^<a id="endpoints">/;
	$in = 0 if $in && /^<a id="transaction-objects">/;
	print "$1\t$_" if $in && /^\| `([^`]+)`/;
' "$API" >"$DATA/rows"

missing=$(jq -r .path "$DATA/routes" | while read -r path; do
	cut -f1 "$DATA/rows" | grep -qxF -- "$path" || echo "$path"
done)
is "$missing" "" "every endpoint of the route tables has a row in doc/api.md"

jq -r .path "$DATA/routes" >"$DATA/paths"
unknown=$(cut -f1 "$DATA/rows" | while read -r path; do
	grep -qxF -- "$path" "$DATA/paths" || echo "$path"
done)
is "$unknown" "" "every row of doc/api.md's endpoint tables is a route of the binaries"

# Each row says what the route table says: its right (the first number of the
# right cell, or "—" for a public endpoint), "session" for the endpoints of
# password sessions only, its scope, GET when it takes GET, and each field it
# reads.
wrong=$(perl -MJSON::PP -e '
	my %row;
	open my $r, "<", $ARGV[1] or die;
	while (<$r>) { chomp; my ($p, $line) = split /\t/, $_, 2; $row{$p} = $line }
	my @words = ([1, "compte"], [2, "lecture"], [4, "caisse"], [8, "admin"], [16, "flux"]);
	sub scope_of { # the scope cell for the bits of a route: "lecture or flux"
		my ($bits) = @_;
		return "any" unless $bits;
		return join " or ", map { $_->[1] } grep { $bits & $_->[0] } @words;
	}
	open my $t, "<", $ARGV[0] or die;
	while (<$t>) {
		my $rt = decode_json($_);
		my $line = $row{$rt->{path}} // next;
		my (undef, $ep, $right, $scope, $params) = split /\s*\|\s*/, $line;
		my @bad;
		my $want_right = $rt->{public} ? "—" : $rt->{right};
		my ($got_right) = $right =~ /^(—|\d)/;
		push @bad, "right $right, not $want_right" if ($got_right // "") ne $want_right;
		push @bad, "session not said" if $rt->{session} && $right !~ /session/;
		push @bad, "session said" if !$rt->{session} && $right =~ /session/;
		my $want_scope = $rt->{public} ? "—" : scope_of($rt->{scope});
		push @bad, "scope $scope, not $want_scope" if $scope ne $want_scope;
		push @bad, "GET not said" if $rt->{get} && $ep !~ /GET/;
		push @bad, "GET said" if !$rt->{get} && $ep =~ /GET/;
		for my $f (@{$rt->{fields}}) {
			push @bad, "field $f->{name} missing" if $params !~ /`\Q$f->{name}\E`/;
		}
		print "$rt->{path}: ", join("; ", @bad), "\n" if @bad;
	}
' "$DATA/routes" "$DATA/rows")
is "$wrong" "" "each row gives its route's right, scope, method and fields"

# The scopes' summary (section "Scopes") names, on the row of lecture and of
# caisse, every route that scope opens.
perl -ne '
	$in = 1 if /^### Scopes/;
	$in = 0 if $in && /^<a id="secrets">/;
	print "$1\t$2\n" if $in && /^\| `(lecture|caisse)` \| (.*)\|$/;
' "$API" >"$DATA/scopes"
unnamed=$(jq -r 'select(.public | not) | "\(.scope) \(.path)"' "$DATA/routes" | while read -r bits path; do
	for w in 2:lecture 4:caisse; do
		[ $((bits & ${w%%:*})) -ne 0 ] || continue
		grep "^${w#*:}	" "$DATA/scopes" | grep -qF "\`$path\`" || echo "${w#*:}: $path"
	done
done)
is "$unnamed" "" "the scopes' summary names every route of lecture and of caisse"

# The status table of lib/reply.c: "word code" lines.
sed -n 's/^\t\[ST_[A-Z_]*\] *= { "\([a-z_]*\)", \([0-9]*\),.*/\1 \2/p' "$ROOT/lib/reply.c" >"$DATA/statuses"
ok "$([ "$(wc -l <"$DATA/statuses")" -gt 30 ]; echo $?)" "lib/reply.c's status table is read"
perl -ne '
	$in = 1 if /^<a id="statuses">/;
	$in = 0 if $in && /^<a id="parameters">/;
	print "$1 $2\n" if $in && /^\| `([a-z_]+)` \| (\d+) \|/;
' "$API" >"$DATA/documented"
absent=$(while read -r word code; do
	grep -qxF "$word $code" "$DATA/documented" || echo "$word $code"
done <"$DATA/statuses")
is "$absent" "" "every status word of lib/reply.c is in doc/api.md's table with its HTTP code"
# nginx answers some by itself (nginx/api.conf): those may be documented too.
extra=$(while read -r word code; do
	cut -d' ' -f1 "$DATA/statuses" | grep -qxF "$word" ||
		grep -q "return $code '{\"status\":\"$word\"}'" "$ROOT/nginx/api.conf" || echo "$word $code"
done <"$DATA/documented")
is "$extra" "" "every word of doc/api.md's status table is one the programs or nginx answer"

# Anchors: the explicit ones (<a id="...">) and GitHub's, made from headings.
anchors() { # anchors FILE: one anchor a line
	perl -ne '
		print "$1\n" while /<a id="([^"]+)">/g;
		next unless /^#+ (.*)/;
		my $h = lc $1;
		$h =~ s/[^\w\- ]//g;
		$h =~ tr/ /-/;
		print "$h\n";
	' "$1"
}

# What the code cites: doc/<page>.md#anchor in comments and test names.
cited=$(cd "$ROOT" && grep -rhoE 'doc/[a-z]+\.md#[a-z0-9-]+' lib cgi-bin cli tests www nginx apache schema Makefile \
	--exclude-dir=node_modules | sort -u)
ok "$([ -n "$cited" ]; echo $?)" "the code cites sections of doc/"
dangling=$(for c in $cited; do
	page=${c%%#*} anchor=${c#*#}
	[ -f "$ROOT/$page" ] && anchors "$ROOT/$page" | grep -qxF -- "$anchor" || echo "$c"
done)
is "$dangling" "" "every section of doc/ that the code cites exists"

spec=$(cd "$ROOT" && grep -rnE 'SP[E]C ?§|SP[E]C.s ' lib cgi-bin cli tests www nginx apache schema Makefile \
	--exclude-dir=node_modules)
is "$spec" "" "the code cites doc/, not a contract kept outside the repository"

# Links between the pages: [text](target) with a relative target, to a file
# that exists and, with #anchor, to an anchor in it.
for md in "$ROOT"/README.md "$ROOT"/doc/*.md; do
	anchors "$md" >"$DATA/anchors-${md##*/}"
done
broken=$(for md in "$ROOT"/README.md "$ROOT"/doc/*.md; do
	grep -oE '\]\([^) ]+\)' "$md" | sed 's/^](//; s/)$//' | while read -r target; do
		case $target in http*://*|mailto:*) continue ;; esac
		file=${target%%#*} anchor=
		[ "$file" = "$target" ] || anchor=${target#*#}
		if [ -z "$file" ]; then path=$md; else path=$(dirname "$md")/$file; fi
		if [ ! -e "$path" ]; then echo "${md#"$ROOT"/}: $target"; continue; fi
		[ -z "$anchor" ] || grep -qxF -- "$anchor" "$DATA/anchors-${path##*/}" 2>/dev/null ||
			echo "${md#"$ROOT"/}: $target"
	done
done)
is "$broken" "" "every link of the README and doc/ reaches its page and section"

finish
