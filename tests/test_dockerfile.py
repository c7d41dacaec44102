"""The Dockerfile's promises, and its build steps run outside Docker (no engine on CI machines):
the same `python -m app` commands on a copy of the files the image copies, then the image's
command and health check against that copy."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from app.settings import PROJECT_DIR
from tests.test_reload_under_load import free_port

DOCKERFILE = (PROJECT_DIR / "Dockerfile").read_text()
STAGES = re.split(r"^FROM ", DOCKERFILE, flags=re.MULTILINE)[1:]


def instructions(stage: str, keyword: str) -> list[str]:
    joined = re.sub(r"\\\n\s*", " ", stage)
    return [
        line[len(keyword) + 1 :].strip()
        for line in joined.splitlines()
        if line.startswith(keyword + " ")
    ]


def test_image_is_multi_stage_non_root_with_health_check() -> None:
    assert len(STAGES) == 2
    runtime = STAGES[1]
    user = instructions(runtime, "USER")
    assert user and user[-1] not in ("root", "0")
    assert "/healthz" in " ".join(instructions(runtime, "HEALTHCHECK"))
    assert instructions(runtime, "EXPOSE") == ["8000"]
    assert "--require-hashes" in " ".join(instructions(STAGES[0], "RUN"))
    assert not instructions(runtime, "RUN pip")


def test_build_steps_and_command_work_outside_docker(tmp_path: Path) -> None:
    build = STAGES[0]
    workdir = tmp_path / "image"
    for copy in instructions(build, "COPY"):
        source, target = copy.split()
        if source.startswith("requirements"):
            continue
        destination = workdir / target.removeprefix("./")
        if target.endswith("/"):
            destination = destination / Path(source).name
        if (PROJECT_DIR / source).is_dir():
            shutil.copytree(PROJECT_DIR / source, destination)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT_DIR / source, destination)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PB_")}
    for step in instructions(build, "RUN"):
        if " -m app " not in step:
            continue  # the venv install step: this test runs in the already installed venv
        command = [sys.executable, *shlex.split(step)[1:]]
        done = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{step}\n{done.stdout}\n{done.stderr}"
    assert (workdir / "search_index" / "current" / "manifest.json").exists()

    cmd = shlex.split(
        instructions(STAGES[1], "CMD")[0].replace('"', "").strip("[]").replace(",", "")
    )
    port = str(free_port())
    cmd = [sys.executable if part == "python" else part for part in cmd]
    cmd[cmd.index("--port") + 1] = port
    cmd[cmd.index("--host") + 1] = "127.0.0.1"
    server = subprocess.Popen(
        cmd, cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the image command did not come up"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)
