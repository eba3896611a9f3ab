#!/usr/bin/env python3
"""Runs nn's JMH benchmarks and NumPy's SGEMM on the same shapes, alternating, and prints ratios.

Usage (from the repository root, after `./mvnw -q -pl nn-bench -am package -DskipTests`):

    python3 nn-bench/compare_numpy.py [--rounds 5] [--java /path/to/java] [--quick]

Each round runs, back to back: nn's GEMM (JMH, one fork per shape) and NumPy's SGEMM on the
same shapes, for 1 and then 2 threads; the scalar twin on a few shapes; the elementwise
kernels beside the Java triad. Tables report medians over rounds. NumPy runs with
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (they slow a current OpenBLAS on this machine)
and OPENBLAS_NUM_THREADS set to the thread count under test, in its own process.

Then the interleaved measurement (--interleaved-rounds, default 11): nn (dev.nn.bench.GemmWindows)
and NumPy, each on 1 and 2 threads, stay up in their own processes and take turns in 0.3 s
windows, shape by shape, so each ratio compares two speeds measured within about a second of
each other. JMH runs of nn and NumPy runs minutes apart differ by tens of percent from machine
drift alone; the interleaved ratios are the ones the targets are read from. Likewise add, relu
and exp against the triad, by dev.nn.bench.Interleaved in one JVM.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import jmh

SQUARE = ["64x64x64:NN", "128x128x128:NN", "256x256x256:NN", "512x512x512:NN",
          "1024x1024x1024:NN", "2048x2048x2048:NN"]
TRAINING = ["64x100x1000:NN", "1000x100x64:TN", "64x1000x100:NT",
            "128x512x784:NN", "784x512x128:TN", "128x784x512:NT"]
SCALAR = ["512x512x512:NN", "64x100x1000:NN", "128x512x784:NN"]
ELEMENTWISE_BYTES = {  # floats moved per element, on 16M - 1 elements; single-threaded first
    "triad": 3, "addSimd": 3, "addScalar": 3, "sumSimd": 1, "sumScalar": 1, "reluSimd": 2, "reluScalar": 2, "expSimd": 2, "expScalar": 2,
    "logSimd": 2, "logScalar": 2, "erfSimd": 2,
    "triadThreads": 3, "tensorAdd": 3, "tensorRelu": 2, "tensorExp": 2,
}
THREADED = {"triadThreads", "tensorAdd", "tensorRelu", "tensorExp"}
N_ELEM = (1 << 24) - 1

NUMPY_OPERANDS = r"""
import json, sys, time
import numpy as np
rng = np.random.default_rng(42)
def operands(s):
    dims, flags = s.split(":")
    m, n, k = map(int, dims.split("x"))
    a = (rng.random((k, m) if flags[0] == "T" else (m, k), dtype=np.float32) - 0.5)
    b = (rng.random((n, k) if flags[1] == "T" else (k, n), dtype=np.float32) - 0.5)
    A = a.T if flags[0] == "T" else a   # a transposed view: BLAS gets a transpose flag, no copy
    B = b.T if flags[1] == "T" else b
    return A, B, np.empty((m, n), dtype=np.float32)
