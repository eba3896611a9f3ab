"""Runs nn's JMH benchmarks (nn-bench/target/benchmarks.jar) for the comparison scripts.

Every run goes through run() so all of them are measured the same way: the fixed JVM flags are in
each benchmark's @Fork(jvmArgs); the thread count goes in as -Dnn.threads through -jvmArgsAppend; JMH's
GC profiler is always on, so every figure comes with the bytes its operation allocated.
"""
import collections
import datetime
import json
import os
import platform
import re
import subprocess
import tempfile

Result = collections.namedtuple("Result", "score alloc")   # score in the benchmark's unit; alloc in bytes/op

# The fixed flags of every benchmark's @Fork(jvmArgs), for the JVMs the scripts start themselves.
FORK_FLAGS = ["--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"]

# dev.nn.bench.Interleaved's one line: each method's median µs/op, then the median ratio A ÷ B and its quartiles.
Interleaved = collections.namedtuple("Interleaved", "a_us b_us ratio lower upper text")
INTERLEAVED_LINE = re.compile(r"\w+ ([0-9.]+) us/op, \w+ ([0-9.]+) us/op, ratio ([0-9.]+) "
                              r"\(quartiles ([0-9.]+), ([0-9.]+)\)")


def add_common_args(ap, rounds):
    """Adds the options every runner takes: --rounds, --java (JDK 25 unless JAVA_HOME says otherwise), --jar."""
    ap.add_argument("--rounds", type=int, default=rounds)
    ap.add_argument("--java", default=os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"),
                                                   "bin", "java"))
    ap.add_argument("--jar", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "target",
                                                  "benchmarks.jar"))


def cpu():
    """The processor, as /proc/cpuinfo names it: model name, vendor, family and model (figures depend on it)."""
    fields = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields.setdefault(key.strip(), value.strip())
                if not line.strip():
                    break
    except OSError:
        return "unknown processor"
    return (f"{fields.get('model name', '?')} ({fields.get('vendor_id', '?')}, family {fields.get('cpu family', '?')}"
            f" model {fields.get('model', '?')})")


def java_print(java, jar, expression):
    """What a JVM with the benchmarks' module flag prints for a Java expression over the jar's classes ('' if it fails)."""
    src = os.path.join(tempfile.mkdtemp(), "Print.java")
    with open(src, "w") as f:
        f.write(f"public class Print {{ public static void main(String[] a) {{ System.out.println({expression}); }} }}")
    return subprocess.run([java] + FORK_FLAGS[:2] + ["-cp", jar, src], capture_output=True, text=True).stdout.strip()


def nn_kernels(java, jar):
    """nn's kernels and GEMM register tile in a JVM started as the benchmarks' are, such as 'simd(16 lanes), tile 8x32'."""
    return java_print(java, jar, 'dev.nn.core.Backend.defaultBackend().kernels() + ", tile " + '
                                 'dev.nn.core.Backend.defaultBackend().tile()') or "unknown kernels"


def print_header(args, alternation):
    """Prints the lines a comparison's output starts with: date, machine, CPU, JDK and nn's kernels, then how
    its rounds alternate (such as 'nn (JMH) and PyTorch, one thread')."""
    version = subprocess.run([args.java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    print(f"# {datetime.date.today()}, {platform.node()}, {os.cpu_count()} cores, {cpu()}, {version}, "
          f"nn {nn_kernels(args.java, args.jar)}")
    print(f"# {args.rounds} rounds; each alternates {alternation}; medians over rounds\n")


def run(java, jar, regex, params=None, extra=(), threads=None, classpath=None):
    """Runs the benchmarks matching regex; returns {(method, its other param, threads param): Result}."""
    out = {}
    for name, p, result in run_all(java, jar, regex, params, extra, threads, classpath):
        # The second key is the one parameter besides threads (GEMM's shape, inference's batch), if any.
        param = next((v for k, v in sorted(p.items()) if k != "threads"), None)
        out[(name, param, p.get("threads"))] = result
    return out


def run_all(java, jar, regex, params=None, extra=(), threads=None, classpath=None):
    """Runs the benchmarks matching regex; returns [(method, {param: value}, Result)]. With classpath (a
    path list such as nn-bench/target/spark-classpath.txt holds), the JVMs get it beside the jar."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        path = f.name
    start = ["-jar", jar] if classpath is None else ["-cp", jar + os.pathsep + classpath, "org.openjdk.jmh.Main"]
    cmd = [java] + start + [regex, "-prof", "gc", "-rf", "json", "-rff", path] + list(extra)
    if threads is not None:
        cmd += ["-jvmArgsAppend", f"-Dnn.threads={threads}"]
    for key, values in (params or {}).items():
        cmd += ["-p", key + "=" + ",".join(values)]
    try:
        # JMH's own warnings (sun.misc.Unsafe on JDK 24+) go to stderr: shown only when the run fails.
        res = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if res.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stderr[-2000:]}")
        with open(path) as f:
            results = json.load(f)
    finally:
        os.unlink(path)
    out = []
    for r in results:
        alloc = r["secondaryMetrics"]["gc.alloc.rate.norm"]["score"]
        out.append((r["benchmark"].rsplit(".", 1)[1], r.get("params", {}),
                    Result(r["primaryMetric"]["score"], alloc)))
    return out


def bytes_text(b):
    """Bytes per operation for a table: exact below 10 kB, else in kB or MB."""
    if b != b:
        return "-"
    if b < 10_000:
        return f"{b:.0f} B"
    return f"{b / 1e3:.0f} kB" if b < 10_000_000 else f"{b / 1e6:.1f} MB"


def java_command(java, jar, main, args=(), threads=None):
    """The command that runs main from the benchmark jar with FORK_FLAGS (and -Dnn.threads when given)."""
    threads_flag = [f"-Dnn.threads={threads}"] if threads is not None else []
    return [java] + FORK_FLAGS + threads_flag + ["-cp", jar, main] + [str(a) for a in args]


def parse_interleaved(text):
    """Reads the line dev.nn.bench.Interleaved prints (the last line of text)."""
    line = text.strip().splitlines()[-1]
    m = INTERLEAVED_LINE.match(line)
    if not m:
        raise RuntimeError(f"Interleaved printed an unexpected line: {line!r}")
    return Interleaved(*(float(g) for g in m.groups()), line)


def run_interleaved(java, jar, state, a, b, pairs, threads=None):
    """Runs dev.nn.bench.Interleaved on two methods of a benchmark state class; returns its parsed line."""
    out = subprocess.run(java_command(java, jar, "dev.nn.bench.Interleaved", [state, a, b, pairs], threads),
                         capture_output=True, text=True, check=True).stdout
    return parse_interleaved(out)
