# 10p5: `make` builds, `make run` serves on 127.0.0.1:$(PORT), `make test` tests.
# Missing Debian packages are installed by the targets that need them.

SHELL   := /bin/bash
.DELETE_ON_ERROR:

BUILD   ?= build
PORT    ?= 8080
DATA    ?= ./var
SAN     ?=

HOOKS   ?=
PKGS     = fcgi json-c sqlite3 libsodium
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla -Wpointer-arith -Wcast-qual
# CFLAGS is the builder's (make CFLAGS="-O0 -g" works); what the code needs is
# kept apart in TENP5_CFLAGS and always applied.
CFLAGS  ?= -O2 -g
TENP5_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARN) -fstack-protector-strong -Ilib -I$(BUILD) \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# STATIC=1 (make static) links everything in: binaries that run on any
# x86-64 Linux host, whatever its C library and packages.
ifeq ($(STATIC),1)
override LDFLAGS += -static -s
LDLIBS  += $(shell pkg-config --static --libs $(PKGS) 2>/dev/null) -lscrypt -lcrypt -pthread
else
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lscrypt -lcrypt -pthread
endif
ifeq ($(SAN),1)
SAN_CFLAGS = -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS   += -fsanitize=address,undefined
else ifneq ($(filter -O1 -O2 -O3 -Os -Og -Ofast,$(CFLAGS)),)
TENP5_CFLAGS += -D_FORTIFY_SOURCE=2
endif
# Test builds (make check, make test) compile in the hooks the suites drive:
# an injectable clock and induced failures. Production builds have none.
ifeq ($(HOOKS),1)
TENP5_CFLAGS += -DTENP5_TEST_HOOKS
endif
ALL_CFLAGS = $(TENP5_CFLAGS) $(CFLAGS) $(SAN_CFLAGS)

AREAS    = utilisateur client transaction divers cle app oauth evenements service produit export \
           horsligne moi
