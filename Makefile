# bogus - a plain, non-recursive Makefile.
#
#   make                       build ./bogus
#   make test                  unit tests, then the lab scenarios
#   make unit                  unit tests only
#   make SANITIZER=address,undefined test   (or SANITIZER=thread)
#   make demo [SCENARIO=...]   the console on a broken lab world
#   make lab SCENARIO=...      a shell inside a lab world
#   make install PREFIX=... DESTDIR=...

PROG    = bogus
VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/$(PROG)
MANDIR ?= $(PREFIX)/share/man

CC ?= cc
PKGS = ncursesw ldns
WARN = -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wwrite-strings -Wundef -Wpointer-arith -Wvla
CPPFLAGS += -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
            -DBOGUS_VERSION='"$(VERSION)"' -DDATADIR='"$(DATADIR)"'
CFLAGS ?= -g -O2
CFLAGS += -std=c11 $(WARN) -MMD -MP $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# pkg-config --cflags libunbound fails on Debian 12 (no libevent.pc); --libs works.
LDLIBS += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lncursesw -lldns) \
          $(shell pkg-config --libs libunbound 2>/dev/null || echo -lunbound) -lcrypto -pthread

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

.PHONY: FORCE all test unit system demo lab lab-list screenshots install uninstall clean deps
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

$(BUILD) $(BUILD)/tests:
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

system: $(BUILD)/$(PROG)
	@tests/run.sh system $(BUILD)/$(PROG)

test: deps $(BUILD)/$(PROG) $(UNIT_BINS)
	@tests/run.sh all $(BUILD)/$(PROG) $(UNIT_BINS)

SCENARIO ?= ksk-ds-mismatch
demo: deps $(PROG)
	@tests/lab/lab run $(SCENARIO) -- tests/lab/demo.sh

lab: deps $(PROG)
	@tests/lab/lab shell $(SCENARIO)

lab-list:
	@tests/lab/lab list

screenshots: deps $(PROG)
	@tests/screenshots.sh

install: $(PROG)
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(DATADIR)/themes"
	install -m 0755 $(PROG) "$(DESTDIR)$(BINDIR)/$(PROG)"
	install -m 0644 themes/*.theme "$(DESTDIR)$(DATADIR)/themes/"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/$(PROG)"
	rm -rf "$(DESTDIR)$(DATADIR)"

clean:
	rm -rf build build-* $(PROG)

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d)
