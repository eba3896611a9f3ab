#!/usr/bin/env python3
"""Times one SGD step of the lecture's two-layer network in nn (hand-written and autograd), NumPy
and PyTorch (autograd), alternating, and prints medians and ratios.

Usage (from the repository root, after `./mvnw -q -pl nn-bench -am package -DskipTests`):

    python3 nn-bench/compare_twolayer.py [--rounds 5] [--java /path/to/java] [--torch-python /usr/bin/python3]

Each round runs, for 1 and then 2 threads: nn's TwoLayerBenchmark (JMH, -Dnn.threads=N), NumPy's
loop, PyTorch's loop. The network is N, D_in, H, D_out = 64, 1000, 100, 10, sigmoid hidden layer,
squared-error loss, learning rate 1e-4, float32, with the lecture's w2 update corrected. PyTorch
is skipped with a message when it is absent, or when its SGEMM is below 30 GFLOP/s on one thread
(the reference-BLAS fallback; install libopenblas0-openmp, see ../shared/BENCHMARKING.md).
Both anchors run with glibc's mmap and trim thresholds raised (see anchor_env).
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jmh  # noqa: E402
from compare_numpy import median  # noqa: E402

NUMPY_LOOP = r"""
import json, sys, time
import numpy as np
N, D_in, H, D_out = 64, 1000, 100, 10
rng = np.random.default_rng(0)
x = rng.standard_normal((N, D_in), dtype=np.float32)
y = rng.standard_normal((N, D_out), dtype=np.float32)
w1 = rng.standard_normal((D_in, H), dtype=np.float32)
w2 = rng.standard_normal((H, D_out), dtype=np.float32)
lr = np.float32(1e-4)
def step():
    global w1, w2
    h = 1 / (1 + np.exp(-x.dot(w1)))
    y_pred = h.dot(w2)
    loss = np.square(y_pred - y).sum()
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h.T.dot(grad_y_pred)
    grad_h = grad_y_pred.dot(w2.T)
    grad_w1 = x.T.dot(grad_h * h * (1 - h))
    w1 -= lr * grad_w1
    w2 -= lr * grad_w2
    return loss
"""

TORCH_LOOP = r"""
import json, sys, time
import torch
threads = int(sys.argv[1])
torch.set_num_threads(threads)
a = torch.randn(1024, 1024); b = torch.randn(1024, 1024)
torch.set_num_threads(1)
for _ in range(3): a.mm(b)
t0 = time.perf_counter()
for _ in range(10): a.mm(b)
gflops = 2 * 1024 ** 3 / ((time.perf_counter() - t0) / 10) / 1e9
torch.set_num_threads(threads)
if gflops < 30:
    print(json.dumps({"skip": f"torch SGEMM runs at {gflops:.1f} GFLOP/s on one thread (< 30): reference BLAS?"}))
    sys.exit(0)
N, D_in, H, D_out = 64, 1000, 100, 10
torch.manual_seed(0)
x = torch.randn(N, D_in); y = torch.randn(N, D_out)
w1 = torch.randn(D_in, H, requires_grad=True)
w2 = torch.randn(H, D_out, requires_grad=True)
lr = 1e-4
def step():
    h = torch.sigmoid(x.mm(w1))
    y_pred = h.mm(w2)
    loss = (y_pred - y).pow(2).sum()
    w1.grad = None
    w2.grad = None
    loss.backward()
    with torch.no_grad():
        w1.sub_(lr * w1.grad)
        w2.sub_(lr * w2.grad)
    return loss
"""

TIMING = r"""
reps = 1
while True:  # calibrate to about 0.2 s per window
    t0 = time.perf_counter()
    for _ in range(reps):
        step()
    if time.perf_counter() - t0 > 0.2:
        break
    reps *= 2
windows = []
for _ in range(5):
    t0 = time.perf_counter()
    for _ in range(reps):
        step()
    windows.append((time.perf_counter() - t0) / reps)