LIB_SRC  = $(wildcard lib/*.c)
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/schema.o
LIBA     = $(BUILD)/lib10p5.a
BINS     = $(AREAS:%=$(BUILD)/cgi-bin/%) $(BUILD)/bin/10p5-admin
UNIT_SRC = $(wildcard tests/unit/*.c)
UNITS    = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%.t)
SCHEMA   = $(sort $(wildcard schema/*.sql))

# Debian packages: what builds, what runs, what tests.
DEPS_BUILD = gcc make pkg-config libfcgi-dev libjson-c-dev libsqlite3-dev libscrypt-dev libsodium-dev \
             libcrypt-dev zlib1g-dev
DEPS_RUN   = nginx spawn-fcgi multiwatch curl
DEPS_TEST  = jq sqlite3 perl procps clang libclang-rt-14-dev e2fsprogs util-linux valgrind apache2 \
             mariadb-server mariadb-client apache2-utils apache2-suexec-pristine passwd python3
DEPS_BENCH = wrk
# The browser suite: Debian's Chromium, driven headless by playwright-core from
# npm (pinned in tests/web/package-lock.json; no browser is downloaded);
# zbarimg reads back the QR codes the app draws.
DEPS_WEB   = chromium fonts-dejavu-core nodejs zbar-tools

.PHONY: all run check test test-build static web cgi asan valgrind bench bench-export bench-feed-tickets bench-fiche bench-holders bench-horsligne bench-import fuzz clean deps \
        deps-run deps-test deps-bench deps-web deps-replica
CONFS    = $(BUILD)/nginx/routes.conf $(BUILD)/apache/htaccess
all: $(BINS) $(UNITS) $(CONFS)

Q = @
ifeq ($(V),1)
Q =
endif

$(BUILD)/%.o: %.c $(wildcard lib/*.h cli/*.h cgi-bin/*.h tests/unit/*.h) tests/tap.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The migrations are compiled in, so a binary copied alone (CGI hosting) can
# still create or upgrade its database.
$(BUILD)/schema.c: $(SCHEMA) Makefile
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@{ echo '#include "db.h"'; echo 'const struct migration db_migrations[] = {'; \
	  for f in $(SCHEMA); do \
	    n=$$(basename $$f); v=$${n%%_*}; \
	    printf '\t{ %d, "%s",\n' $$((10#$$v)) "$$n"; \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$$/\\n"/' $$f; \
	    printf '\t},\n'; \
	  done; \
	  echo '};'; \
	  echo 'const size_t db_migrations_n = sizeof db_migrations / sizeof db_migrations[0];'; \
	} > $@

$(BUILD)/schema.o: $(BUILD)/schema.c
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/cgi-bin/%: $(BUILD)/cgi-bin/%.o $(LIBA)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBA) $(LDLIBS)

# An area's own second file: the OAuth pages' HTML.
$(BUILD)/cgi-bin/oauth: $(BUILD)/cgi-bin/oauth_page.o

# The dump reader: its statements, its lexer, the session a dump sets, its values.
DUMP_SRC  = cli/dump.c cli/dump_lex.c cli/dump_session.c cli/dump_value.c
DUMP_OBJ  = $(DUMP_SRC:%.c=$(BUILD)/%.o)
ADMIN_OBJ = $(BUILD)/cli/admin.o $(BUILD)/cli/replica.o $(BUILD)/cli/import_php.o $(BUILD)/cli/import_rows.o $(BUILD)/cli/import_names.o $(BUILD)/cli/import_zone.o $(BUILD)/cli/import_write.o $(DUMP_OBJ)

$(BUILD)/bin/10p5-admin: $(ADMIN_OBJ) $(LIBA)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The dump reader lives with the admin command it serves.
$(BUILD)/tests/dump.t: $(DUMP_OBJ)

$(BUILD)/tests/%.t: $(BUILD)/tests/unit/%.o $(LIBA)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The front servers' routes, from the binaries' own route tables.
$(BUILD)/routes.tsv: $(AREAS:%=$(BUILD)/cgi-bin/%)
	@echo "  GEN     $@"
	$(Q)for b in $^; do $$b --routes=tsv || exit 1; done >$@
$(BUILD)/nginx/routes.conf: $(BUILD)/routes.tsv nginx/routes.awk
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)awk -f nginx/routes.awk $< >$@
# The shared host's .htaccess also names each file of the web app: nothing
# else of its directory is served.
WWW_FILES = $(shell find www -type f | sort)
$(BUILD)/apache/htaccess: $(BUILD)/routes.tsv apache/routes.awk apache/htaccess.in $(WWW_FILES)
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)awk -f apache/routes.awk $< <(cd www && find . -type f | sort) apache/htaccess.in >$@

.SECONDARY:

# Installs what is missing (as root), or says what to install. Packages do
# not start their services (nginx, apache2 would listen on port 80): the
# project starts its own servers.
deps = @missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "missing Debian packages:$$missing (run as root, or: sudo apt-get install$$missing)"; exit 1; fi; \
	  echo "installing:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  if [ ! -e /usr/sbin/policy-rc.d ]; then \
	    printf '\#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; \
	    trap 'rm -f /usr/sbin/policy-rc.d' EXIT; \
	  fi; \
	  apt-get install -y -q --no-install-recommends $$missing >/dev/null || \
	  { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $$missing >/dev/null; } || exit 1; \
	fi

deps:
	$(call deps,$(DEPS_BUILD))
deps-run: deps
	$(call deps,$(DEPS_RUN))
deps-test: deps-run
	$(call deps,$(DEPS_TEST))
deps-bench: deps-run
	$(call deps,$(DEPS_BENCH))
# npm comes with some nodejs builds and is its own package in Debian's.
deps-web: deps-test
	$(call deps,$(DEPS_WEB))
	@command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm >/dev/null
	cd tests/web && npm ci --no-audit --no-fund --loglevel=error

# The replication engine of a production deployment (doc/deploy.md,
# "Replication"): Litestream 0.3.13, the binary the npm package
# @flydotio/litestream-linux-x64 ships, pinned with its integrity in
# replica/package-lock.json (Debian has no package of it). The API suite
# tests/api/replica.t runs it.
LITESTREAM = replica/node_modules/@flydotio/litestream-linux-x64/litestream
deps-replica: $(LITESTREAM)
$(LITESTREAM): replica/package.json replica/package-lock.json
	$(call deps,nodejs)
	@command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm >/dev/null
	cd replica && npm ci --no-audit --no-fund --loglevel=error
	@$@ version | grep -qx 'v0.3.13' || { echo "$@: not Litestream v0.3.13"; exit 1; }
	@touch $@

run: deps-run
	@$(MAKE) --no-print-directory all
	@BIN=$(BUILD) PORT=$(PORT) DATA=$(DATA) exec nginx/run.sh

# Self-contained binaries for a shared host (doc/deploy.md), linked
# statically (the static archives come with Debian's -dev packages) and
# stripped, packed with the web app in build-static/10p5.tar.gz: 10p5/site/
# is the web directory (each program as <area>.cgi, the .htaccess, www/),
# 10p5/bin/ holds 10p5-admin.
STATIC_BUILD = build-static
static: deps
	@$(MAKE) --no-print-directory BUILD=$(STATIC_BUILD) STATIC=1 \
	  $(AREAS:%=$(STATIC_BUILD)/cgi-bin/%) $(STATIC_BUILD)/bin/10p5-admin $(STATIC_BUILD)/apache/htaccess
	@echo "  PACK    $(STATIC_BUILD)/10p5.tar.gz"
	$(Q)rm -rf $(STATIC_BUILD)/10p5 && mkdir -p $(STATIC_BUILD)/10p5/site $(STATIC_BUILD)/10p5/bin && \
	  for a in $(AREAS); do cp $(STATIC_BUILD)/cgi-bin/$$a $(STATIC_BUILD)/10p5/site/$$a.cgi || exit 1; done && \
	  cp $(STATIC_BUILD)/apache/htaccess $(STATIC_BUILD)/10p5/site/.htaccess && cp -r www/. $(STATIC_BUILD)/10p5/site/ && \
	  cp $(STATIC_BUILD)/bin/10p5-admin $(STATIC_BUILD)/10p5/bin/ && \
	  tar -czf $(STATIC_BUILD)/10p5.tar.gz -C $(STATIC_BUILD) --owner=0 --group=0 10p5

# The suites run against a test build (TEST_BUILD, with the test hooks: an
# injectable clock and induced failures); `make` and `make bench` build
# without them.
TEST_BUILD = build-test
TEST_UNITS = $(UNIT_SRC:tests/unit/%.c=$(TEST_BUILD)/tests/%.t)
test-build:
	@$(MAKE) --no-print-directory BUILD=$(TEST_BUILD) HOOKS=1 all

# Suites run JOBS at a time, each with its own stack, database and ports;
# flood.t, stop.t and replica.t, which load, stop or kill whole stacks, run
# on their own afterwards (replica.t needs the engine of deps-replica). The longest suites start first.
JOBS  ?= 2
PROVE  = prove --exec '' -j$(JOBS)
ALONE  = $(addprefix tests/api/,flood.t stop.t replica.t)
SLOW   = $(addprefix tests/api/,matrix.t faults.t evenements.t admin.t oauth_flow.t oauth_authorize.t) $(addprefix tests/web/,tour.t barman.t)
slow_first = $(filter $(SLOW),$(1)) $(filter-out $(SLOW),$(1))

# The quick loop: unit tests and the API suites against a real nginx +
# spawn-fcgi stack (a few minutes).
check: deps-test deps-replica
	@$(MAKE) --no-print-directory test-build
	BIN=$(TEST_BUILD) $(PROVE) $(call slow_first,$(filter-out $(ALONE) $(APACHE_ONLY),$(wildcard tests/api/*.t)) \
	  $(TEST_UNITS) tests/fuzz/run.t)
	BIN=$(TEST_BUILD) prove --exec '' $(ALONE)

# The browser suite (tests/web/): the staff web app in headless Chromium
# against a real stack on the test build (its clock is moved for the charts
# and for sessions that lapse); screenshots of every screen in
# $(TEST_BUILD)/web/. reprise.t runs the replication engine (deps-replica).
web: deps-web deps-replica
	@$(MAKE) --no-print-directory test-build
	BIN=$(TEST_BUILD) $(PROVE) $(call slow_first,$(wildcard tests/web/*.t))

# Everything: check, the browser suite (web), then the API suites against
# the shared-host deployment (plain CGI under Apache), then both again on a
# build with AddressSanitizer and UndefinedBehaviorSanitizer, then the main
# suites with every worker under valgrind, then each fuzzer for a few seconds.
test: deps-test deps-web
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory web
	@$(MAKE) --no-print-directory cgi
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory valgrind VALGRIND_SUITES="$(VALGRIND_QUICK)"
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=5

# The API suites against the binaries deployed as plain CGI under Apache with
# the generated .htaccess and 10p5.conf, on three kinds of shared host
# (tests/api/lib.sh's start_apache), each suite on one of them: suEXEC with a
# ~user/ site, whose environment it strips, as most shared hosts run CGI
# (SUEXEC_SUITES: the bulk, the till in Chromium, and doc/deploy.md's commands
# run by a fresh account); the self-contained binaries of make static in an
# empty chroot, its database made by the static 10p5-admin inside it
# (CHROOT_SUITES: the money paths on the production build, which has no test
# clock nor hooks); CGI run as Apache's user, every site's as one (the rest:
# the one-user warning, 10p5-admin run as www-data beside live requests, the
# import, the logs, the racing payments). hosting.t (what the host serves, who
# runs the programs, the stream of a browser gone) runs on all three. The fault,
# flood, stop and replica suites are about the FastCGI pools and nginx; the direct CGI,
# matrix, docs and layers suites are transport-independent.
APACHE_ONLY   = $(addprefix tests/api/,hosting.t deploy.t)
CHROOT_SUITES = $(addprefix tests/api/,client.t transaction.t idempotency.t service.t export.t hosting.t)
PLAIN_SUITES  = $(addprefix tests/api/,hosting.t admin.t import.t logs.t concurrency.t) $(wildcard tests/api/protocol_*.t)
SUEXEC_SUITES = $(filter-out $(addprefix tests/api/,faults.t cgi.t matrix.t flood.t stop.t replica.t docs.t layers.t readme.t) \
                  $(CHROOT_SUITES) $(PLAIN_SUITES),$(wildcard tests/api/*.t)) tests/api/hosting.t
cgi: deps-test deps-web
	@$(MAKE) --no-print-directory test-build
	@$(MAKE) --no-print-directory static
	STACK=apache CGI_MODE=suexec BIN=$(TEST_BUILD) $(PROVE) $(call slow_first,tests/web/caisse.t $(SUEXEC_SUITES))
	STACK=apache CGI_MODE=chroot BIN=$(TEST_BUILD) STATIC_BIN=$(STATIC_BUILD) $(PROVE) $(CHROOT_SUITES)
	STACK=apache BIN=$(TEST_BUILD) $(PROVE) $(call slow_first,$(PLAIN_SUITES))

# The sanitized build runs every unit test and the API suites but flood.t,
# stop.t and replica.t, whose subject is nginx, the stack's processes and the
# replication rather than our code's memory (check runs them).
ASAN_SUITES = $(filter-out $(addprefix tests/api/,flood.t stop.t replica.t docs.t layers.t readme.t) $(APACHE_ONLY),$(wildcard tests/api/*.t))
asan:
	@$(MAKE) --no-print-directory BUILD=build-asan HOOKS=1 SAN=1 all
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  BIN=build-asan SANITIZED=1 $(PROVE) \
	  $(call slow_first,$(ASAN_SUITES) $(UNIT_SRC:tests/unit/%.c=build-asan/tests/%.t))

$(BUILD)/tests/sqliteloop $(BUILD)/tests/nullfcgi $(BUILD)/tests/sse: $(BUILD)/tests/%: tests/bench/%.c
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(LDLIBS)

# Benchmarks: wrk against the stack with a million-row data set, next to the
# nginx and SQLite ceilings measured in the same run (tests/bench/results.md),
# then the exports (tests/bench/export-results.md).
bench: deps-bench deps-test
	@$(MAKE) --no-print-directory all $(BUILD)/tests/sqliteloop $(BUILD)/tests/nullfcgi \
	  $(BUILD)/tests/sse
	BIN=$(BUILD) tests/bench/bench.sh
	BIN=$(BUILD) tests/bench/export.sh
	@$(MAKE) --no-print-directory bench-horsligne

# The live feed's delivery during payments, with and without 20 tickets a
# second asked beside them, alone (tests/bench/bench.sh feed-tickets).
bench-feed-tickets: deps-bench deps-test
	@$(MAKE) --no-print-directory all $(BUILD)/tests/nullfcgi $(BUILD)/tests/sse
	BIN=$(BUILD) tests/bench/bench.sh feed-tickets

# A 10 000-row fiche asked at c=16 while payments go round a thousand other
# cards, against a null reply of its length with the same payments, alone
# and without the million-row data set (tests/bench/bench.sh fiche).
bench-fiche: deps-bench deps-test
	@$(MAKE) --no-print-directory all $(BUILD)/tests/nullfcgi
	BIN=$(BUILD) tests/bench/bench.sh fiche

# A holder's code guessed 10 000 times from 50 addresses during payments,
# the holder logging in from their browser meanwhile, alone
# (tests/bench/bench.sh holders).
bench-holders: deps-bench deps-test
	@$(MAKE) --no-print-directory all $(BUILD)/tests/nullfcgi
	BIN=$(BUILD) tests/bench/bench.sh holders

# The exports alone: a million ledger rows as CSV, against SQLite stepping
# through them, and the worker's memory (tests/bench/export-results.md).
bench-export: deps-bench deps-test
	@$(MAKE) --no-print-directory all $(BUILD)/tests/sqliteloop
	BIN=$(BUILD) tests/bench/export.sh

# The import from the PHP version: 100 000 transactions from a mysqldump of a
# private MariaDB server (tests/bench/import-results.md).
# A till's queue of 1 000 offline sales sent on reconnect while two other
# tills (curl) sell, and what it costs them: tests/bench/horsligne-results.md.
bench-horsligne: deps-bench deps-web
	@$(MAKE) --no-print-directory all
	BIN=$(BUILD) node tests/bench/horsligne.mjs
bench-import: deps-test
	@$(MAKE) --no-print-directory all
	BIN=$(BUILD) tests/bench/import.sh

# The API suite with every worker under valgrind's memcheck: no invalid
# access, no leak over whole request loops (the fault, flood, stop, replica
# and matrix suites are left out: they kill workers or stacks, flood nginx, or would take a
# quarter of an hour).
VALGRIND_SUITES = $(filter-out $(addprefix tests/api/,faults.t matrix.t flood.t stop.t replica.t docs.t readme.t) $(APACHE_ONLY),$(wildcard tests/api/*.t))
# make test runs the suites with hostile input, money and secrets (two
# minutes rather than four).
VALGRIND_QUICK  = $(wildcard tests/api/protocol_*.t) $(addprefix tests/api/,client.t idempotency.t cle.t cle_portee.t) $(wildcard tests/api/oauth_*.t)
valgrind: deps-test
	@$(MAKE) --no-print-directory test-build
	VALGRIND=1 BIN=$(TEST_BUILD) $(PROVE) $(call slow_first,$(VALGRIND_SUITES))

# libFuzzer harnesses (clang), each run from the committed seed corpus for
# FUZZ_SECONDS (doc/testing.md); what they find goes to build-fuzz/, never to
# the corpus.
FUZZERS      = form json money header dump scopes
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
               -std=c11 -D_GNU_SOURCE -Ilib -I$(BUILD) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)

build-fuzz/%: tests/fuzz/%.c tests/fuzz/body.h $(LIB_SRC) $(wildcard lib/*.h) $(BUILD)/schema.c
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_EXTRA_$*) $(LIB_SRC) $(BUILD)/schema.c $(LDLIBS)

# The dump reader (10p5-admin import-php) is not in lib/.
FUZZ_EXTRA_dump = $(DUMP_SRC)
build-fuzz/dump: $(DUMP_SRC) $(wildcard cli/dump*.h)

fuzz: deps-test $(FUZZERS:%=build-fuzz/%)
	tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZERS)

clean:
	rm -rf build build-test build-asan build-fuzz build-static
