"""A throwaway PostgreSQL server on 127.0.0.1, as scripts/with-postgres starts one."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


def _bindir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    return found[-1] if found else None


@contextmanager
def postgres(port: int = 54339) -> Iterator[str | None]:
    """Yields a DSN, or None when no PostgreSQL binaries are installed."""
    bindir = _bindir()
    if bindir is None:
        yield None
        return
    datadir = tempfile.mkdtemp(prefix="pb-bench-pg-")
    run_as: list[str] = []
    if os.getuid() == 0:
        shutil.chown(datadir, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
    ctl = [*run_as, f"{bindir}/pg_ctl", "-D", datadir]
    try:
        subprocess.run(
            [*run_as, f"{bindir}/initdb", "-D", datadir, "-U", "pb", "--auth=trust", "-E", "UTF8",
             "--locale=C.UTF-8"], **quiet)  # fmt: skip
        options = f"-p {port} -k {datadir} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run([*ctl, "-w", "-l", f"{datadir}/server.log", "-o", options, "start"], **quiet)
        yield f"host=127.0.0.1 port={port} user=pb dbname=postgres"
    finally:
        subprocess.run([*ctl, "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(datadir, ignore_errors=True)
