//! `--perfetto FILE`: the trace as a Perfetto timeline (protobuf `Trace` of `TracePacket`s,
//! TrackEvent), for ui.perfetto.dev. One track per thread under its process's track, named
//! by comm and pid; one slice per syscall (entry to exit when durations are known, else an
//! instant at exit) named after the call, with strace's argument text, the result and the
//! errno as annotations; failed calls in category `failed`, the others in `syscall`; exits,
//! signals and lost-record gaps as instants.
//!
//! The protobuf is written by hand (a few messages, field numbers from Perfetto's
//! protos/perfetto/trace/{trace_packet,track_event/*}.proto); tests parse it with Perfetto's
//! own Python protos.
use std::{
    collections::HashMap,
    fs::File,
    io::{self, BufWriter, Write},
    path::Path,
};

use super::{Call, Exit, ExitStatus, Signal};

/// Field numbers.
mod f {
    pub const TRACE_PACKET: u32 = 1;
    // TracePacket
    pub const TIMESTAMP: u32 = 8;
    pub const SEQUENCE_ID: u32 = 10;
    pub const TRACK_EVENT: u32 = 11;
    pub const SEQUENCE_FLAGS: u32 = 13;
    pub const TRACK_DESCRIPTOR: u32 = 60;
    // TrackDescriptor
    pub const UUID: u32 = 1;
    pub const NAME: u32 = 2;
    pub const PROCESS: u32 = 3;
    pub const THREAD: u32 = 4;
    pub const PARENT_UUID: u32 = 5;
    // ProcessDescriptor / ThreadDescriptor
    pub const PID: u32 = 1;
    pub const TID: u32 = 2;
    pub const PROCESS_NAME: u32 = 6;
    pub const THREAD_NAME: u32 = 5;
    // TrackEvent
    pub const DEBUG_ANNOTATIONS: u32 = 4;
    pub const TYPE: u32 = 9;
    pub const TRACK_UUID: u32 = 11;
    pub const CATEGORIES: u32 = 22;
    pub const EVENT_NAME: u32 = 23;
    // DebugAnnotation
    pub const INT_VALUE: u32 = 4;
    pub const STRING_VALUE: u32 = 6;
    pub const ANNOTATION_NAME: u32 = 10;
}

/// TrackEvent.Type.
const SLICE_BEGIN: u64 = 1;
const SLICE_END: u64 = 2;
const INSTANT: u64 = 3;
/// TracePacket.SequenceFlags.SEQ_INCREMENTAL_STATE_CLEARED.
const STATE_CLEARED: u64 = 1;
const SEQUENCE: u64 = 1;
/// The track of lost-record gaps (not a thread's: nobody knows whose records they were).
const LOST_TRACK: u64 = 3 << 40;

fn varint(b: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        b.push(v as u8 | 0x80);
        v >>= 7;
    }
    b.push(v as u8);
}

fn uint(b: &mut Vec<u8>, field: u32, v: u64) {
    varint(b, u64::from(field) << 3);
    varint(b, v);
}

fn bytes(b: &mut Vec<u8>, field: u32, data: &[u8]) {
    varint(b, u64::from(field) << 3 | 2);
    varint(b, data.len() as u64);
    b.extend_from_slice(data);
}

fn msg(b: &mut Vec<u8>, field: u32, f: impl FnOnce(&mut Vec<u8>)) {
    let mut m = Vec::new();
    f(&mut m);
    bytes(b, field, &m);
}

fn annotation_str(b: &mut Vec<u8>, name: &str, value: &str) {
    msg(b, f::DEBUG_ANNOTATIONS, |a| {
        bytes(a, f::ANNOTATION_NAME, name.as_bytes());
        bytes(a, f::STRING_VALUE, value.as_bytes());
    });
}

fn annotation_int(b: &mut Vec<u8>, name: &str, value: i64) {
    msg(b, f::DEBUG_ANNOTATIONS, |a| {
        bytes(a, f::ANNOTATION_NAME, name.as_bytes());
        uint(a, f::INT_VALUE, value as u64);
    });
}

/// The timeline being written.
pub struct Perfetto {
    w: BufWriter<File>,
    first: bool,
    /// Process tracks, with the name they were last described with.
    procs: HashMap<u32, String>,
    /// Thread tracks, with the name they were last described with.
    threads: HashMap<u32, String>,
    lost_track: bool,
}

fn process_uuid(pid: u32) -> u64 {
    1 << 40 | u64::from(pid)
}

fn thread_uuid(tid: u32) -> u64 {
    2 << 40 | u64::from(tid)
}

/// Names of a thread and its process, as the tracer knows them.
pub struct Names<'a> {
    pub thread: Option<&'a str>,
    pub process: Option<&'a str>,
}

impl Perfetto {
    pub fn create(path: &Path) -> io::Result<Self> {
        Ok(Self {
            w: BufWriter::with_capacity(1 << 20, File::create(path)?),
            first: true,
            procs: HashMap::new(),
            threads: HashMap::new(),
            lost_track: false,
        })
    }

    fn packet(&mut self, f: impl FnOnce(&mut Vec<u8>)) -> io::Result<()> {
        let mut p = Vec::with_capacity(256);
        uint(&mut p, f::SEQUENCE_ID, SEQUENCE);
        if std::mem::take(&mut self.first) {
            uint(&mut p, f::SEQUENCE_FLAGS, STATE_CLEARED);
        }
        f(&mut p);
        let mut framed = Vec::with_capacity(p.len() + 4);
        bytes(&mut framed, f::TRACE_PACKET, &p);
        self.w.write_all(&framed)
    }

