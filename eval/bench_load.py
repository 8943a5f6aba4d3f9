"""Load and fuzz benchmark of the web server: `python app.py` on a free loopback port, then
(a) a fuzz corpus of hostile requests and (b) N concurrent clients, each in its own conversation.

    python eval/bench_load.py                          # 1,200 hostile requests, 50 clients x 200 requests
    python eval/bench_load.py --clients 10 --requests 20 --fuzz 300     # a quick look
    python eval/bench_load.py --json out.json          # the numbers as JSON as well

Prints one table: status counts, 5xx, bodies with a traceback or a server path, latency
p50/p95/p99, req/s, wrong or crossed answers, and the server's RSS before and after each
phase. The server listens on 127.0.0.1 only, every request count is bounded, and the
server is stopped at the end (or on Ctrl-C). QA_INDEX_ROOT / QA_INDEX_NAME are passed on:
point them at a built index to skip the first-start build.

Cross-talk check: client i asks a question whose answer it knows (one of CASES), then a
follow-up with its own history ("기간은?" after "NHN 투자액은?" -> 10년); an answer that
belongs to another client's question is counted as crossed.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))
from fuzz_corpus import Probe, fuzz_corpus, json_body  # noqa: E402

# (question, answer, follow-up, its answer): one unambiguous answer each in the bundled announcement.
CASES = [
    ("NHN 투자액은?", "2100억원", "기간은?", "10년"),
    ("GIST AI대학원은 매년 학생 몇 명을 선발하나요?", "50명", None, None),
    ("광주 AI데이터센터의 연산성능은?", "88.5페타플롭스(PFLOPS)", None, None),
    ("전임교원은 몇 명 확보하나요?", "12명", "그럼 겸무교수는?", "15명"),
    ("과학기술정보통신부 장관은 누구야?", "최기영", None, None),
    ("How much will NHN invest?", "2100억원", "Over how many years?", "10년"),
]
# What must never reach a client: tracebacks and server paths.
LEAK = re.compile(r'Traceback|File "|site-packages|/work/|/home/|/root/|/tmp/|/usr/lib|\.py\b')


# ---- the server -------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mib(pid: int) -> float:
    """Resident memory of `pid` in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(port: int, log_path: Path, timeout_s: float) -> subprocess.Popen:
    """`python app.py` on 127.0.0.1:port; returns once /api/health answers (or raises)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log_path.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"error: the server exited with {proc.returncode}; see {log_path}")
        try:
            if request(port, "GET", "/api/health", timeout=2)[0] == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(proc)
    raise SystemExit(f"error: the server did not answer /api/health within {timeout_s:.0f} s; see {log_path}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 60, conn: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    """One request -> (status, body). With `conn`, the connection is reused (keep-alive)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        if own:
            conn.close()


