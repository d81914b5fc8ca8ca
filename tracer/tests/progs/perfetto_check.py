"""Reads a Perfetto trace with Perfetto's own protos (PyPI `perfetto`) and prints what it
holds as JSON: processes and threads (from their track descriptors), slices per name,
instants per name, categories, annotations, and whether every slice that begins ends on
its own track. Used by the tracer's e2e test of --perfetto."""
import collections
import json
import sys

from perfetto.protos.perfetto.trace import perfetto_trace_pb2 as pb

trace = pb.Trace()
with open(sys.argv[1], "rb") as f:
    trace.ParseFromString(f.read())

processes, threads, tracks = {}, {}, {}
slices, instants, categories = collections.Counter(), collections.Counter(), collections.Counter()
open_slices = collections.Counter()
balanced = True
annotated = 0
seq = set()
last_ts = collections.defaultdict(int)
for p in trace.packet:
    seq.add(p.trusted_packet_sequence_id)
    if p.HasField("track_descriptor"):
        d = p.track_descriptor
        tracks[d.uuid] = d
        if d.HasField("process"):
            processes[d.process.pid] = d.process.process_name
        if d.HasField("thread"):
            threads[d.thread.tid] = [d.thread.pid, d.thread.thread_name, d.parent_uuid]
    if p.HasField("track_event"):
        e = p.track_event
        if e.track_uuid not in tracks:
            balanced = False
        for c in e.categories:
            categories[c] += 1
        if e.type == pb.TrackEvent.TYPE_SLICE_BEGIN:
            slices[e.name] += 1
            open_slices[e.track_uuid] += 1
            names = {a.name for a in e.debug_annotations}
            if {"args", "ret", "result"} <= names:
                annotated += 1
        elif e.type == pb.TrackEvent.TYPE_SLICE_END:
            open_slices[e.track_uuid] -= 1
            if open_slices[e.track_uuid] < 0:
                balanced = False
        elif e.type == pb.TrackEvent.TYPE_INSTANT:
            instants[e.name] += 1
            names = {a.name for a in e.debug_annotations}
            if {"args", "ret", "result"} <= names:
                annotated += 1
balanced = balanced and all(v == 0 for v in open_slices.values())
# A thread's parent track is its process's.
parents_ok = all(
    t[2] in tracks and tracks[t[2]].HasField("process") and tracks[t[2]].process.pid == t[0]
    for t in threads.values()
)
print(json.dumps({
    "processes": {str(k): v for k, v in processes.items()},
    "threads": {str(k): v[:2] for k, v in threads.items()},
    "slices": slices,
    "instants": instants,
    "categories": categories,
    "annotated": annotated,
    "balanced": balanced,
    "parents_ok": parents_ok,
    "sequences": len(seq),
}))
