"""Background processes with pid files and logs under ``var/``: start once, stop cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path


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
    """Start ``cmd`` detached from this terminal, output to ``log_file``; write its pid."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, cwd=cwd, start_new_session=True)
    pid_file.write_text(str(proc.pid))
    return proc.pid


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
