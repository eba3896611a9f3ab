#!/usr/bin/env python3
"""Answering requests: the no-grad forward of the MNIST MLP (784-512-256-10, ReLU) at batch 1, 4, 16
and 64, and of the spiral network (2-100-3, ReLU), nn (InferenceBenchmark, JMH) beside PyTorch CPU
under torch.inference_mode(), alternating, on one thread. Prints medians of microseconds per forward,
the ratio nn ÷ PyTorch (time: below 1 is faster), and nn's bytes allocated per forward. Beside batch 1, the
floor under it: the time to read the MLP's 2.14 MB of weights and biases once (WeightsReadBenchmark), in
the same rounds.

Usage (from the repository root, after `./mvnw -q -pl nn-bench -am package -DskipTests`):

    python3 nn-bench/compare_inference.py [--rounds 3] [--java /path/to/java] [--torch-python /usr/bin/python3]

PyTorch is skipped, with a message, when absent or when its SGEMM is on the reference BLAS.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jmh  # noqa: E402
from compare_mlp import TORCH_WITH_BLAS  # noqa: E402
from compare_numpy import median  # noqa: E402
from compare_twolayer import TIMING, run_python  # noqa: E402

BATCHES = ("1", "4", "16", "64")
# The MNIST MLP's weights and biases in bytes, as WeightsReadBenchmark.bytes() counts them.
MLP_BYTES = 4 * (784 * 512 + 512 + 512 * 256 + 256 + 256 * 10 + 10)

TORCH_FORWARD = TORCH_WITH_BLAS + r"""
torch.set_num_threads(threads)
torch.manual_seed(0)
L = torch.nn.Linear
if NET == "mlp":
    model = torch.nn.Sequential(L(784, 512), torch.nn.ReLU(), L(512, 256), torch.nn.ReLU(), L(256, 10))
    x = torch.rand(BATCH, 784)
else:
    model = torch.nn.Sequential(L(2, 100), torch.nn.ReLU(), L(100, 3))
    x = torch.rand(BATCH, 2)
model.eval()
def step():
    with torch.inference_mode():
        return model(x)
"""


def main(argv=None):
    ap = argparse.ArgumentParser()
    jmh.add_common_args(ap, rounds=3)
    ap.add_argument("--torch-python", default="/usr/bin/python3")
    args = ap.parse_args(argv)
    jmh.print_header(args, "nn (JMH) and PyTorch, one thread")
    ours, theirs, alloc, notes, floor = {}, {}, {}, {}, []
    for rnd in range(args.rounds):
        res = jmh.run(args.java, args.jar, "InferenceBenchmark", params={"batch": BATCHES}, threads=1)
        for (net, batch, _), r in res.items():
            ours.setdefault((net, batch), []).append(r.score)
            alloc.setdefault((net, batch), []).append(r.alloc)
        floor.append(jmh.run(args.java, args.jar, "WeightsReadBenchmark", threads=1)[("read", None, None)].score)
        for net in ("mlp", "spiral"):
            for batch in BATCHES:
                code = (TORCH_FORWARD.replace("NET", repr(net)).replace("BATCH", batch)
                        + TIMING.replace("VERSION", "'torch ' + torch.__version__"))
                r = run_python(args.torch_python, code, 1, torch=True)
                if "skip" in r:
                    notes["PyTorch"] = r["skip"]
                else:
                    theirs.setdefault((net, batch), []).append(r["us"])
                    notes.setdefault("PyTorch version", r["version"])
        print(f"# round {rnd + 1} done", file=sys.stderr)
    for k, v in notes.items():
        print(f"# {k}: {v}")
    print("\n## No-grad forward, one thread, microseconds per call (median over rounds)\n")
    print("| network | batch | nn µs | PyTorch µs | nn ÷ PyTorch (time) | nn bytes allocated per call |")
    print("|---|---|---|---|---|---|")
    out = {}
    for net in ("mlp", "spiral"):
        for batch in BATCHES:
            o, p = median(ours.get((net, batch), [])), median(theirs.get((net, batch), []))
            name = "MNIST MLP 784-512-256-10" if net == "mlp" else "spiral 2-100-3"
            print(f"| {name} | {batch} | {o:.1f} | {p:.1f} | {o / p:.2f} | {jmh.bytes_text(median(alloc[(net, batch)]))} |")
            out[(net, batch)] = (o, p)
    read = median(floor)
    nn1, torch1 = out[("mlp", "1")]
    out["floor"] = read
    print("\n## The floor at batch 1: reading the MLP's weights once, one thread (median over rounds)\n")
    print("A forward of one row reads every weight and bias once (535,818 floats, 2.14 MB); between requests they"
          " live in L3 or beyond. WeightsReadBenchmark reads arrays of those sizes with eight vector accumulators"
          " and no other work: no forward can be faster.\n")
    print("| | µs | GB/s | ÷ the read |")
    print("|---|---|---|---|")
    print(f"| reading the weights once | {read:.1f} | {MLP_BYTES / read / 1e3:.1f} | 1.00 |")
    print(f"| nn forward, batch 1 | {nn1:.1f} | {MLP_BYTES / nn1 / 1e3:.1f} | {nn1 / read:.2f} |")
    print(f"| PyTorch forward, batch 1 | {torch1:.1f} | {MLP_BYTES / torch1 / 1e3:.1f} | {torch1 / read:.2f} |")
    print(f"| half of PyTorch's time (issue 22's target) | {torch1 / 2:.1f} | {2 * MLP_BYTES / torch1 / 1e3:.1f} |"
          f" {torch1 / 2 / read:.2f} |")
    return out


if __name__ == "__main__":
    main()
