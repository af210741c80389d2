#!/usr/bin/env python3
"""What `make run` started, found again: its state file, stopping sessions, who holds a port.

`make run` starts each service (DynamoDB Local, moto, cargo lambda watch) under `setsid`: each
leads a session of its own whose id is its PID. What a service starts stays in its session, or,
if it calls setsid itself (cargo lambda watch starts the function, through `cargo run`, in a
session of its own), is found as its descendant. The kernel never hands out a PID still in use
as a session id, so "the processes of session PID" names exactly what a service left, even
after its leader died; a leader still alive is also checked against the start time recorded
with it, so a recycled PID is never taken for ours.

    processes.py record FILE ROLE PID  append "ROLE PID START_TIME" to FILE
    processes.py serving FILE          print the PID of the live `make run` FILE names, or exit 1
    processes.py reclaim FILE          stop what FILE lists that still runs (a line each); rm FILE
    processes.py stop GRACE PID...     SIGTERM sessions PID..., SIGKILL what is left after GRACE s
    processes.py holder PORT           print the process listening on TCP PORT, if it is found

Linux only (reads /proc), standard library only: nothing to install, unlike ss or lsof.
"""

import os
import signal
import sys
import time
from typing import NamedTuple

# The role `make run` records for its own script; every other role is a service it started.
RUN = "run"
# After SIGKILL, how long a process may take to disappear (it cannot refuse; this is the kernel).
KILL_WAIT_SECONDS = 5


class Process(NamedTuple):
    state: str
    parent: int
    session: int
    start_time: int  # clock ticks after boot: with the PID, names one process for good


def stat(pid):
    """PID as /proc/PID/stat describes it, or None if there is no such process."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            text = file.read()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (field 2) is in parentheses and may itself hold spaces or ")".
    fields = text[text.rindex(")") + 2 :].split()
    return Process(fields[0], int(fields[1]), int(fields[3]), int(fields[19]))


def alive(pid, start_time=None):
    """Whether PID runs (a zombie has finished), and started at START_TIME if given."""
    found = stat(pid)
    return found is not None and found.state != "Z" and start_time in (None, found.start_time)


def command_line(pid, limit=160):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            words = file.read().rstrip(b"\0").replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "?"
    return words if len(words) <= limit else words[: limit - 1] + "…"


def running():
    """Every live process: {pid: Process}."""
    table = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (found := stat(name)) and found.state != "Z":
            table[int(name)] = found
    return table


def members(sessions):
    """The live processes of SESSIONS (a set, which grows): their members, a session's own
    PID if it runs without leading one, and every descendant of those, whose sessions join
    SESSIONS (cargo lambda watch starts the function, through `cargo run`, in a session of its
    own); once joined, a session is found even after its parent died and it was re-parented."""
    table = running()
    found = {pid for pid, process in table.items() if process.session in sessions}
    found |= {session for session in sessions if session in table}
    while True:
        children = {pid for pid, process in table.items() if process.parent in found} - found
        if not children:
            return found
        found |= children
        sessions |= {table[pid].session for pid in children}
        found |= {pid for pid, process in table.items() if process.session in sessions}


def stop(sessions, grace):
    """SIGTERM every process of SESSIONS once, SIGKILL whatever is left after GRACE seconds,
    and return once none is left (or, if even SIGKILL did not end them, after a bound)."""
    sessions, signum, signalled = set(sessions), signal.SIGTERM, set()
    deadline = time.monotonic() + grace
    while True:
        left = members(sessions)
        if not left:
            return True
        if time.monotonic() > deadline:
            if signum == signal.SIGKILL:
                return False
            signum, signalled = signal.SIGKILL, set()
            deadline = time.monotonic() + KILL_WAIT_SECONDS
        # Each signal once per process: a second SIGTERM makes some programs skip their cleanup.
        for pid in left - signalled:
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass
            signalled.add(pid)
        time.sleep(0.1)


def records(path):
    try:
        with open(path) as file:
            lines = [line.split() for line in file if line.strip()]
    except FileNotFoundError:
        return []
    return [(role, int(pid), int(start_time)) for role, pid, start_time in lines]


def ours(pid, start_time):
    """Whether the session a record names still has a process of ours in it: its leader with
    the recorded start time, or, the leader gone, any member (the PID cannot have been reused)."""
    if alive(pid):
        return alive(pid, start_time)
    return bool(members({pid}))


def record(path, role, pid):
    found = stat(pid)
    if found is None:  # already gone: nothing of it to stop later (its starter reports why)
        return 0
    with open(path, "a") as file:
        file.write(f"{role} {pid} {found.start_time}\n")


def serving(path):
    for role, pid, start_time in records(path):
        if role == RUN and alive(pid, start_time):
            print(pid)
            return 0
    return 1


def reclaim(path):
    for role, pid, start_time in records(path):
        if role != RUN and ours(pid, start_time):
            left = pid if alive(pid) else min(members({pid}))
            what = command_line(pid) if left == pid else f"left of it: {left} {command_line(left)}"
            stopped = "stopped" if stop([pid], grace=10) else "could not stop"
            print(f"{stopped} the {role} service an earlier make run left running "
                  f"(PID {pid}: {what})")
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
    return 0


def listening_inodes(port):
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as file:
                rows = [line.split() for line in file.readlines()[1:]]
        except FileNotFoundError:
            continue
        for row in rows:
            local_port, state, inode = int(row[1].rsplit(":", 1)[1], 16), row[3], row[9]
            if local_port == port and state == "0A":  # 0A: LISTEN
                inodes.add(f"socket:[{inode}]")
    return inodes


def holder(port):
    """Prints "PID n: command line" for a process with a listening socket on PORT."""
    inodes = listening_inodes(int(port))
    for pid in sorted(running()):
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:  # gone, or another user's
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") in inodes:
                    print(f"PID {pid}: {command_line(pid)}")
                    return 0
            except OSError:
                continue
    return 1


def main(argv):
    match argv:
        case ["record", path, role, pid]:
            return record(path, role, pid)
        case ["serving", path]:
            return serving(path)
        case ["reclaim", path]:
            return reclaim(path)
        case ["stop", grace, *sessions] if sessions:
            return 0 if stop([int(pid) for pid in sessions], float(grace)) else 1
        case ["holder", port]:
            return holder(port)
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
