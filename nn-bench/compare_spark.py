#!/usr/bin/env python3
"""Training on Spark beside the plain Trainer (SparkBenchmark, JMH): one epoch of random MNIST-sized data
through the MLP 784-256-10 with Adam and global batch 1,024, by the Trainer on 1 and 2 nn threads and by
nn-spark's DataParallel on local[1] and local[2], synchronous (a round per step) and with 8 local steps
per round. Prints medians over rounds of samples/s, the time of a round (of a step, for the Trainer),
the ratio to the Trainer on as many cores, and one synchronous round against one step's compute.

Usage (from the repository root, after `./mvnw -q -DskipTests install`, which also writes Spark's
class path to nn-bench/target/spark-classpath.txt: Spark is provided, not in benchmarks.jar):

    python3 nn-bench/compare_spark.py [--rounds 3] [--java /path/to/java]

Spark tasks compute on as many nn threads as Spark gives each task (spark.task.cpus, 1 here), as on a
cluster's executors; the Trainer runs on its own backend of 1 or 2 threads.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jmh  # noqa: E402
from compare_numpy import median  # noqa: E402

# SparkBenchmark's constants.
SAMPLES = 32_768
BATCH = 1024
PARAMETERS = 784 * 256 + 256 + 256 * 10 + 10
ROUNDS = {"trainer": SAMPLES // BATCH, "sync": SAMPLES // BATCH, "local8": SAMPLES // BATCH // 8}
MODES = (("trainer", "Trainer, one JVM (time of a step)"), ("sync", "Spark, synchronous: a round per step"),
         ("local8", "Spark, 8 local steps per round"))


def main(argv=None):
    ap = argparse.ArgumentParser()
    jmh.add_common_args(ap, rounds=3)
    ap.add_argument("--classpath-file", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "target",
                                                             "spark-classpath.txt"))
    args = ap.parse_args(argv)
    if not os.path.exists(args.classpath_file):
        print(f"compare_spark: {args.classpath_file} not found; build first: ./mvnw -q -DskipTests install")
        return 2
    with open(args.classpath_file) as f:
        classpath = f.read().strip()
    jmh.print_header(args, "the Trainer and Spark on 1 and 2 cores in one JMH invocation")
    per_sample = {}
    for rnd in range(args.rounds):
        for name, p, r in jmh.run_all(args.java, args.jar, "SparkBenchmark", classpath=classpath):
            per_sample.setdefault((p["mode"], int(p["slots"])), []).append(r.score)
        print(f"# round {rnd + 1} done", file=sys.stderr)
    print(f"MLP 784-256-10: {PARAMETERS:,} parameters, {PARAMETERS * 4 / 1e6:.2f} MB as float32 (what a round"
          f" broadcasts and each partition sends back); {SAMPLES:,} samples, global batch {BATCH:,}, Adam.\n")
    print("| mode | cores | samples/s | ms per round | rounds per epoch | ÷ Trainer's samples/s, same cores |")
    print("|---|---|---|---|---|---|")
    rate = {k: 1e6 / median(v) for k, v in per_sample.items()}
    for mode, text in MODES:
        for slots in (1, 2):
            if (mode, slots) not in rate:
                continue
            ms = median(per_sample[(mode, slots)]) * SAMPLES / ROUNDS[mode] / 1e3
            ratio = rate[(mode, slots)] / rate[("trainer", slots)] if ("trainer", slots) in rate else float("nan")
            where = f"local[{slots}]" if mode != "trainer" else f"{slots} thread{'s' if slots > 1 else ''}"
            print(f"| {text} | {where} | {rate[(mode, slots)]:,.0f} | {ms:.1f} | {ROUNDS[mode]} | {ratio:.2f} |")
    print()
    for slots in (1, 2):
        if ("sync", slots) in rate and ("trainer", slots) in rate:
            round_ms = median(per_sample[("sync", slots)]) * BATCH / 1e3
            step_ms = median(per_sample[("trainer", slots)]) * BATCH / 1e3
            print(f"- local[{slots}]: one synchronous round {round_ms:.1f} ms against one step's compute"
                  f" {step_ms:.1f} ms on {slots} core(s): the round costs {round_ms / step_ms:.1f} steps"
                  f" ({round_ms - step_ms:.1f} ms of Spark per round).")
    print("\nPer-round samples/s:")
    for (mode, slots), values in sorted(per_sample.items()):
        print(f"- {mode} {slots}: " + ", ".join(f"{1e6 / v:,.0f}" for v in values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
