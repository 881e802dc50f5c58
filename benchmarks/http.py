"""Benchmark: POST /api/assess over HTTP at a fixed request rate, on loopback.

    python benchmarks/http.py [--rate 200] [--seconds 20] [--jurisdiction EU]

Starts ``comity serve`` (uvicorn, one worker) on a free loopback port over a temporary
store, sends requests open-loop at the given rate for the given time (at most 60 s;
each request is timed from when it was due, so a server that falls behind shows it),
and prints throughput and p50/p95/p99 latency. The profile is the CV-screener example
limited to one market (EU); the query assesses that one jurisdiction.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the standard library's ``http`` package; running it as a
# script puts its folder first on the path, so take the folder off before any import.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402
import yaml  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MAX_SECONDS = 60.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _profile() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "examples" / "cv-screener.yaml").read_text())
    data["markets"] = ["EU"]
    return data


def _start_server(port: int, folder: str) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "COMITY_DB": f"sqlite:///{folder}/bench.db"}
    server = subprocess.Popen([sys.executable, "-m", "comity", "serve", "--port", str(port)],
                              env=environment, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/jurisdictions", timeout=2).is_success:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start within 60 s")


async def _load(url: str, body: bytes, rate: float, seconds: float
                ) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    total = int(rate * seconds)
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        # warm-up: connections, first-request costs
        for _ in range(20):
            await client.post(url, content=body, headers={"Content-Type": "application/json"})

        async def one(due: float) -> None:
            nonlocal errors
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            try:
                reply = await client.post(url, content=body,
                                          headers={"Content-Type": "application/json"})
                if reply.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - due)

        start = time.perf_counter()
        await asyncio.gather(*(one(start + index / rate) for index in range(total)))
        elapsed = time.perf_counter() - start
    return latencies, errors, elapsed


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux /proc), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    parser.add_argument("--seconds", type=float, default=20.0,
                        help=f"duration of the load (at most {MAX_SECONDS:.0f})")
    parser.add_argument("--jurisdiction", default="EU")
    parser.add_argument("--trace", action="store_true", help="include the trace in replies")
    options = parser.parse_args()
    seconds = min(options.seconds, MAX_SECONDS)
    port = _free_port()
    with tempfile.TemporaryDirectory() as folder:
        server = _start_server(port, folder)
        try:
            url = (f"http://127.0.0.1:{port}/api/assess?jurisdiction={options.jurisdiction}"
                   f"&trace={'true' if options.trace else 'false'}")
            body = json.dumps(_profile()).encode()
            cpu_before = _cpu_seconds(server.pid)
            latencies, errors, elapsed = asyncio.run(_load(url, body, options.rate, seconds))
            cpu_after = _cpu_seconds(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=20)
    milliseconds = [value * 1000 for value in latencies]
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, "
          f"{os.cpu_count()} cores")
    print(f"POST /api/assess?jurisdiction={options.jurisdiction}&trace="
          f"{'true' if options.trace else 'false'}: {len(latencies)} requests at "
          f"{options.rate:.0f}/s offered over {seconds:.0f} s")
    print(f"throughput: {len(latencies) / elapsed:.1f} requests/s, errors: {errors}")
    if cpu_before is not None and cpu_after is not None:
        # includes the 20 warm-up requests; the figure that load on a shared machine
        # does not distort: CPU time the server spent per request
        per_request = (cpu_after - cpu_before) / (len(latencies) + 20) * 1000
        print(f"server CPU: {per_request:.2f} ms per request "
              f"(capacity about {1000 / per_request:.0f} requests/s per core)")
    load = Path("/proc/loadavg")
    if load.exists():
        print(f"machine load average (1 min) after the run: {load.read_text().split()[0]}")
    print(f"latency ms: p50 {_percentile(milliseconds, 0.50):.1f}, "
          f"p95 {_percentile(milliseconds, 0.95):.1f}, "
          f"p99 {_percentile(milliseconds, 0.99):.1f}, "
          f"mean {statistics.fmean(milliseconds):.1f}, max {max(milliseconds):.1f}")


if __name__ == "__main__":
    main()
