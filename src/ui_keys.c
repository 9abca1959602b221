/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ui_keys.c - the one table of key bindings, and the help text made from
 * the same place so they cannot drift apart. Only maps keys; what an action
 * does is ui_screen.c's business.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>

#include "ui_input.h"
#include "ui_keys.h"

#define CTRL(c) ((c) & 0x1f)

static const struct {
	int key;
	int is_code;
	enum ui_action action;
} bindings[] = {
	{ 'q', 0, ACT_QUIT }, { 'Q', 0, ACT_QUIT },
	{ '\t', 0, ACT_NEXT_PANE }, { KEY_BTAB, 1, ACT_PREV_PANE },
	{ '1', 0, ACT_PANE_1 }, { '2', 0, ACT_PANE_2 }, { '3', 0, ACT_PANE_3 },
	{ '4', 0, ACT_PANE_4 }, { '5', 0, ACT_PANE_5 }, { '6', 0, ACT_PANE_6 },
	{ 'z', 0, ACT_ZOOM },
	{ KEY_UP, 1, ACT_UP }, { 'k', 0, ACT_UP },
	{ KEY_DOWN, 1, ACT_DOWN }, { 'j', 0, ACT_DOWN },
	{ KEY_LEFT, 1, ACT_LEFT }, { 'h', 0, ACT_LEFT },
	{ KEY_RIGHT, 1, ACT_RIGHT }, { 'l', 0, ACT_RIGHT },
	{ 'g', 0, ACT_TOP }, { KEY_HOME, 1, ACT_TOP },
	{ 'G', 0, ACT_BOTTOM }, { KEY_END, 1, ACT_BOTTOM },
	{ KEY_PPAGE, 1, ACT_PAGE_UP }, { CTRL('b'), 0, ACT_PAGE_UP },
	{ KEY_NPAGE, 1, ACT_PAGE_DOWN }, { CTRL('f'), 0, ACT_PAGE_DOWN },
	{ ' ', 0, ACT_TICK },	/* page down outside the checklist */
	{ '\n', 0, ACT_ENTER }, { '\r', 0, ACT_ENTER }, { KEY_ENTER, 1, ACT_ENTER },
	{ 27, 0, ACT_BACK }, { KEY_BACKSPACE, 1, ACT_BACK }, { 127, 0, ACT_BACK },
	{ 'r', 0, ACT_REFRESH }, { 'p', 0, ACT_PAUSE }, { 't', 0, ACT_THEME },
	{ '?', 0, ACT_HELP }, { KEY_F(1), 1, ACT_HELP },
	{ CTRL('l'), 0, ACT_REDRAW },
	{ '/', 0, ACT_SEARCH }, { 'n', 0, ACT_SEARCH_NEXT }, { 'N', 0, ACT_SEARCH_PREV },
	/* incident record */
	{ '.', 0, ACT_REPLAY_NEXT }, { ',', 0, ACT_REPLAY_PREV },
	{ '<', 0, ACT_REPLAY_FIRST }, { '>', 0, ACT_REPLAY_LAST },
	{ 'x', 0, ACT_REPLAY_SPEED }, { 'e', 0, ACT_EXPORT },
	/* runbooks ('x' ticks too when not replaying: ui.c) */
	{ 'a', 0, ACT_NOTE }, { 'c', 0, ACT_COPY }, { 'R', 0, ACT_RUNBOOK },
};

