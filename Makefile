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
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lscrypt -lcrypt -pthread
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

AREAS    = utilisateur client transaction divers cle app oauth evenements
LIB_SRC  = $(wildcard lib/*.c)
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/schema.o
LIBA     = $(BUILD)/lib10p5.a
BINS     = $(AREAS:%=$(BUILD)/cgi-bin/%) $(BUILD)/bin/10p5-admin
UNIT_SRC = $(wildcard tests/unit/*.c)
UNITS    = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%.t)
SCHEMA   = $(sort $(wildcard schema/*.sql))

# Debian packages: what builds, what runs, what tests.
DEPS_BUILD = gcc make pkg-config libfcgi-dev libjson-c-dev libsqlite3-dev libscrypt-dev libsodium-dev \
             libcrypt-dev
DEPS_RUN   = nginx spawn-fcgi multiwatch curl
DEPS_TEST  = jq sqlite3 perl procps clang libclang-rt-14-dev e2fsprogs util-linux valgrind apache2 \
             mariadb-server mariadb-client apache2-utils
DEPS_BENCH = wrk
# The browser suite: Debian's Chromium, driven headless by playwright-core from
# npm (pinned in tests/web/package-lock.json; no browser is downloaded).
DEPS_WEB   = chromium fonts-dejavu-core nodejs

.PHONY: all run check test test-build web cgi asan valgrind bench bench-import fuzz clean deps \
        deps-run deps-test deps-bench deps-web
CONFS    = $(BUILD)/nginx/routes.conf $(BUILD)/apache/htaccess
all: $(BINS) $(UNITS) $(CONFS)

Q = @
ifeq ($(V),1)
Q =
endif

$(BUILD)/%.o: %.c $(wildcard lib/*.h cli/*.h) tests/tap.h
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
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

ADMIN_OBJ = $(BUILD)/cli/admin.o $(BUILD)/cli/import_php.o $(BUILD)/cli/dump.o

$(BUILD)/bin/10p5-admin: $(ADMIN_OBJ) $(LIBA)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The dump reader lives with the admin command it serves.
$(BUILD)/tests/dump.t: $(BUILD)/cli/dump.o

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
$(BUILD)/apache/htaccess: $(BUILD)/routes.tsv apache/routes.awk apache/htaccess.in
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)awk -f apache/routes.awk $< apache/htaccess.in >$@

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

run: deps-run
	@$(MAKE) --no-print-directory all
	@BIN=$(BUILD) PORT=$(PORT) DATA=$(DATA) exec nginx/run.sh

# The suites run against a test build (TEST_BUILD, with the test hooks: an
# injectable clock and induced failures); `make` and `make bench` build
# without them.
TEST_BUILD = build-test
TEST_UNITS = $(UNIT_SRC:tests/unit/%.c=$(TEST_BUILD)/tests/%.t)
test-build:
	@$(MAKE) --no-print-directory BUILD=$(TEST_BUILD) HOOKS=1 all

# Suites run JOBS at a time, each with its own stack, database and ports;
# flood.t and stop.t, which load or stop whole stacks, run on their own
# afterwards. The longest suites start first.
JOBS  ?= 2
PROVE  = prove --exec '' -j$(JOBS)
ALONE  = $(addprefix tests/api/,flood.t stop.t)
SLOW   = $(addprefix tests/api/,matrix.t faults.t evenements.t admin.t oauth.t) tests/web/tour.t
slow_first = $(filter $(SLOW),$(1)) $(filter-out $(SLOW),$(1))

# The quick loop: unit tests and the API suites against a real nginx +
# spawn-fcgi stack (a few minutes).
check: deps-test
	@$(MAKE) --no-print-directory test-build
	BIN=$(TEST_BUILD) $(PROVE) $(call slow_first,$(filter-out $(ALONE),$(wildcard tests/api/*.t)) $(TEST_UNITS))
	BIN=$(TEST_BUILD) prove --exec '' $(ALONE)

# The browser suite (tests/web/): the staff web app in headless Chromium
# against a real stack on the test build (its clock is moved for the charts
# and for sessions that lapse); screenshots of every screen in
# $(TEST_BUILD)/web/.
web: deps-web
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

# The API suite against the binaries deployed as plain CGI under Apache with
# the generated .htaccess (the fault, flood and stop suites are about the
# FastCGI pools and nginx; the direct CGI and matrix suites are
# transport-independent).
CGI_SUITES = $(filter-out $(addprefix tests/api/,faults.t cgi.t matrix.t flood.t stop.t),$(wildcard tests/api/*.t))
cgi: deps-test
	@$(MAKE) --no-print-directory test-build
	STACK=apache BIN=$(TEST_BUILD) $(PROVE) $(call slow_first,$(CGI_SUITES))

# The sanitized build runs every unit test and the API suites but flood.t and
# stop.t, whose subject is nginx and the stack's processes rather than our
# code's memory (check runs them).
ASAN_SUITES = $(filter-out $(addprefix tests/api/,flood.t stop.t),$(wildcard tests/api/*.t))
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
# nginx and SQLite ceilings measured in the same run (tests/bench/results.md).
bench: deps-bench deps-test
	@$(MAKE) --no-print-directory all $(BUILD)/tests/sqliteloop $(BUILD)/tests/nullfcgi \
	  $(BUILD)/tests/sse
	BIN=$(BUILD) tests/bench/bench.sh

# The import from the PHP version: 100 000 transactions from a mysqldump of a
# private MariaDB server (tests/bench/import-results.md).
bench-import: deps-test
	@$(MAKE) --no-print-directory all
	BIN=$(BUILD) tests/bench/import.sh

# The API suite with every worker under valgrind's memcheck: no invalid
# access, no leak over whole request loops (the fault, flood, stop and matrix
# suites are left out: they kill workers, flood nginx, or would take a
# quarter of an hour).
VALGRIND_SUITES = $(filter-out $(addprefix tests/api/,faults.t matrix.t flood.t stop.t),$(wildcard tests/api/*.t))
# make test runs the suites with hostile input, money and secrets (two
# minutes rather than four).
VALGRIND_QUICK  = $(addprefix tests/api/,protocol.t client.t idempotency.t cle.t oauth.t)
valgrind: deps-test
	@$(MAKE) --no-print-directory test-build
	VALGRIND=1 BIN=$(TEST_BUILD) $(PROVE) $(call slow_first,$(VALGRIND_SUITES))

# libFuzzer harnesses (clang), each run from the committed seed corpus for
# FUZZ_SECONDS; what they find goes to build-fuzz/, never to the corpus.
FUZZERS      = form json money header dump
FUZZ_SECONDS ?= 120
FUZZ_CFLAGS  = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
               -std=c11 -D_GNU_SOURCE -Ilib -I$(BUILD) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)

build-fuzz/%: tests/fuzz/%.c tests/fuzz/body.h $(LIB_SRC) $(wildcard lib/*.h) $(BUILD)/schema.c
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_EXTRA_$*) $(LIB_SRC) $(BUILD)/schema.c $(LDLIBS)

# The dump reader (10p5-admin import-php) is not in lib/.
FUZZ_EXTRA_dump = cli/dump.c
build-fuzz/dump: cli/dump.c cli/dump.h

fuzz: deps-test $(FUZZERS:%=build-fuzz/%)
	@for f in $(FUZZERS); do \
	  mkdir -p build-fuzz/work-$$f build-fuzz/found-$$f; \
	  echo "fuzzing $$f for $(FUZZ_SECONDS) s"; \
	  (cd build-fuzz/found-$$f && ../$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 ../work-$$f ../../tests/fuzz/corpus/$$f \
	    2>&1 | grep -E '^(stat::number_of_executed_units|==[0-9]+==|SUMMARY|INFO: seed corpus)' ) ; \
	  if ls build-fuzz/found-$$f/crash-* build-fuzz/found-$$f/leak-* build-fuzz/found-$$f/timeout-* \
	    >/dev/null 2>&1; then echo "fuzzer $$f found a failing input in build-fuzz/found-$$f"; exit 1; fi; \
	done

clean:
	rm -rf build build-test build-asan build-fuzz
