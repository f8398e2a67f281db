"""Runs a command in a pseudo-terminal, as at a user's terminal: stdout and stderr are the terminal.

Usage: pty_run.py COLUMNS COMMAND [ARG...]

What the command writes to the terminal is copied to this script's stdout, byte for byte (escape
sequences included). What this script reads on stdin is typed at the terminal, so "\\x03" is a Ctrl-C,
which the terminal turns into SIGINT for the command. Exits with the command's exit code, or 128+N when
signal N ended it.
"""

import fcntl
import os
import pty
import select
import struct
import sys
import termios


def main() -> int:
    columns, command = int(sys.argv[1]), sys.argv[2:]
    pid, fd = pty.fork()
    if pid == 0:
        # The child: its terminal gets a size before the command can ask for it.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        os.execvp(command[0], command)

    reading_stdin = True
    while True:
        ready, _, _ = select.select([fd] + ([0] if reading_stdin else []), [], [])
        if 0 in ready:
            typed = os.read(0, 1024)
            if typed:
                os.write(fd, typed)
            else:
                reading_stdin = False
        if fd in ready:
            try:
                output = os.read(fd, 65536)
            except OSError:  # EIO: the command closed the terminal
                output = b""
            if not output:
                break
            os.write(1, output)

    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main())
