#!/usr/bin/env bash
# lib/'s modules call downward only: no module calls, directly or through
# others, a module that calls it back. The arrows are read from the objects
# of the test build (what each defines, what each takes from the others), so
# a call through a macro or an inline helper counts too. db.c and db_txn.c
# are one module in two files (the connection and its transactions, sharing
# db_conn.h), and count as one. No stack: the objects are only read.
. "$(dirname "$0")/lib.sh"
DATA=$(mktemp -d /tmp/10p5-test.XXXXXX)
mkdir -p "$DATA/log"

objects=$(ls "$BIN"/lib/*.o 2>/dev/null | grep -v '/schema\.o$')
ok "$([ "$(wc -w <<<"$objects")" -gt 30 ]; echo $?)" "the library's objects are there to read"

# "module<TAB>symbol<TAB>D" for what a module defines, "U" for what it takes.
for o in $objects; do
	m=$(basename "$o" .o)
	m=${m/#db_txn/db}
	nm "$o" | awk -v m="$m" '
		NF == 3 && $2 ~ /^[TDRBC]$/ { print m "\t" $3 "\tD" }
		NF == 2 && $1 == "U" { print m "\t" $2 "\tU" }'
done >"$DATA/symbols"

# Every cycle of the module graph, as "a -> b -> ... -> a" (one per line).
cycles=$(perl -e '
	my (%def, %arrow);
	while (<>) {
		chomp; my ($m, $s, $k) = split /\t/;
		$def{$s} = $m if $k eq "D";
		push @{$arrow{$m}}, $s if $k eq "U";
	}
	my %g;
	for my $m (keys %arrow) {
		for my $s (@{$arrow{$m}}) {
			my $to = $def{$s} // next;
			$g{$m}{$to} = 1 if $to ne $m;
		}
	}
	# A path from b back to a, for each arrow a -> b.
	sub path { my ($from, $to, $seen) = @_;
		return [$to] if $from eq $to;
		$seen->{$from} = 1;
		for my $n (sort keys %{$g{$from}}) {
			next if $seen->{$n};
			my $p = path($n, $to, $seen);
			return [$from, @$p] if $p;
		}
		return undef;
	}
	my %said;
	for my $a (sort keys %g) {
		for my $b (sort keys %{$g{$a}}) {
			my $p = path($b, $a, {}) or next;
			my $c = join " -> ", $a, @$p;
			my $key = join ",", sort ($a, @$p);
			print "$c\n" unless $said{$key}++;
		}
	}
' "$DATA/symbols")
is "$cycles" "" "no module of lib/ calls one that calls it back"

echo "1..$T_N"
[ "$T_FAIL" = 0 ] && rm -rf "$DATA"
exit $((T_FAIL > 254 ? 254 : T_FAIL))