windows.sort()
print(json.dumps({"us": windows[2] * 1e6, "version": VERSION}))
"""


def anchor_env(threads, torch=False, wait_policy=None):
    """The environment of an anchor's process. NumPy's OpenBLAS (0.3.31) picks its kernels itself,
    so OPENBLAS_CORETYPE is unset for it; Debian's older one under PyTorch misdetects newer cores
    (../shared/BENCHMARKING.md), so a PyTorch run keeps the core type the caller set."""
    env = dict(os.environ)
    # glibc returns every freed array above 128 KiB to the kernel and maps the next one afresh; on
    # these VMs the page faults cost NumPy 2.5x on this loop (1070 -> 430 us). A JVM reuses its heap,
    # so the fair anchor keeps freed memory too.
    env["MALLOC_MMAP_THRESHOLD_"] = str(1 << 30)
    env["MALLOC_TRIM_THRESHOLD_"] = str(1 << 30)
    if not torch:
        env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    env["OMP_NUM_THREADS"] = str(threads)
    if wait_policy is not None:
        env["OMP_WAIT_POLICY"] = wait_policy
    return env


def run_python(python, code, threads, torch=False):
    """Runs an anchor's code and returns its JSON line. PyTorch on more than one thread runs twice, with
    OpenMP's threads spinning (OMP_WAIT_POLICY=active) and sleeping (passive) while they wait, and the
    faster run counts, its policy under "policy": on these VMs spinning made PyTorch's MLP step on two
    threads 2-4 times slower than on one (56-130 against 254-269 steps/s; passive 246-288), and which
    policy wins depends on the machine, so the anchor gets the better one."""
    if not torch or threads == 1:
        return _run_python(python, code, threads, torch, None)
    runs = [dict(_run_python(python, code, threads, torch, policy), policy=policy) for policy in ("active", "passive")]
    timed = [r for r in runs if "skip" not in r]
    if not timed:
        return runs[0]
    key = "us" if "us" in timed[0] else "seconds"
    return min(timed, key=lambda r: float("inf") if r.get(key) is None else r[key])


def _run_python(python, code, threads, torch, wait_policy):
    try:
        res = subprocess.run([python, "-c", code, str(threads)], env=anchor_env(threads, torch, wait_policy),
                             capture_output=True, text=True)
    except FileNotFoundError:
        return {"skip": f"{python} not found"}
    if res.returncode != 0:
        last = (res.stderr.strip().splitlines() or ["no output"])[-1]
        return {"skip": f"failed: {last}"}
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser()
    jmh.add_common_args(ap, rounds=5)
    ap.add_argument("--torch-python", default="/usr/bin/python3")
    args = ap.parse_args(argv)

    numpy_code = NUMPY_LOOP + TIMING.replace("VERSION", "'numpy ' + np.__version__")
    torch_code = TORCH_LOOP + TIMING.replace("VERSION", "'torch ' + torch.__version__")
    version = subprocess.run([args.java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    print(f"# {datetime.date.today()}, {platform.node()}, {os.cpu_count()} cores, {version}")
    print(f"# {args.rounds} rounds; each alternates nn (JMH), NumPy and PyTorch; figures are medians over rounds\n")

    times = {}
    alloc = {}
    notes = {}
    for rnd in range(args.rounds):
        for threads in (1, 2):
            res = jmh.run(args.java, args.jar, "TwoLayerBenchmark", extra=["-wi", "3", "-i", "5", "-w", "1", "-r", "1"],
                          threads=threads)
            for (name, _, _), r in res.items():
                times.setdefault((name, threads), []).append(r.score)
                alloc.setdefault((name, threads), []).append(r.alloc)
            for label, python, code in (("NumPy", sys.executable, numpy_code),
                                        ("PyTorch", args.torch_python, torch_code)):
                r = run_python(python, code, threads, torch=label == "PyTorch")
                if "skip" in r:
                    notes[label] = r["skip"]
                else:
                    times.setdefault((label, threads), []).append(r["us"])
                    notes.setdefault(label + " version", r["version"])
        print(f"# round {rnd + 1} done", file=sys.stderr)

    # With the benchmark JVMs' flags (jmh.FORK_FLAGS: a fixed, pre-touched heap), like every other Interleaved run.
    interleaved = {threads: jmh.run_interleaved(args.java, args.jar, "dev.nn.bench.TwoLayerBenchmark", "autograd",
                                                "handWritten", 20, threads).text
                   for threads in (1, 2)}

    for key, note in notes.items():
        print(f"# {key}: {note}")
    print("\n## The lecture's two-layer network, one SGD step, µs (median over rounds)\n")
    print("Ratios are time ÷ the other's time: below 1 is faster.\n")
    print("| threads | nn hand-written | nn autograd | autograd ÷ hand-written | NumPy | autograd ÷ NumPy"
          " | PyTorch autograd | autograd ÷ PyTorch |")
    print("|---|---|---|---|---|---|---|---|")
    for threads in (1, 2):
        hand = median(times.get(("handWritten", threads), []))
        auto = median(times.get(("autograd", threads), []))
        numpy = median(times.get(("NumPy", threads), []))
        torch = median(times.get(("PyTorch", threads), []))
        print(f"| {threads} | {hand:.0f} | {auto:.0f} | {auto / hand:.3f} | {numpy:.0f} | {auto / numpy:.2f} | "
              f"{torch:.0f} | {auto / torch:.2f} |")
    print("\nnn allocated per step (JMH's GC profiler): " + "; ".join(
        f"{name} {jmh.bytes_text(median(alloc.get((name, 1), [])))} (1t), "
        f"{jmh.bytes_text(median(alloc.get((name, 2), [])))} (2t)" for name in ("handWritten", "autograd")))
    print("\nautograd ÷ hand-written, alternating 300 ms windows in one JVM (dev.nn.bench.Interleaved):")
    for threads in (1, 2):
        print(f"- {threads} thread(s): {interleaved[threads]}")
    print("\nPer-round ratios autograd ÷ hand-written from the JMH runs (one after the other):")
    for threads in (1, 2):
        pairs = zip(times.get(("autograd", threads), []), times.get(("handWritten", threads), []))
        print(f"- {threads} thread(s): " + ", ".join(f"{a / h:.3f}" for a, h in pairs))
    return {name: {t: median(times.get((name, t), [])) for t in (1, 2)}
            for name in ("handWritten", "autograd", "NumPy", "PyTorch")} | {"interleaved": interleaved}


if __name__ == "__main__":
    main()