static const struct ui_key_help help[] = {
	{ "Tab / Shift-Tab", "next / previous pane" },
	{ "1 2 3", "panes: Resolvers, Chain of trust, Nameservers" },
	{ "4 5 6", "panes: Checklist, Findings, Events" },
	{ "z", "zoom the pane to full screen (again: back)" },
	{ "Up Down / k j", "select the previous / next row" },
	{ "Left Right / h l", "scroll sideways" },
	{ "g G / Home End", "first / last row" },
	{ "PgUp PgDn / ^B ^F", "page up / down" },
	{ "Enter", "detail of the row: evidence, records, fix" },
	{ "Esc", "back (close detail, help, zoom, search marks)" },
	{ "r", "refresh now" },
	{ "p", "pause / resume refreshing" },
	{ "t", "next theme" },
	{ "^L", "redraw the screen" },
	{ "/ n N", "search findings, records, events, checklist; next / previous" },
	{ "mouse", "click: select pane and row; double-click: detail" },
	{ "Space / x", "tick or untick the checklist step by hand" },
	{ "", "  (the one exception: elsewhere Space pages down)" },
	{ "a", "a note on the step (Enter saves, Esc cancels)" },
	{ "c", "copy the fix, DS record or command (OSC 52 + file)" },
	{ "R", "cycle: checklist, ksk/zsk rollover, migration" },
	{ "e", "export a Markdown postmortem summary" },
	{ ". , / < >", "replay: next / previous, first / last snapshot" },
	{ "p / x", "replay: play or pause / speed 1x 10x 60x" },
	{ "?", "this help (Up Down PgUp PgDn scroll it)" },
	{ "q", "quit" },
	{ "", "" },
	{ "Resolver cells", "wide / compact (when the columns do not fit)" },
	{ "SEC / \u2714", "an answer with AD: validated" },
	{ "INSEC / \u2022", "an answer without AD" },
	{ "NXDOM / \u2714N \u2022N", "no such name (\u2714N: with AD)" },
	{ "BOGUS e6 / \u27186", "SERVFAIL, but CD=1 answers: validation fails; EDE 6" },
	{ "BOGUS / \u2718B", "the same, no EDE; (local): our own validation fails" },
	{ "SRVFL / \u2718S", "SERVFAIL even with CD=1: not a DNSSEC failure" },
	{ "REFUS RCODE/\u2718R \u2718C", "refused / another error rcode" },
	{ "T/O NETER / \u2718T \u2718X", "timeout / network error (MALF \u2718M: malformed)" },
	{ "nv", "the resolver does not validate: no DNSSEC verdict" },
	{ "@ www dm nx", "apex, www, _dmarc, a random nonexistent name" },
	{ "KEY 4A", "DNSKEY, AAAA; other names by their first label" },
	{ "Enter on a resolver", "every answer in full, CD=0 and CD=1, with EDE text" },
	{ "V / nv", "the resolver validates / does not validate" },
	{ "Chain, servers", "\u2260 differs from the other servers  [!] breaks here" },
	{ "", "" },
	{ "Nameservers", "one row per server address" },
	{ "UDP TCP / U T", "the SOA over each: ok, T/O, or the error" },
	{ "serial DNSKEY", "the SOA serial, its key tags (many: first +N)" },
	{ "expiry/exp RTT", "first RRSIG expiry (exp -2d: 2 days ago); UDP RTT" },
	{ "P/C", "in the Parent's NS set / in the Child's (- not)" },
	{ "", "  narrow: PC, and left out while every server is PC" },
	{ "", "" },
	{ "Checklist", "[x] done  [!] breaks here  [ ] not known  [-] n/a" },
	{ "", "  > the fix, who must act, records to copy (c)" },
	{ "Findings", "CRIT WARN INFO, the finding, (who: must act)" },
	{ "Events", "what changed, newest first, with the time" },
};

int ui_keys_input(int key, int is_code, unsigned *cp)
{
	*cp = 0;
	if (is_code) {
		switch (key) {
		case KEY_BACKSPACE: return INPUT_BACKSPACE;
		case KEY_DC: return INPUT_DELETE;
		case KEY_LEFT: return INPUT_LEFT;
		case KEY_RIGHT: return INPUT_RIGHT;
		case KEY_HOME: return INPUT_HOME;
		case KEY_END: return INPUT_END;
		case KEY_ENTER: return INPUT_ENTER;
		}
		return INPUT_NONE;
	}
	switch (key) {
	case '\n': case '\r': return INPUT_ENTER;
	case 27: case CTRL('c'): case CTRL('g'): return INPUT_CANCEL;
	case 127: case CTRL('h'): return INPUT_BACKSPACE;
	case CTRL('d'): return INPUT_DELETE;
	case CTRL('a'): return INPUT_HOME;
	case CTRL('e'): return INPUT_END;
	case CTRL('b'): return INPUT_LEFT;
	case CTRL('f'): return INPUT_RIGHT;
	case CTRL('u'): return INPUT_KILL;
	}
	if (key < 0)
		return INPUT_NONE;
	*cp = (unsigned)key;
	return INPUT_CHAR;
}

enum ui_action ui_keys_action(int key, int is_code)
{
	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		if (bindings[i].key == key && bindings[i].is_code == !!is_code)
			return bindings[i].action;
	return ACT_NONE;
}

const struct ui_key_help *ui_keys_help(size_t *n)
{
	*n = sizeof(help) / sizeof(help[0]);
	return help;
}
