//! JSON lines: one object per call, exit, gap, diagnosis or watch interval (schema in
//! README.md).
use serde_json::{Value, json};

use super::{Call, Exit, ExitStatus, Printer, WatchStats};
use crate::watch::Watch;

pub struct Json;

fn line(out: &mut Vec<u8>, v: &Value) {
    // Writing into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, v);
    out.push(b'\n');
}

impl Printer for Json {
    fn call(&mut self, c: &Call, out: &mut Vec<u8>) {
        let strings: serde_json::Map<String, Value> = c
            .strings
            .iter()
            .map(|s| {
                (
                    s.arg.to_string(),
                    Value::String(String::from_utf8_lossy(s.bytes).into_owned()),
                )
            })
            .collect();
        let mut fds: serde_json::Map<String, Value> = c
            .fds
            .iter()
            .map(|f| {
                let o = f.origin.as_ref().map(|o| {
                    json!({"syscall": o.syscall, "tid": o.tid, "time_ns": o.time_ns, "peer": o.peer})
                });
                (f.fd.to_string(), json!({"name": f.name, "origin": o}))
            })
            .collect();
        if let Some(m) = c.matched {
            // The origin of the fd the data moved through, whether or not the call lists it.
            let f = &m.fd;
            fds.entry(f.fd.to_string()).or_insert_with(|| {
                let o = f.origin.as_ref().map(|o| {
                    json!({"syscall": o.syscall, "tid": o.tid, "time_ns": o.time_ns, "peer": o.peer})
                });
                json!({"name": f.name, "origin": o})
            });
        }
        let mut v = json!({
            "type": "syscall",
            "fds": fds,
            "time_ns": c.wall_ns,
            "pid": c.tgid,
            "tid": c.tid,
            "comm": String::from_utf8_lossy(c.comm),
            "abi": c.abi.name(),
            "nr": c.nr,
            "name": c.name,
            "args": c.raw_args,
            "args_text": c.args,
            "strings": strings,
            "ret": c.ret,
            "ret_text": c.ret_text,
            "errno": c.errno,
            "duration_ns": c.duration_ns,
        });
        if let Some(m) = c.matched {
            v["match"] = json!({"pattern": m.pattern, "offset": m.offset, "excerpt": m.excerpt});
        }
        line(out, &v);
        if let (Some(h), Some(errno)) = (c.hint, c.errno) {
            line(
                out,
                &json!({"type": "hint", "pid": c.tgid, "syscall": c.name, "errno": errno, "text": h}),
            );
        }
    }

    fn exit(&mut self, e: &Exit, out: &mut Vec<u8>) {
        let s = ExitStatus::of(e.code);
        line(
            out,
            &json!({
                "type": "exit", "time_ns": e.wall_ns, "pid": e.tgid, "tid": e.tid,
                "code": s.code, "signal": s.signal, "core_dumped": s.core_dumped,
            }),
        );
    }

    fn lost(&mut self, count: u64, out: &mut Vec<u8>) {
        line(out, &json!({"type": "lost", "count": count}));
    }

    fn watch(&mut self, w: &Watch, s: &WatchStats, out: &mut Vec<u8>) {
        out.extend_from_slice(w.render_json(s.now_ns, s.events, s.lost).as_bytes());
        out.push(b'\n');
    }
}
