# SPDX-License-Identifier: BSD-3-Clause
# bogus - a plain, non-recursive Makefile.
#
#   make                       build ./bogus
#   make test                  unit tests, then the lab scenarios
#   make unit                  unit tests only
#   make soak [SOAK_SECONDS=600]   the console's 10-minute long run (not in make test)
#   make SANITIZER=address,undefined test   (or SANITIZER=thread)
#   make fuzz [FUZZ_TIME=120]  each libFuzzer target in tests/fuzz/ (clang)
#   make demo [SCENARIO=...]   the console on a broken lab world
#   make lab SCENARIO=...      a shell inside a lab world
#   make train [SCENARIO=...] [SEED=...]  the training quiz on a lab world
#   make install PREFIX=... DESTDIR=...
#   make WERROR=1 ...          warnings are errors (developers, CI)

PROG    = bogus
VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/$(PROG)
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/$(PROG)
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/vendor-completions

CC ?= cc
PKGS = ncursesw ldns jansson libmicrohttpd libevent
WARN = -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wwrite-strings -Wundef -Wpointer-arith -Wvla
CPPFLAGS += -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
            -DBOGUS_VERSION='"$(VERSION)"' -DDATADIR='"$(DATADIR)"'
CFLAGS ?= -g -O2
CFLAGS += -std=c11 $(WARN) -MMD -MP $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# Warnings are errors for developers and CI only (.ci/run): a newer compiler
# must not break a user's build.
ifeq ($(WERROR),1)
CFLAGS += -Werror
endif
# libunbound's pkg-config file needs libevent's (libevent-dev), listed in PKGS.
LDLIBS += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lncursesw -lldns -ljansson -lmicrohttpd -levent) \
          $(shell pkg-config --libs libunbound 2>/dev/null || echo -lunbound) -lcrypto -pthread

# `make fuzz` builds the library instrumented for libFuzzer in build-fuzz/.
ifdef FUZZING
CFLAGS  += -fsanitize=fuzzer-no-link
BUILD   ?= build-fuzz
endif

ifdef SANITIZER
CFLAGS  += -fsanitize=$(SANITIZER) -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZER)
BUILD ?= build-$(subst $(comma),-,$(SANITIZER))
endif
comma := ,
BUILD ?= build