"""

NUMPY_CODE = NUMPY_OPERANDS + r"""
shapes = json.loads(sys.argv[1])
out = {}
for s in shapes:
    A, B, c = operands(s)
    reps = 1
    while True:  # calibrate to about 0.2 s per window
        t0 = time.perf_counter()
        for _ in range(reps):
            np.matmul(A, B, out=c)
        dt = time.perf_counter() - t0
        if dt > 0.2:
            break
        reps *= 2
    windows = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(reps):
            np.matmul(A, B, out=c)
        windows.append((time.perf_counter() - t0) / reps)
    windows.sort()
    out[s] = windows[len(windows) // 2] * 1e6   # median microseconds per call
print(json.dumps(out))
"""

# NumPy's side of the interleaved measurement, the twin of dev.nn.bench.GemmWindows: one request
# per line, "<shape> <window ms>"; calls matmul until the window has passed (at least twice) and
# answers with microseconds per call.
NUMPY_WINDOWS = NUMPY_OPERANDS + r"""
cache = {}
for line in sys.stdin:
    s, ms = line.split()
    if s not in cache:
        cache[s] = operands(s)
    A, B, c = cache[s]
    window = float(ms) / 1e3
    calls = 0
    t0 = time.perf_counter()
    while True:
        np.matmul(A, B, out=c)
        calls += 1
        now = time.perf_counter()
        if now - t0 >= window and calls >= 2:
            break
    print((now - t0) / calls * 1e6, flush=True)
"""


def flops(shape):
    m, n, k = map(int, shape.split(":")[0].split("x"))
    return 2.0 * m * n * k


def numpy_env(threads):
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    env["OMP_NUM_THREADS"] = str(threads)
    return env


def run_numpy(shapes, threads):
    res = subprocess.run([sys.executable, "-c", NUMPY_CODE, json.dumps(shapes)], check=True, env=numpy_env(threads),
                         capture_output=True, text=True)
    return json.loads(res.stdout)


class Windows:
    """A live process that times windows of one GEMM on request (GemmWindows, or NumPy's twin)."""

    def __init__(self, name, cmd, env=None):
        self.name = name
        self.err = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, env=env,
                                     text=True)

    def time(self, request):
        """Sends one request; returns the answer, microseconds per call."""
        self.proc.stdin.write(request + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            self.err.seek(0)
            raise RuntimeError(f"{self.name} ended without answering '{request}':\n{self.err.read()[-2000:]}")
        return float(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()
        self.err.close()


# Each round times the four sides once, in an order that turns every round, so no side is always
# first or always right after another.
ORDERS = [("nn1", "np1", "nn2", "np2"), ("np1", "nn1", "np2", "nn2"), ("nn2", "np2", "nn1", "np1"),
          ("np2", "nn2", "np1", "nn1")]


def interleaved(java, jar, shapes, rounds, window_ms=300, pause=0.1):
    """Alternates short windows of nn and NumPy, 1 and 2 threads, shape by shape, in live processes.

    Returns {shape: {side: [µs per call, one per round]}}. Between windows the caller pauses, so
    threads that spin after a call (OpenBLAS's, nn's pool) are idle before the next side runs.
    """
    nn = Windows("GemmWindows", jmh.java_command(java, jar, "dev.nn.bench.GemmWindows"))
    np1 = Windows("NumPy, 1 thread", [sys.executable, "-c", NUMPY_WINDOWS], numpy_env(1))
    np2 = Windows("NumPy, 2 threads", [sys.executable, "-c", NUMPY_WINDOWS], numpy_env(2))
    sides = {"nn1": lambda s, ms: nn.time(f"{s} 1 {ms}"), "nn2": lambda s, ms: nn.time(f"{s} 2 {ms}"),
             "np1": lambda s, ms: np1.time(f"{s} {ms}"), "np2": lambda s, ms: np2.time(f"{s} {ms}")}
    out = {}
    try:
        for side in ("nn1", "nn2"):     # C2 compiles the kernels: a few seconds on a mid-sized shape
            sides[side]("512x512x512:NN", 3000)
        for s in shapes:
            for side in sides.values():  # first calls on fresh operands, not measured
                side(s, 500)
            times = out[s] = {side: [] for side in sides}
            for rnd in range(rounds):
                for side in ORDERS[rnd % len(ORDERS)]:
                    times[side].append(sides[side](s, window_ms))
                    time.sleep(pause)
    finally:
        for w in (nn, np1, np2):
            w.close()
    return out


ELEMENTWISE_PAIRS = 20


def elementwise_interleaved(java, jar, names=("addSimd", "reluSimd", "expSimd"), pairs=ELEMENTWISE_PAIRS):
    """Each kernel against the triad by Interleaved (alternating 0.3 s windows in one JVM).

    Returns {name: (GB/s, triad GB/s, bandwidth ratio, lower quartile, upper quartile)}.
    """
    out = {}
    for name in names:
        t_op, t_triad, ratio, q1, q3, _ = jmh.run_interleaved(java, jar, "dev.nn.bench.ElementwiseBenchmark", name,
                                                             "triad", pairs)
        # Interleaved's ratio is of times (op / triad); bandwidth turns it over and weighs the bytes moved.
        weight = ELEMENTWISE_BYTES[name] / ELEMENTWISE_BYTES["triad"]
        gbs = ELEMENTWISE_BYTES[name] * 4 * N_ELEM / t_op / 1e3
        triad = ELEMENTWISE_BYTES["triad"] * 4 * N_ELEM / t_triad / 1e3
        out[name] = (gbs, triad, weight / ratio, weight / q3, weight / q1)
    return out


def quartiles(values):
    """Median and quartiles of values, as 'median (lower, upper)'."""
    q = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else values * 3
    return f"{q[1]:.2f} ({q[0]:.2f}, {q[2]:.2f})"


def numpy_blas():
    code = ("import numpy\ntry:\n import threadpoolctl\n print([(i.get('internal_api'), i.get('version'),"
            " i.get('architecture')) for i in threadpoolctl.threadpool_info()])\nexcept ImportError:\n"
            " print('threadpoolctl not installed')\nprint('numpy', numpy.__version__)")
    return subprocess.run([sys.executable, "-c", code], env=numpy_env(1), capture_output=True,
                          text=True).stdout.strip()


def median(values):
    return statistics.median(values) if values else float("nan")


def main(argv=None):
    ap = argparse.ArgumentParser()
    jmh.add_common_args(ap, rounds=5)
    ap.add_argument("--quick", action="store_true", help="shorter JMH windows, for a smoke run")
    ap.add_argument("--interleaved-rounds", type=int, default=11,
                    help="rounds of the interleaved SGEMM measurement (four 0.3 s windows per shape each)")
    args = ap.parse_args(argv)
    if args.interleaved_rounds < 1:
        ap.error("--interleaved-rounds must be at least 1")
    jmh_extra = ["-wi", "2", "-i", "3", "-w", "1", "-r", "1"] if not args.quick else ["-wi", "1", "-i", "1"]

    version = subprocess.run([args.java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    print(f"# {datetime.date.today()}, {platform.node()}, {os.cpu_count()} cores, {jmh.cpu()}, {version}")
    print(f"# nn: {jmh.nn_kernels(args.java, args.jar)}")
    print(f"# NumPy: {numpy_blas()}")
    print(f"# {args.rounds} rounds; each alternates nn (JMH) and NumPy; figures are medians over rounds\n")

    ours, theirs, scalar, elem, alloc = {}, {}, {}, {}, {}
    shapes = SQUARE + TRAINING
    for rnd in range(args.rounds):
        for threads in (1, 2):
            res = jmh.run(args.java, args.jar, "GemmBenchmark.gemmSimd",
                          {"shape": shapes, "threads": [str(threads)]}, jmh_extra)
            for (name, shape, t), r in res.items():
                ours.setdefault((shape, threads), []).append(flops(shape) / r.score / 1e3)
                alloc.setdefault(("gemm", shape, threads), []).append(r.alloc)
            for shape, us in run_numpy(shapes, threads).items():
                theirs.setdefault((shape, threads), []).append(flops(shape) / us / 1e3)
        res = jmh.run(args.java, args.jar, "GemmBenchmark.gemmScalar", {"shape": SCALAR, "threads": ["1"]}, jmh_extra)
        for (name, shape, t), r in res.items():
            scalar.setdefault(shape, []).append(flops(shape) / r.score / 1e3)
        # Tensor ops split their work across the shared pool: run them at 2 threads, kernels at 1.
        res = jmh.run(args.java, args.jar, "ElementwiseBenchmark", {}, jmh_extra, threads=2)
        for (name, shape, t), r in res.items():
            elem.setdefault(name, []).append(ELEMENTWISE_BYTES[name] * 4 * N_ELEM / r.score / 1e6)
            alloc.setdefault(("elementwise", name), []).append(r.alloc)
        print(f"# round {rnd + 1} done", file=sys.stderr)

    print("## SGEMM, GFLOP/s (nn SIMD vs NumPy/OpenBLAS)\n")
    print("nn allocated per call: JMH's GC profiler, 1 thread / 2 threads.\n")
    print("| shape (MxNxK:op) | nn 1t | NumPy 1t | ratio 1t | nn 2t | NumPy 2t | ratio 2t | nn 2t/1t | nn allocated |")
    print("|---|---|---|---|---|---|---|---|---|")
    for s in shapes:
        o1, n1 = median(ours[(s, 1)]), median(theirs[(s, 1)])
        o2, n2 = median(ours[(s, 2)]), median(theirs[(s, 2)])
        a1, a2 = (jmh.bytes_text(median(alloc[("gemm", s, t)])) for t in (1, 2))
        print(f"| {s} | {o1:.1f} | {n1:.1f} | {o1 / n1:.2f} | {o2:.1f} | {n2:.1f} | {o2 / n2:.2f} | {o2 / o1:.2f} "
              f"| {a1} / {a2} |")
    inter = interleaved(args.java, args.jar, shapes, args.interleaved_rounds)
    ratios = {}
    for s in shapes:
        t = inter[s]
        ratios[s] = {"1t": [b / a for a, b in zip(t["nn1"], t["np1"])],
                     "2t": [b / a for a, b in zip(t["nn2"], t["np2"])],
                     "2t/1t": [a / b for a, b in zip(t["nn1"], t["nn2"])]}
    print(f"\n## SGEMM interleaved with NumPy, {args.interleaved_rounds} rounds\n")
    print("nn and NumPy stay up in their own processes and take turns on one shape at a time: each round times "
          "nn and NumPy on 1 and 2 threads in 0.3 s windows, in an order that turns every round. Ratios are "
          "per round (same minute, same machine load); median (quartiles) over rounds. GFLOP/s are medians.\n")
    print("| shape (MxNxK:op) | nn 1t | NumPy 1t | ratio 1t | nn 2t | NumPy 2t | ratio 2t | nn 2t/1t |")
    print("|---|---|---|---|---|---|---|---|")
    for s in shapes:
        g = {side: flops(s) / median(us) / 1e3 for side, us in inter[s].items()}
        r = ratios[s]
        print(f"| {s} | {g['nn1']:.1f} | {g['np1']:.1f} | {quartiles(r['1t'])} | {g['nn2']:.1f} | {g['np2']:.1f} "
              f"| {quartiles(r['2t'])} | {quartiles(r['2t/1t'])} |")
    print("\n## SIMD GEMM against its scalar twin, 1 thread, GFLOP/s\n")
    print("| shape | SIMD | scalar | SIMD/scalar |")
    print("|---|---|---|---|")
    for s in SCALAR:
        v, sc = median(ours[(s, 1)]), median(scalar[s])
        print(f"| {s} | {v:.1f} | {sc:.2f} | {v / sc:.1f} |")
    print("\n## Elementwise on 16M floats, GB/s, as a fraction of the triad with the same threads\n")
    print("Kernels on 1 thread beside `triad`; Tensor ops on the shared pool (2 threads) beside `triadThreads`.\n")
    print("| benchmark | threads | GB/s | of triad | allocated per call |")
    print("|---|---|---|---|---|")
    for name in ELEMENTWISE_BYTES:
        if name in elem:
            g = median(elem[name])
            anchor = median(elem["triadThreads" if name in THREADED else "triad"])
            print(f"| {name} | {'pool' if name in THREADED else 1} | {g:.1f} | {g / anchor:.2f} "
                  f"| {jmh.bytes_text(median(alloc[('elementwise', name)]))} |")
    print("\n## Elementwise against the triad, interleaved\n")
    print(f"Each kernel and the triad alternate in 0.3 s windows in one JVM (Interleaved, {ELEMENTWISE_PAIRS} pairs, "
          "1 thread); "
          "the ratio is of bandwidths, median (quartiles) over pairs.\n")
    print("| benchmark | GB/s | triad GB/s | of triad |")
    print("|---|---|---|---|")
    elem_inter = elementwise_interleaved(args.java, args.jar)
    for name, (g, t, r, lo, hi) in elem_inter.items():
        print(f"| {name} | {g:.1f} | {t:.1f} | {r:.2f} ({lo:.2f}, {hi:.2f}) |")
    return {"sgemm": {k: (median(ours[k]), median(theirs[k])) for k in ours},
            "elementwise_interleaved": {name: v[2] for name, v in elem_inter.items()},
            "interleaved": {s: {name: median(v) for name, v in r.items()} for s, r in ratios.items()},
            "scalar": {s: median(scalar[s]) for s in scalar},
            "elementwise": {n: median(v) for n, v in elem.items()},
            "alloc": {k: median(v) for k, v in alloc.items()}}


if __name__ == "__main__":
    main()
