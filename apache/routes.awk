# Writes Apache's rewrite rules from the binaries' route tables (their
# --routes=tsv lines: path, area, pool, flags) into the .htaccess template at
# its @ROUTES@ line: one rule per route, to its area's program, naming the
# route for it (TENP5_ROUTE), so that the endpoint Apache picks on the
# normalised path is the handler that runs.
BEGIN { FS = "\t" }
FNR == NR {
	path = substr($1, 1, 1) == "/" ? substr($1, 2) : "api/" $1
	gsub(/\./, "\\.", path)
	rules = rules sprintf("RewriteRule ^%s/?$ %s.cgi [E=TENP5_ROUTE:%s,END]\n", path, $2, $1)
	next
}
/^@ROUTES@$/ { printf "%s", rules; next }
{ print }
