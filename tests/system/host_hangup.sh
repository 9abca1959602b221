#!/usr/bin/env bash
# tests/system/host_hangup.sh - the console when its terminal goes away
# (issue 14), inside the healthy lab world, on a real pty (python3):
#   - the pty is closed with no SIGHUP (the console is in a session of its
#     own, so the pty is not its controlling terminal: a closed ssh/tmux
#     pane can look like this): it must end by itself, exit 129 (as after SIGHUP), and not
#     spin meanwhile (CPU time from /proc, not wall-clock races);
#   - the pty is its controlling terminal and is closed: the kernel's
#     SIGHUP; the same;
#   - SIGHUP on a live terminal: the same, and the terminal restored
#     (alternate screen left, cursor shown) before it exits.
# Each time the recording it was writing is whole (every line ends, the
# last snapshot replays). Every wait is bounded. Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}

. tests/lab/self.sh
in_lab healthy 300 "hangup" "$0" "$@"

# ---- inside the lab world ----

# hangup MODE: runs the console on a new pty, ends its terminal by MODE
# (close-nosighup, close-ctty, sighup) and prints PASS:/FAIL: lines.
hangup() {
	python3 - "$1" "$tmp" "$BOGUS" $LAB_BOGUS_ARGS <<'PY'
import fcntl, json, os, signal, struct, subprocess, sys, termios, time

mode, tmp, bogus, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
rec = os.path.join(tmp, mode + ".jsonl")
err = os.path.join(tmp, mode + ".err")
tag = "hangup: " + mode

def say(ok, what):
    print(("PASS: " if ok else "FAIL: ") + tag + ": " + what, flush=True)

def cpu_ticks(pid):
    """utime + stime of the whole process (all threads), in clock ticks."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])

master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
env = dict(os.environ, TERM="xterm-256color")
ctty = mode != "close-nosighup"

def child_setup():
    if ctty:	# the pty becomes the controlling terminal: a close is a SIGHUP
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

p = subprocess.Popen([bogus, "--interval", "1", "--record", rec] + args,
                     stdin=slave, stdout=slave, stderr=open(err, "w"),
                     env=env, start_new_session=True, preexec_fn=child_setup)
os.close(slave)
screen = b""
deadline = time.monotonic() + 30
snapshots = 0
while time.monotonic() < deadline:
    import select
    r, _, _ = select.select([master], [], [], 0.2)
    if r:
        try:
            screen += os.read(master, 65536)
        except OSError:
            break
    try:
        snapshots = sum(1 for l in open(rec) if '"type":"snapshot"' in l)
    except OSError:
        pass
    if snapshots >= 2 and b"example.test" in screen:
        break
if snapshots < 2:
    say(False, "the console did not record 2 snapshots in 30 s")
    p.kill(); p.wait()
    sys.exit(0)

if mode == "sighup":
    p.send_signal(signal.SIGHUP)
    # Keep reading: the restoring sequences come after the signal.
    end = time.monotonic() + 10
    while p.poll() is None and time.monotonic() < end:
        r, _, _ = select.select([master], [], [], 0.1)
        if r:
            try:
                screen += os.read(master, 65536)
            except OSError:
                break
    try:
        while select.select([master], [], [], 0.2)[0]:
            chunk = os.read(master, 65536)
            if not chunk:
                break
            screen += chunk
    except OSError:
        pass
    tail = screen[-400:]
    say(b"\x1b[?1049l" in tail and b"\x1b[?25h" in tail,
        "terminal restored (alternate screen left, cursor shown)")
    os.close(master)
else:
    os.close(master)	# the terminal goes away

# Bounded wait for the exit; CPU time over a window if it does not come.
start = cpu_ticks(p.pid) if p.poll() is None else 0
end = time.monotonic() + 10
while p.poll() is None and time.monotonic() < end:
    time.sleep(0.1)
if p.poll() is None:
    before = cpu_ticks(p.pid)
    time.sleep(2)
    used = (cpu_ticks(p.pid) - before) / os.sysconf("SC_CLK_TCK")
    say(False, "still running 10 s after the terminal went away, "
        "%.2f s CPU in the last 2 s" % used)
    p.kill(); p.wait()
    sys.exit(0)
say(p.returncode == 129, "the console ended, exit %d (want 129)" % p.returncode)

msg = open(err).read()
say(msg.count("\n") == 1 and "the terminal went away" in msg,
    "one line on stderr: %r" % msg.strip())

data = open(rec, "rb").read()
lines = data.split(b"\n")
whole = data.endswith(b"\n")
try:
    for l in lines[:-1]:
        json.loads(l)
except ValueError:
    whole = False
say(whole, "the recording is whole (%d lines, each JSON, last one ended)" % (len(lines) - 1))
r = subprocess.run([bogus, "--once", "--replay", rec], stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)
say(r.returncode == 0, "its last snapshot replays (exit %d %s)" % (r.returncode, r.stderr.decode()[:200]))
PY
}

hangup close-nosighup
hangup close-ctty
hangup sighup
