#!/usr/bin/env python3
"""End to end: seconds to a test accuracy on MNIST (98% unless --target says otherwise), the examples' `mnist
--target` beside PyTorch's run of the same recipe (torch_mnist.py), two threads each, in turn for --rounds
rounds. Both do the same work at each epoch's end (the held-out images' loss and accuracy, early stopping,
a checkpoint forced to disk when the validation accuracy improves, the test accuracy); the part of
PyTorch's time spent on the first three is printed. Loading the files is not timed on either side. Prints
each run's seconds, the medians and their ratio, each round's ratio with how far apart the two cores were
before it (CoreToCore: on the 2-core VMs the host moves them between one core complex and two dies within
minutes), and nn's first epoch, which is mostly the JIT's. PyTorch runs twice a round, its OpenMP threads
spinning and then sleeping while they wait, and the faster run counts (compare_twolayer.run_python). One
run of each is not a measurement: on these machines either side moved by a third from one run to the next.

Usage (from the repository root, after `./mvnw -q -DskipTests install`):

    python3 nn-bench/compare_mnist.py [--rounds 4] [--mnist DIR] [--java /path/to/java] [--torch-python /usr/bin/python3]

PyTorch is skipped, with a message, when absent or when its SGEMM is on the reference BLAS.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import jmh  # noqa: E402
from compare_mlp import TORCH_WITH_BLAS, core_to_core  # noqa: E402
from compare_numpy import median  # noqa: E402
from compare_twolayer import run_python  # noqa: E402

THREADS = 2
NN_TIME = re.compile(r"time to [0-9.]+% test accuracy: ([0-9.]+) s")
NN_EPOCH = re.compile(r"epoch \d+/\d+: .*, ([0-9.]+) s$", re.M)


def nn_run(java, examples_jar, data, target):
    """One run of the examples' mnist: (seconds to the target or None, [seconds of each epoch])."""
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run([java, "--add-modules", "jdk.incubator.vector", f"-Dnn.threads={THREADS}", "-jar",
                              examples_jar, "mnist", "--data", data, "--target", str(target), "--out", out],
                             capture_output=True, text=True)
    text = run.stdout + "\n" + run.stderr
    m = NN_TIME.search(text)
    return (float(m.group(1)) if m else None), [float(s) for s in NN_EPOCH.findall(text)]


def torch_code(data, target):
    """torch_mnist.py with its arguments filled in, after the check that PyTorch's SGEMM is on a real BLAS."""
    with open(os.path.join(HERE, "torch_mnist.py")) as f:
        script = f.read()
    script = script.replace("sys.argv[1], float(sys.argv[2]), int(sys.argv[3])", f"{data!r}, {target}, {THREADS}")
    return TORCH_WITH_BLAS + script


def seconds_text(values):
    return ", ".join("not reached" if v is None else f"{v:.1f}" for v in values)


def main(argv=None):
    root = os.path.dirname(HERE)
    ap = argparse.ArgumentParser()
    jmh.add_common_args(ap, rounds=4)
    ap.add_argument("--examples-jar", default=os.path.join(root, "nn-examples", "target", "nn-examples.jar"))
    ap.add_argument("--torch-python", default="/usr/bin/python3")
    ap.add_argument("--mnist", default=os.path.join(root, "..", "shared", "datasets", "mnist"))
    ap.add_argument("--target", type=float, default=0.98)
    args = ap.parse_args(argv)
    if not os.path.isdir(args.mnist) or not os.path.exists(args.examples_jar):
        print(f"skipped: no MNIST files at {args.mnist}, or {args.examples_jar} not built")
        return {"nn": None, "PyTorch": None}
    jmh.print_header(args, f"nn (the examples' mnist) and PyTorch (torch_mnist.py), {THREADS} threads each")
    code = torch_code(args.mnist, args.target)
    nn, torch, first, distance, policies, validation, note = [], [], [], [], [], [], None
    for rnd in range(args.rounds):
        distance.append(core_to_core(args.java, args.jar))
        seconds, epochs = nn_run(args.java, args.examples_jar, args.mnist, args.target)
        nn.append(seconds)
        first.append(epochs[0] if epochs else None)
        r = run_python(args.torch_python, code, THREADS, torch=True)
        if "skip" in r:
            note = r["skip"]
        else:
            torch.append(r.get("seconds"))
            policies.append(r.get("policy", "?"))
            validation.append(r.get("validation_seconds"))
        print(f"# round {rnd + 1} done", file=sys.stderr)
    distance.append(core_to_core(args.java, args.jar))
    if note:
        torch = []                          # a round that skipped PyTorch leaves no comparison
        print(f"# PyTorch: {note}")
    elif policies:
        print(f"# PyTorch's OpenMP wait policy, the faster each round: {', '.join(policies)}")
    pct = f"{100 * args.target:g}%"
    print(f"\n## End to end: seconds to {pct} MNIST test accuracy, {THREADS} threads each (median over rounds)\n")
    print(f"| | seconds to {pct}, each round | median |")
    print("|---|---|---|")
    reached_nn = [v for v in nn if v is not None]
    reached_torch = [v for v in torch if v is not None]
    nn_median = median(reached_nn) if reached_nn else None
    torch_median = median(reached_torch) if reached_torch else None
    print(f"| nn | {seconds_text(nn)} | {seconds_text([nn_median])} |")
    if torch:
        print(f"| PyTorch | {seconds_text(torch)} | {seconds_text([torch_median])} |")
    print()
    if nn_median is not None and torch_median is not None:
        rounds = ", ".join("?" if a is None or b is None else f"{a / b:.2f}" for a, b in zip(nn, torch))
        print(f"nn ÷ PyTorch, medians: {nn_median / torch_median:.2f}; each round: {rounds}.")
    print("The cores' distance before each round and after the last (CoreToCore, ns per cache-line round trip;"
          " about 65-75 within one core complex, 220-400 across dies on the Zen 4 VMs): "
          + ", ".join("?" if d is None else str(d) for d in distance) + ".")
    print(f"nn's first epoch, each round: {seconds_text(first)} s.")
    if torch:
        print("Of PyTorch's seconds, the held-out images and the checkpoints, each round: "
              + ", ".join("?" if v is None else f"{v:.2f}" for v in validation) + " s.")
    return {"nn": nn_median, "PyTorch": torch_median}


if __name__ == "__main__":
    main()
