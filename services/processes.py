"""Background processes with pid files and logs under ``var/``: start once, stop cleanly."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from docsearch.local_secrets import private_dir


def read_pid(pid_file: Path) -> int | None:
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if alive(pid) else None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours is not alive.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return True


def spawn(cmd: list[str], pid_file: Path, log_file: Path, env: dict[str, str] | None = None,
          cwd: Path | None = None) -> int:
    """Start ``cmd`` detached from this terminal, output to ``log_file``; write its pid. The process runs
    with umask 077 (what it writes is its user's alone), and the log and pid directories are 0700."""
    private_dir(log_file.parent)
    private_dir(pid_file.parent)
    with open(private_file(log_file), "ab") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, cwd=cwd, umask=0o077, start_new_session=True)
    private_file(pid_file).write_text(str(proc.pid))
    return proc.pid


def private_file(path: Path) -> Path:
    """``path``, created if missing, readable and writable by its owner only (0600)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    if path.stat().st_mode & 0o777 != 0o600:
        path.chmod(0o600)
    return path


def terminate(pid_file: Path, timeout: float = 30.0) -> str:
    """SIGTERM the process group in ``pid_file``, SIGKILL after ``timeout``."""
    pid = read_pid(pid_file)
    if pid is None:
        pid_file.unlink(missing_ok=True)
        return "not running"
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive(pid):
        _reap(pid)
        time.sleep(0.2)
    if alive(pid):
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _reap(pid)
    pid_file.unlink(missing_ok=True)
    return "stopped"


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def wait_until(check, timeout: float, interval: float = 0.5, what: str = "service",
               log_file: Path | None = None, pid_file: Path | None = None) -> None:
    """Poll ``check()`` until true; raise with the log's tail on timeout or if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if pid_file is not None and read_pid(pid_file) is None:
            raise RuntimeError(f"{what} exited during start-up.\n{tail(log_file)}")
        time.sleep(interval)
    raise RuntimeError(f"{what} did not become ready within {timeout:.0f} s.\n{tail(log_file)}")


def tail(log_file: Path | None, lines: int = 30) -> str:
    if log_file is None or not log_file.exists():
        return ""
    content = log_file.read_text(errors="replace").splitlines()
    return "\n".join(content[-lines:])


@contextlib.contextmanager
def one_at_a_time(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (two sessions starting one service do not start it twice)."""
    private_dir(lock_file.parent)
    with open(private_file(lock_file), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
