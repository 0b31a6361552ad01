# Writes the .htaccess from its template (apache/htaccess.in), the binaries'
# route tables (their --routes=tsv lines: path, area, pool, flags) and the web
# app's file list (one path a line, relative to www/): at the @ROUTES@ line,
# one rule per route, to its area's program, which finds its route again from
# the path the rule matched (doc/deploy.md); at the @FILES@ line, one rule per
# file of the web app, served as it is. Nothing else of the directory is
# served.
BEGIN { FS = "\t" }
FILENAME == ARGV[1] {
	path = substr($1, 1, 1) == "/" ? substr($1, 2) : "api/" $1
	gsub(/\./, "\\.", path)
	routes = routes sprintf("RewriteRule ^%s/?$ %s.cgi [END]\n", path, $2)
	next
}
FILENAME == ARGV[2] {
	file = $0
	sub(/^\.\//, "", file)
	gsub(/\./, "\\.", file)
	files = files sprintf("RewriteRule ^%s$ - [END]\n", file)
	next
}
/^@ROUTES@$/ { printf "%s", routes; next }
/^@FILES@$/ { printf "%s", files; next }
{ print }
