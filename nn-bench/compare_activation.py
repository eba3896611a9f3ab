#!/usr/bin/env python3
"""Activations forward and backward over a [128, 512] batch, then sum().backward(): nn's built-in ReLU,
SiLU and GELU, swish composed of built-ins, and the identity (the graph's and the sum's share), beside
PyTorch CPU's same passes, alternating, on one thread; then swish declared by the user (two scalar lambdas, or with
FloatVector forms) beside nn's built-in SiLU, with 0, 2 and 10 other user activations of each form alive
(ActivationBenchmark). Prints medians of microseconds per pass, the ratios and nn's bytes allocated per pass.

Usage (from the repository root, after `./mvnw -q -pl nn-bench -am package -DskipTests`):

    python3 nn-bench/compare_activation.py [--rounds 3] [--java /path/to/java] [--torch-python /usr/bin/python3]

PyTorch is skipped, with a message, when absent.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jmh  # noqa: E402
from compare_numpy import median  # noqa: E402
from compare_twolayer import TIMING, run_python  # noqa: E402

BUILT_INS = ("relu", "silu", "gelu", "swishComposed", "identity")
CUSTOM = ("swishLambdas", "swishVectors")
OTHERS = ("0", "2", "10")
NAMES = {"relu": "ReLU", "silu": "SiLU", "gelu": "GELU (exact)", "swishComposed": "swish composed, x·σ(x)",
         "identity": "identity",
         "swishLambdas": "swish from two scalar lambdas", "swishVectors": "swish with FloatVector forms"}

TORCH_PASS = r"""
import json, sys, time
import torch
torch.set_num_threads(1)
torch.manual_seed(0)
x = torch.randn(128, 512, requires_grad=True)
F = torch.nn.functional
f = {"relu": torch.relu, "silu": F.silu, "gelu": F.gelu, "swishComposed": lambda v: v * torch.sigmoid(v),
     "identity": lambda v: v}[NAME]
def step():
    x.grad = None
    f(x).sum().backward()
    return x.grad
"""


def main(argv=None):
    ap = argparse.ArgumentParser()
    jmh.add_common_args(ap, rounds=3)
    ap.add_argument("--torch-python", default="/usr/bin/python3")
    args = ap.parse_args(argv)
    jmh.print_header(args, "nn (JMH) and PyTorch, one thread")
    ours, theirs, alloc, notes = {}, {}, {}, {}
    for rnd in range(args.rounds):
        for names, others in ((BUILT_INS, ("0",)), (CUSTOM, OTHERS)):
            res = jmh.run(args.java, args.jar, "ActivationBenchmark\\.(" + "|".join(names) + ")$",
                          params={"others": others}, threads=1)
            for (name, other, _), r in res.items():
                ours.setdefault((name, other), []).append(r.score)
                alloc.setdefault((name, other), []).append(r.alloc)
        for name in BUILT_INS:
            code = TORCH_PASS.replace("NAME", repr(name)) + TIMING.replace("VERSION", "'torch ' + torch.__version__")
            r = run_python(args.torch_python, code, 1, torch=True)
            if "skip" in r:
                notes["PyTorch"] = r["skip"]
            else:
                theirs.setdefault(name, []).append(r["us"])
                notes.setdefault("PyTorch version", r["version"])
        print(f"# round {rnd + 1} done", file=sys.stderr)
    for k, v in notes.items():
        print(f"# {k}: {v}")
    print("\n## Built-in activations, forward + backward of [128, 512] then sum().backward(), one thread, "
          "µs per pass (median over rounds)\n")
    print("| activation | nn µs | PyTorch µs | nn ÷ PyTorch (time) | nn bytes allocated per pass |")
    print("|---|---|---|---|---|")
    out = {}
    for name in BUILT_INS:
        o, p = median(ours.get((name, "0"), [])), median(theirs.get(name, []))
        print(f"| {NAMES[name]} | {o:.1f} | {p:.1f} | {o / p:.2f} | {jmh.bytes_text(median(alloc[(name, '0')]))} |")
        out[name] = (o, p)
    silu = median(ours.get(("silu", "0"), []))
    print("\n## A user's swish beside the built-in SiLU, other user activations alive (each form), µs per pass\n")
    print("| swish declared as | others alive | nn µs | ÷ built-in SiLU (time) | nn bytes allocated per pass |")
    print("|---|---|---|---|---|")
    for name in CUSTOM:
        for others in OTHERS:
            o = median(ours.get((name, others), []))
            print(f"| {NAMES[name]} | {others} | {o:.1f} | {o / silu:.2f} | "
                  f"{jmh.bytes_text(median(alloc[(name, others)]))} |")
            out[(name, others)] = (o, silu)
    return out


if __name__ == "__main__":
    main()