    /// The process and thread tracks of a task, described the first time it is seen and
    /// again when its name changes (an exec).
    fn tracks(&mut self, tgid: u32, tid: u32, names: &Names) -> io::Result<u64> {
        let name = names.process.unwrap_or("?");
        if self.procs.get(&tgid).map(String::as_str) != Some(name) {
            let name = name.to_string();
            self.procs.insert(tgid, name.clone());
            self.packet(|p| {
                msg(p, f::TRACK_DESCRIPTOR, |d| {
                    uint(d, f::UUID, process_uuid(tgid));
                    msg(d, f::PROCESS, |pd| {
                        uint(pd, f::PID, u64::from(tgid));
                        bytes(pd, f::PROCESS_NAME, name.as_bytes());
                    });
                });
            })?;
        }
        let name = names.thread.unwrap_or("?");
        if self.threads.get(&tid).map(String::as_str) != Some(name) {
            self.threads.insert(tid, name.to_string());
            self.packet(|p| {
                msg(p, f::TRACK_DESCRIPTOR, |d| {
                    uint(d, f::UUID, thread_uuid(tid));
                    uint(d, f::PARENT_UUID, process_uuid(tgid));
                    msg(d, f::THREAD, |td| {
                        uint(td, f::PID, u64::from(tgid));
                        uint(td, f::TID, u64::from(tid));
                        bytes(td, f::THREAD_NAME, name.as_bytes());
                    });
                });
            })?;
        }
        Ok(thread_uuid(tid))
    }

    fn event(
        &mut self,
        ts: u64,
        track: u64,
        ty: u64,
        name: Option<&str>,
        category: Option<&str>,
        body: impl FnOnce(&mut Vec<u8>),
    ) -> io::Result<()> {
        self.packet(|p| {
            uint(p, f::TIMESTAMP, ts);
            msg(p, f::TRACK_EVENT, |e| {
                uint(e, f::TYPE, ty);
                uint(e, f::TRACK_UUID, track);
                if let Some(c) = category {
                    bytes(e, f::CATEGORIES, c.as_bytes());
                }
                if let Some(n) = name {
                    bytes(e, f::EVENT_NAME, n.as_bytes());
                }
                body(e);
            });
        })
    }

    /// A syscall: a slice from entry to exit, or an instant at exit without durations.
    /// Calls without a time (none was recorded) are not placed.
    pub fn call(&mut self, c: &Call, names: &Names) -> io::Result<()> {
        let Some(ts) = c.wall_ns else {
            return Ok(());
        };
        let track = self.tracks(c.tgid, c.tid, names)?;
        let category = if c.errno.is_some() {
            "failed"
        } else {
            "syscall"
        };
        let annotate = |e: &mut Vec<u8>| {
            annotation_str(e, "args", c.args);
            annotation_int(e, "ret", c.ret);
            annotation_str(e, "result", c.ret_text);
            if let Some(errno) = c.errno {
                annotation_str(e, "errno", errno);
            }
        };
        match c.duration_ns {
            Some(d) => {
                self.event(
                    ts,
                    track,
                    SLICE_BEGIN,
                    Some(c.name),
                    Some(category),
                    annotate,
                )?;
                self.event(ts + d, track, SLICE_END, None, None, |_| {})
            }
            None => self.event(ts, track, INSTANT, Some(c.name), Some(category), annotate),
        }
    }

    /// A task's end: `exited with N` or `killed by SIG`.
    pub fn exit(&mut self, e: &Exit, names: &Names) -> io::Result<()> {
        let Some(ts) = e.wall_ns else {
            return Ok(());
        };
        let track = self.tracks(e.tgid, e.tid, names)?;
        let s = ExitStatus::of(e.code);
        let text = match (s.code, s.signal) {
            (Some(c), _) => format!("exited with {c}"),
            (None, Some(sig)) => format!("killed by {sig}"),
            _ => "exited".into(),
        };
        self.event(ts, track, INSTANT, Some(&text), Some("exit"), |_| {})
    }

    /// A signal delivered to a task.
    pub fn signal(&mut self, s: &Signal, names: &Names) -> io::Result<()> {
        let Some(ts) = s.wall_ns else {
            return Ok(());
        };
        let track = self.tracks(s.tgid, s.tid, names)?;
        self.event(ts, track, INSTANT, Some(s.name), Some("signal"), |e| {
            annotation_str(e, "siginfo", s.info);
            annotation_str(e, "action", s.action);
        })
    }

    /// Records the kernel could not deliver, just before `ts`.
    pub fn lost(&mut self, count: u64, ts: Option<u64>) -> io::Result<()> {
        let Some(ts) = ts else {
            return Ok(());
        };
        if !std::mem::replace(&mut self.lost_track, true) {
            self.packet(|p| {
                msg(p, f::TRACK_DESCRIPTOR, |d| {
                    uint(d, f::UUID, LOST_TRACK);
                    bytes(d, f::NAME, b"tracer: lost records");
                });
            })?;
        }
        let name = format!("{count} records lost");
        self.event(ts, LOST_TRACK, INSTANT, Some(&name), Some("lost"), |e| {
            annotation_int(e, "count", count as i64);
        })
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_as_protobuf_writes_them() {
        let mut b = Vec::new();
        varint(&mut b, 300);
        assert_eq!(b, [0xac, 0x02]);
        b.clear();
        // A negative int64: ten bytes, two's complement.
        uint(&mut b, f::INT_VALUE, -2i64 as u64);
        assert_eq!(b.len(), 11);
        assert_eq!(b[0], 4 << 3);
        assert_eq!(b[10], 0x01);
    }
}