SRCS      = $(wildcard src/*.c)
LIB_OBJS  = $(patsubst src/%.c,$(BUILD)/%.o,$(filter-out src/main.c,$(SRCS)))
MAIN_OBJ  = $(BUILD)/main.o
LIB       = $(BUILD)/libbogus.a
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
# Fuzz targets: linked with libFuzzer by `make fuzz`, with replay_main.c
# (any compiler) for `make test`, which replays tests/fuzz/corpus/<target>/.
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS = $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(filter-out tests/fuzz/fuzz_common.c,$(FUZZ_SRCS)))
FUZZ_TIME ?= 120
# Helpers that system tests run (a hostile DNS server), next to the binary.
TOOL_BINS = $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(wildcard tests/tools/*.c))

.PHONY: FORCE all test unit soak bench system fuzz fuzz-bins demo lab lab-list train train-replays catalog-replays screenshots install uninstall clean deps
all: $(PROG)

$(PROG): $(BUILD)/$(PROG)
	cp -f $< $@

$(BUILD)/$(PROG): $(MAIN_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The library lets each test binary pull in only the objects it needs.
$(LIB): $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) -lcmocka $(LDLIBS)

ifdef FUZZING
FUZZ_MAIN = -fsanitize=fuzzer
else
FUZZ_MAIN = tests/fuzz/replay_main.c
endif
$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_common.c tests/fuzz/replay_main.c tests/fuzz/fuzz.h $(LIB) | $(BUILD)/fuzz
	$(CC) $(CPPFLAGS) -Itests/fuzz $(CFLAGS) $(LDFLAGS) -o $@ $< \
		tests/fuzz/fuzz_common.c $(FUZZ_MAIN) $(LIB) $(LDLIBS)

$(BUILD)/tools/%: tests/tools/%.c | $(BUILD)/tools
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

$(BUILD) $(BUILD)/tests $(BUILD)/fuzz $(BUILD)/tools:
	mkdir -p $@

# DATADIR is compiled into theme.o: rebuild it when PREFIX/DATADIR change,
# so that "make install PREFIX=..." installs a binary that finds its themes.
$(BUILD)/datadir.stamp: FORCE | $(BUILD)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' >$@
$(BUILD)/theme.o: $(BUILD)/datadir.stamp
FORCE:

# Debian packages for the build, the tests and the lab (installs what is missing).
deps:
	@tests/deps.sh

unit: $(UNIT_BINS)
	@tests/run.sh unit $(UNIT_BINS)

system: $(BUILD)/$(PROG) $(FUZZ_BINS) $(TOOL_BINS)
	@tests/run.sh system $(BUILD)/$(PROG)

test: deps $(BUILD)/$(PROG) $(UNIT_BINS) $(FUZZ_BINS) $(TOOL_BINS)
	@tests/run.sh all $(BUILD)/$(PROG) $(UNIT_BINS)

# Timings side by side with the floor, dig/delv and dnsviz (tests/bench),
# in the lab with a per-hop delay (HOP_MS=40; tests/bench/hopdelay.c).
bench: deps $(BUILD)/$(PROG) $(BUILD)/tools/hopdelay
	@BOGUS=$(realpath $(BUILD)/$(PROG)) HOPDELAY=$(realpath $(BUILD)/tools/hopdelay) \
		tests/bench/bench.sh

$(BUILD)/tools/hopdelay: tests/bench/hopdelay.c | $(BUILD)/tools
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $$(pkg-config --libs libnetfilter_queue)

# Descriptors, threads and memory stay flat over a long run (slow: 10 min).
SOAK_SECONDS ?= 600
soak: deps $(BUILD)/$(PROG)
	@SOAK_SECONDS=$(SOAK_SECONDS) BOGUS=$(realpath $(BUILD)/$(PROG)) tests/soak/console_soak.sh | tee $(BUILD)/soak.log; \
		! grep -q '^FAIL' $(BUILD)/soak.log

fuzz-bins: $(FUZZ_BINS)

# Each target for FUZZ_TIME seconds: new inputs go to build-fuzz/corpus/,
# crashes to build-fuzz/crash-*; copy the ones worth keeping into
# tests/fuzz/corpus/<target>/.
fuzz:
	$(MAKE) CC=clang FUZZING=1 SANITIZER=address,undefined BUILD=build-fuzz fuzz-bins
	@set -e; for t in $(notdir $(FUZZ_BINS)); do \
		mkdir -p build-fuzz/corpus/$$t; \
		echo "== $$t ($(FUZZ_TIME) s)"; \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		build-fuzz/fuzz/$$t -max_total_time=$(FUZZ_TIME) -max_len=65535 \
			-artifact_prefix=build-fuzz/crash-$$t- \
			build-fuzz/corpus/$$t tests/fuzz/corpus/$${t#fuzz_}; \
	done

SCENARIO ?= ksk-ds-mismatch
demo: deps $(PROG)
	@tests/lab/lab run $(SCENARIO) -- tests/lab/demo.sh

lab: deps $(PROG)
	@tests/lab/lab shell $(SCENARIO)

lab-list:
	@tests/lab/lab list

# A random training world unless SCENARIO= is given (SEED= for a classroom).
train: deps $(PROG)
	@tests/lab/lab train $(if $(filter command line environment,$(origin SCENARIO)),--scenario $(SCENARIO)) \
		$(if $(SEED),--seed $(SEED))

# The story recordings for `lab train --replay` (shipped in tests/lab/replays/).
train-replays: deps $(PROG)
	@tests/lab/lab train --make-replays

# Recordings of the catalog's worlds, shipped in tests/lab/replays/ for the replay
# tests (tests/system/replay_catalog.sh) and for trainees without root: a training
# world's incident (outage, repair, recovery; the three stories among them), any
# other world's one scan (tests/lab/record.sh). WORLDS=... records only those.
CATALOG_REPLAYS = $(basename $(notdir $(wildcard tests/lab/scenarios/*.sh)))
catalog-replays: deps $(PROG)
	@for w in $(or $(WORLDS),$(CATALOG_REPLAYS)); do \
		f=$(CURDIR)/tests/lab/replays/$$w.jsonl; \
		BOGUS=$(CURDIR)/$(PROG) tests/lab/lab run $$w -- tests/lab/record.sh "$$f.new" && \
			mv "$$f.new" "$$f" || { rm -f "$$f.new"; exit 1; }; \
		echo "recorded $$f"; \
	done

screenshots: deps $(PROG)
	@tests/screenshots.sh

# The man page and completions name the themes directory of this PREFIX.
install: $(PROG)
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(DATADIR)/themes" \
		"$(DESTDIR)$(MANDIR)/man1" "$(DESTDIR)$(BASHCOMPDIR)" \
		"$(DESTDIR)$(ZSHCOMPDIR)" "$(DESTDIR)$(DOCDIR)"
	install -m 0755 $(PROG) "$(DESTDIR)$(BINDIR)/$(PROG)"
	install -m 0644 themes/*.theme "$(DESTDIR)$(DATADIR)/themes/"
	sed 's|/usr/local/share/bogus|$(DATADIR)|g' doc/bogus.1 >"$(DESTDIR)$(MANDIR)/man1/bogus.1"
	chmod 0644 "$(DESTDIR)$(MANDIR)/man1/bogus.1"
	sed 's|/usr/local/share/bogus|$(DATADIR)|g' completions/bogus.bash >"$(DESTDIR)$(BASHCOMPDIR)/bogus"
	sed 's|/usr/local/share/bogus|$(DATADIR)|g' completions/_bogus >"$(DESTDIR)$(ZSHCOMPDIR)/_bogus"
	chmod 0644 "$(DESTDIR)$(BASHCOMPDIR)/bogus" "$(DESTDIR)$(ZSHCOMPDIR)/_bogus"
	install -m 0644 LICENSE README.md "$(DESTDIR)$(DOCDIR)/"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/$(PROG)" "$(DESTDIR)$(MANDIR)/man1/bogus.1" \
		"$(DESTDIR)$(BASHCOMPDIR)/bogus" "$(DESTDIR)$(ZSHCOMPDIR)/_bogus"
	rm -rf "$(DESTDIR)$(DATADIR)" "$(DESTDIR)$(DOCDIR)"

clean:
	rm -rf build build-* $(PROG)

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(FUZZ_BINS:=.d) $(TOOL_BINS:=.d)
