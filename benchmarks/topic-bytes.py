#!/usr/bin/env python3
"""Records and bytes written per topic, read from a Kafka log directory's segment headers (no broker needed).

Usage: python3 benchmarks/topic-bytes.py <data dir>/kafka [N]
Prints the N topics (default 30) with the most bytes: megabytes, records, bytes per record, batches, records per
batch and transaction markers. Data batches only count; control batches (commit/abort markers) are counted apart.
Segments deleted by retention or rewritten by compaction are not seen: run it on a fresh instance's data dir.
"""
import collections
import glob
import os
import struct
import sys


def main(root, top):
    totals = collections.defaultdict(lambda: [0, 0, 0, 0])  # records, bytes, batches, control batches
    for partition_dir in glob.glob(os.path.join(root, '*/')):
        topic = os.path.basename(partition_dir.rstrip('/')).rsplit('-', 1)[0]
        for segment in glob.glob(os.path.join(partition_dir, '*.log')):
            with open(segment, 'rb') as f:
                data = f.read()
            i = 0
            # Record batch v2: baseOffset int64, batchLength int32, leaderEpoch int32, magic int8, crc int32,
            # attributes int16 (bit 5: control batch), ... recordCount int32 at byte 57.
            while i + 61 <= len(data):
                _, length = struct.unpack('>qi', data[i:i + 12])
                attributes = struct.unpack('>h', data[i + 21:i + 23])[0]
                count = struct.unpack('>i', data[i + 57:i + 61])[0]
                t = totals[topic]
                if attributes & 0x20:
                    t[3] += 1
                else:
                    t[0] += count
                    t[1] += length + 12
                    t[2] += 1
                i += length + 12
    print(f"{'MB':>8} {'records':>9} {'B/rec':>6} {'batches':>8} {'rec/batch':>9} {'markers':>7}  topic")
    for topic, (n, b, batches, markers) in sorted(totals.items(), key=lambda x: -x[1][1])[:top]:
        print(f"{b / 1e6:8.1f} {n:9d} {b / max(n, 1):6.0f} {batches:8d} {n / max(batches, 1):9.1f} {markers:7d}  {topic}")


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 30)
