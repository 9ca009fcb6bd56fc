"""``make bench``: timings as ratios against a baseline measured in the same run.

Validation of a synthetic masterplan of 2,000 programmes, against a bare libyaml parse
(``yaml.load(..., CSafeLoader)``) of the same files.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from .synth import write_synthetic


def _best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bare_parse(root: Path) -> None:
    for f in sorted(root.rglob("*.yml")):
        yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)


def bench_validate(n: int = 2000) -> dict[str, float]:
    exe = Path(sys.executable).with_name("masterplan")
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic(Path(tmp), programmes=n)
        run = lambda: subprocess.run([str(exe), "validate", str(root)], check=True, capture_output=True)  # noqa: E731
        run()  # warm the file cache
        from .pipeline import load_and_check

        parse = _best(lambda: bare_parse(root))
        cli = _best(run)
        inproc = _best(lambda: load_and_check(root))
        startup = _best(lambda: subprocess.run([str(exe), "--version"], check=True, capture_output=True))
    return {"parse": parse, "cli": cli, "inproc": inproc, "startup": startup}


def main() -> None:
    print("masterplan benchmark (best of 5; ratios against a baseline of the same run)")
    r = bench_validate()
    print(f"\nvalidate, 2,000 programmes")
    print(f"  bare libyaml parse (baseline)    {r['parse']:7.3f} s   1.00x")
    print(f"  masterplan validate (CLI, wall)  {r['cli']:7.3f} s   {r['cli'] / r['parse']:.2f}x   target <= 2.5x and <= 2 s")
    print(f"  load + check in process          {r['inproc']:7.3f} s   {r['inproc'] / r['parse']:.2f}x")
    print(f"  CLI start-up alone               {r['startup']:7.3f} s")
    ok = r["cli"] <= 2.0 and r["cli"] / r["parse"] <= 2.5
    print(f"  {'PASS' if ok else 'FAIL'}")
    _ = statistics


if __name__ == "__main__":
    main()
