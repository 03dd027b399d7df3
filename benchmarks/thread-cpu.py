#!/usr/bin/env python3
"""CPU per thread of one process and per process on the machine, over a window, read from /proc (Linux only).

Usage: python3 benchmarks/thread-cpu.py <pid> [seconds]
Prints, for the window (default 60 s): the process's threads grouped by name (numbers in names folded, so that
"StreamThread-1" and "StreamThread-2" add up), then every process that used CPU, in cores (CPU seconds / window).
This is how docs/benchmarks.md's per-thread figures of `careweave up` were taken: start `careweave up`, start the
load (`LoadBenchmark --port 2575 --connections 16 --rate 400 --seconds 240 --seed 7 --jvm-warmup 0 --warmup 0`), and
150 s into it run this with the careweave JVM's pid for 60 s. Only reads /proc; prints thread and command names.
"""
import collections
import os
import re
import sys
import time

TICKS = os.sysconf('SC_CLK_TCK')


def cpu_ticks(stat_path):
    fields = open(stat_path).read().rsplit(')', 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def threads(pid):
    out = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            name = open(f'/proc/{pid}/task/{tid}/comm').read().strip()
            out[tid] = (name, cpu_ticks(f'/proc/{pid}/task/{tid}/stat'))
        except OSError:
            pass  # the thread ended meanwhile
    return out


def processes():
    out = {}
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            stat = open(f'/proc/{pid}/stat').read()
            name = stat[stat.index('(') + 1:stat.rindex(')')]
            if name == 'java':
                name = java_name(open(f'/proc/{pid}/cmdline').read().split('\0'))
            out[pid] = (name, cpu_ticks(f'/proc/{pid}/stat'))
        except OSError:
            pass
    return out


def java_name(args):
    """'java -jar careweave.jar up' or 'java <main class>': what tells the JVMs apart."""
    if '-jar' in args:
        i = args.index('-jar')
        return ' '.join(['java -jar', os.path.basename(args[i + 1])] + args[i + 2:i + 3])
    rest = iter(args[1:])
    for arg in rest:
        if arg in ('-cp', '-classpath', '--class-path'):
            next(rest, None)
        elif arg and not arg.startswith('-'):
            return 'java ' + arg
    return 'java'


def report(title, before, after, seconds, fold):
    used = collections.Counter()
    for key, (name, ticks) in after.items():
        used[fold(name)] += ticks - before.get(key, (name, 0))[1]
    print(f'{title}: {sum(used.values()) / TICKS / seconds:.3f} cores')
    for name, ticks in used.most_common(25):
        if ticks > 0:
            print(f'  {ticks / TICKS / seconds:6.3f}  {name}')


def main(pid, seconds):
    threads_before, processes_before = threads(pid), processes()
    time.sleep(seconds)
    threads_after, processes_after = threads(pid), processes()
    report(f'process {pid}, by thread name', threads_before, threads_after, seconds,
           lambda name: re.sub(r'\d+', 'N', name))
    report('machine, by process', processes_before, processes_after, seconds, lambda name: name)


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 60.0)
