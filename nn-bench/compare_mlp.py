#!/usr/bin/env python3
"""Training steps per second of the MNIST-shaped MLP (784-512-256-10, ReLU, cross-entropy, Adam lr 1e-3,
batch 128): nn through Trainer (MlpTrainingBenchmark, JMH) beside PyTorch CPU, alternating, at 1 and 2
threads. Prints medians, ratios, nn's bytes allocated per step (JMH's GC profiler), and before each
round's two-thread run how far apart the two cores are (CoreToCore): on some VMs that decides the second
thread's worth.

Usage (from the repository root, after `./mvnw -q -pl nn-bench -am package -DskipTests`):

    python3 nn-bench/compare_mlp.py [--rounds 5] [--java /path/to/java] [--torch-python /usr/bin/python3]

PyTorch is skipped, with a message, when absent or when its SGEMM is on the reference BLAS.
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jmh  # noqa: E402
from compare_numpy import median  # noqa: E402
from compare_twolayer import TIMING, run_python  # noqa: E402

# Imports torch and stops with a "skip" line where its SGEMM is on the reference BLAS (no fair anchor).
TORCH_WITH_BLAS = r"""
import json, sys, time
import torch
threads = int(sys.argv[1])
torch.set_num_threads(1)
a = torch.randn(1024, 1024); b = torch.randn(1024, 1024)
for _ in range(3): a.mm(b)
t0 = time.perf_counter()
for _ in range(10): a.mm(b)
gflops = 2 * 1024 ** 3 / ((time.perf_counter() - t0) / 10) / 1e9
if gflops < 30:
    print(json.dumps({"skip": f"torch SGEMM runs at {gflops:.1f} GFLOP/s on one thread (< 30): reference BLAS?"}))
    sys.exit(0)
"""

# The line dev.nn.bench.CoreToCore prints; its median is the first number (CoreToCoreTest checks the form).
CORE_TO_CORE = re.compile(r"^([0-9]+) ns round trip")


def core_to_core(java, jar):
    """The cores' distance just before a two-thread run: a cache line's round trip in ns, or None."""
    run = subprocess.run(jmh.java_command(java, jar, "dev.nn.bench.CoreToCore"), capture_output=True, text=True)
    m = CORE_TO_CORE.search(run.stdout)
    return int(m.group(1)) if m else None


TORCH_MLP = TORCH_WITH_BLAS + r"""
torch.set_num_threads(threads)
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 256), torch.nn.ReLU(),
                            torch.nn.Linear(256, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
data = torch.rand(128 * 20, 784)
labels = torch.randint(0, 10, (128 * 20,))
state = {"i": 0}
# nn's Trainer takes each batch from a DataLoader that shuffles every epoch (20 batches here) and
# copies the batch's rows out; so does this loop, as torch_mnist.py's does (not views of slices).
def step():
    i = state["i"]
    state["i"] = (i + 1) % 20
    if i == 0:
        state["order"] = torch.randperm(len(data))
    rows = state["order"][i * 128:(i + 1) * 128]
    x = data[rows]
    y = labels[rows]
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    return loss
"""


def main(argv=None):
    ap = argparse.ArgumentParser()
    jmh.add_common_args(ap, rounds=5)
    ap.add_argument("--torch-python", default="/usr/bin/python3")
    args = ap.parse_args(argv)
    jmh.print_header(args, "nn (JMH) and PyTorch")
    ours, theirs, alloc, notes, policies, distance = {}, {}, {}, {}, {}, []
    code = TORCH_MLP + TIMING.replace("VERSION", "'torch ' + torch.__version__")
    for rnd in range(args.rounds):
        for threads in (1, 2):
            if threads == 2:
                distance.append(core_to_core(args.java, args.jar))
            r = jmh.run(args.java, args.jar, "MlpTrainingBenchmark", extra=["-wi", "3", "-i", "5", "-w", "2", "-r", "2"],
                        threads=threads)[("trainStep", None, None)]
            ours.setdefault(threads, []).append(1e6 / r.score)
            alloc.setdefault(threads, []).append(r.alloc)
            r = run_python(args.torch_python, code, threads, torch=True)
            if "skip" in r:
                notes["PyTorch"] = r["skip"]
            else:
                theirs.setdefault(threads, []).append(1e6 / r["us"])
                notes.setdefault("PyTorch version", r["version"])
                if "policy" in r:
                    policies.setdefault(threads, []).append(r["policy"])
        print(f"# round {rnd + 1} done", file=sys.stderr)
    for t, p in policies.items():
        notes[f"PyTorch's OpenMP wait policy on {t} threads, the faster each round"] = ", ".join(p)
    for k, v in notes.items():
        print(f"# {k}: {v}")
    print("\n## MNIST-shaped MLP through Trainer, training steps per second (median over rounds)\n")
    print("| threads | nn steps/s | PyTorch steps/s | nn ÷ PyTorch | nn bytes allocated per step |")
    print("|---|---|---|---|---|")
    for t in (1, 2):
        o, p = median(ours.get(t, [])), median(theirs.get(t, []))
        print(f"| {t} | {o:.0f} | {p:.0f} | {o / p:.2f} | {jmh.bytes_text(median(alloc[t]))} |")
    print("\nPer-round ratios nn ÷ PyTorch:")
    for t in (1, 2):
        print(f"- {t} thread(s): " + ", ".join(f"{a / b:.2f}" for a, b in zip(ours.get(t, []), theirs.get(t, []))))
    print("\nThe cores' distance before each round's two-thread nn run (CoreToCore, ns per cache-line round trip;"
          " about 65-75 within one core complex, 220-400 across dies on the Zen 4 VMs): "
          + ", ".join("?" if d is None else str(d) for d in distance)
          + ".\nnn's two threads / one thread, each round: "
          + ", ".join(f"{b / a:.2f}" for a, b in zip(ours.get(1, []), ours.get(2, []))))
    return {"nn": {t: median(ours.get(t, [])) for t in (1, 2)}, "PyTorch": {t: median(theirs.get(t, [])) for t in (1, 2)},
            "alloc": {t: median(alloc.get(t, [])) for t in (1, 2)}}


if __name__ == "__main__":
    main()