# ---- (a) the fuzz corpus: eval/fuzz_corpus.py ------------------------------------------------------------------
def read_queue(port: int, session: str, timeout: float = 60) -> tuple[int, bytes]:
    """The queue events of a joined session, up to its completion -> (status, all event bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", f"/gradio_api/queue/data?session_hash={session}")
        resp = conn.getresponse()
        chunks = []
        while True:
            line = resp.readline()
            if not line:
                break
            chunks.append(line)
            if b'"msg":"process_completed"' in line.replace(b" ", b"") or b"close_stream" in line:
                break
        return resp.status, b"".join(chunks)
    finally:
        conn.close()


@dataclass
class FuzzResult:
    statuses: Counter = field(default_factory=Counter)
    by_kind: dict = field(default_factory=dict)
    five_xx: list = field(default_factory=list)
    leaks: list = field(default_factory=list)
    failures: list = field(default_factory=list)   # transport errors (a dropped connection)
    queue_reads: int = 0
    queue_errors: list = field(default_factory=list)


def run_fuzz(port: int, probes: list[Probe]) -> FuzzResult:
    result = FuzzResult()
    for p in probes:
        headers = {"content-type": p.content_type} if p.content_type else {}
        try:
            status, body = request(port, p.method, p.path, p.body, headers, timeout=60)
        except (OSError, http.client.HTTPException) as e:
            result.failures.append(f"{p.kind} {p.method} {p.path[:60]}: {type(e).__name__}")
            continue
        result.statuses[status] += 1
        result.by_kind.setdefault(p.kind, Counter())[status] += 1
        where = f"{p.kind} {p.method} {p.path[:60]} -> {status}"
        if status >= 500:
            result.five_xx.append(where)
        if LEAK.search(body.decode("utf-8", "replace")):
            result.leaks.append(f"{where}: {LEAK.search(body.decode('utf-8', 'replace')).group(0)!r}")
        if p.then_read_queue and status == 200:
            result.queue_reads += 1
            try:
                qs, events = read_queue(port, p.then_read_queue)
            except (OSError, http.client.HTTPException) as e:
                result.queue_errors.append(f"{where}: queue read {type(e).__name__}")
                continue
            text = events.decode("utf-8", "replace")
            if qs != 200 or '"success":false' in text.replace(" ", "") or LEAK.search(text):
                result.queue_errors.append(f"{where}: queue events status {qs}: {text[-160:]!r}")
    return result


# ---- (b) concurrent clients ---------------------------------------------------------------------------------------
@dataclass
class LoadResult:
    latencies: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    crossed: list = field(default_factory=list)
    seconds: float = 0.0


def client_loop(port: int, client: int, n: int, out: LoadResult, lock: threading.Lock) -> None:
    """`n` requests of one client: its own question, then its follow-up with its own history."""
    question, answer, follow, follow_answer = CASES[client % len(CASES)]
    others = {a for q, a, f, fa in CASES if a != answer} | {fa for q, a, f, fa in CASES if fa and fa != follow_answer}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    last = None
    for i in range(n):
        if follow and last == answer and i % 2:
            body, expected = {"question": follow, "history": [{"question": question, "answer": last}]}, follow_answer
        else:
            body, expected = {"question": question}, answer
        t0 = time.perf_counter()
        try:
            status, raw = request(port, "POST", "/api/ask", json_body(body), {"content-type": "application/json"},
                                  conn=conn)
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            with lock:
                out.errors.append(f"client {client}: {type(e).__name__}")
            continue
        seconds = time.perf_counter() - t0
        got = json.loads(raw).get("answer") if status == 200 else None
        with lock:
            out.latencies.append(seconds)
            if status != 200:
                out.errors.append(f"client {client}: HTTP {status}")
            elif got != expected:
                (out.crossed if got in others else out.wrong).append(f"client {client}: {body['question']} -> {got}")
        last = got if body["question"] == question else last
    conn.close()


def run_load(port: int, clients: int, requests_each: int) -> LoadResult:
    out, lock = LoadResult(), threading.Lock()
    threads = [threading.Thread(target=client_loop, args=(port, c, requests_each, out, lock), daemon=True)
               for c in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.seconds = time.perf_counter() - t0
    return out


# ---- report -------------------------------------------------------------------------------------------------------
def pct(values: list, q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=200, help="requests per client")
    ap.add_argument("--fuzz", type=int, default=1200, help="hostile requests (at least)")
    ap.add_argument("--start-timeout", type=float, default=300, help="seconds to wait for the server")
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    args = ap.parse_args(argv)
    if not (1 <= args.clients <= 500 and 1 <= args.requests <= 10_000 and 0 <= args.fuzz <= 20_000):
        raise SystemExit("error: --clients 1..500, --requests 1..10000, --fuzz 0..20000")
    port = free_port()
    log_path = Path(tempfile.mkstemp(prefix="bench_load_server_", suffix=".log")[1])
    print(f"starting python app.py on 127.0.0.1:{port} (server log: {log_path})", flush=True)
    t0 = time.perf_counter()
    proc = start_server(port, log_path, args.start_timeout)
    rows: list[tuple[str, str]] = [("server start to healthy", f"{time.perf_counter() - t0:.1f} s")]
    report: dict = {"port": port}
    try:
        for case in CASES:   # warm: every path the load phase takes
            request(port, "POST", "/api/ask", json_body({"question": case[0]}), {"content-type": "application/json"})
        rss0 = rss_mib(proc.pid)
        rows.append(("server RSS after warm-up", f"{rss0:.0f} MiB"))
        if args.fuzz:
            probes = fuzz_corpus(args.fuzz)
            t = time.perf_counter()
            fz = run_fuzz(port, probes)
            rss1 = rss_mib(proc.pid)
            statuses = ", ".join(f"{s}: {n}" for s, n in sorted(fz.statuses.items()))
            rows += [("fuzz: hostile requests sent", f"{len(probes)} in {time.perf_counter() - t:.1f} s"),
                     ("fuzz: status counts", statuses),
                     ("fuzz: 5xx", str(len(fz.five_xx))),
                     ("fuzz: bodies with a traceback or path", str(len(fz.leaks))),
                     ("fuzz: dropped connections", str(len(fz.failures))),
                     ("fuzz: chat events read / failed", f"{fz.queue_reads} / {len(fz.queue_errors)}"),
                     ("fuzz: server RSS after", f"{rss1:.0f} MiB ({rss1 - rss0:+.0f})")]
            for kind, counts in fz.by_kind.items():
                rows.append((f"  {kind}", ", ".join(f"{s}: {n}" for s, n in sorted(counts.items()))))
            report["fuzz"] = {"sent": len(probes), "statuses": dict(fz.statuses), "five_xx": fz.five_xx,
                              "leaks": fz.leaks, "dropped": fz.failures, "queue_reads": fz.queue_reads,
                              "queue_errors": fz.queue_errors, "rss_mib": [rss0, rss1]}
            rss0 = rss1
        if args.clients and args.requests:
            ld = run_load(port, args.clients, args.requests)
            rss2 = rss_mib(proc.pid)
            n = len(ld.latencies)
            ms = lambda q: f"{pct(ld.latencies, q) * 1000:.0f}"   # noqa: E731
            rows += [(f"load: {args.clients} clients x {args.requests} asks", f"{n} answered in {ld.seconds:.1f} s"),
                     ("load: req/s", f"{n / ld.seconds:.1f}" if ld.seconds else "-"),
                     ("load: latency p50 / p95 / p99", f"{ms(.5)} / {ms(.95)} / {ms(.99)} ms"),
                     ("load: errors (HTTP or transport)", str(len(ld.errors))),
                     ("load: wrong answers / crossed answers", f"{len(ld.wrong)} / {len(ld.crossed)}"),
                     ("load: server RSS after", f"{rss2:.0f} MiB ({rss2 - rss0:+.0f})")]
            report["load"] = {"clients": args.clients, "requests": args.requests, "answered": n,
                              "seconds": ld.seconds, "p50": pct(ld.latencies, .5), "p95": pct(ld.latencies, .95),
                              "p99": pct(ld.latencies, .99), "errors": ld.errors[:50], "wrong": ld.wrong[:50],
                              "crossed": ld.crossed[:50], "rss_mib": [rss0, rss2]}
    finally:
        stop_server(proc)
    width = max(len(k) for k, _ in rows)
    print(f"\n{'measure':<{width}}  value\n{'-' * width}  {'-' * 40}")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    for title, items in (("5xx", report.get("fuzz", {}).get("five_xx")), ("leaks", report.get("fuzz", {}).get("leaks")),
                         ("dropped", report.get("fuzz", {}).get("dropped")),
                         ("chat events", report.get("fuzz", {}).get("queue_errors")),
                         ("load errors", report.get("load", {}).get("errors")),
                         ("wrong", report.get("load", {}).get("wrong")),
                         ("crossed", report.get("load", {}).get("crossed"))):
        for item in (items or [])[:8]:
            print(f"  {title}: {item}")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    bad = report.get("fuzz", {}).get("five_xx") or report.get("fuzz", {}).get("leaks") or \
        report.get("load", {}).get("errors") or report.get("load", {}).get("crossed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
