//! `--watch`: the host-wide "which process fails which call with which errno" table. Counts
//! come from the kernel's `AGG` map (exact, however many failures a flood makes); records are
//! samples that carry the comm, the path or address, and trigger the diagnosis.
use std::{collections::HashMap, fmt::Write as _};

use serde_json::json;
use tracer_common::AggKey;

/// One (process, syscall, errno) row.
#[derive(Clone, Debug, Default)]
pub struct Row {
    pub comm: String,
    /// The container (`--decode-pids=container`, cgroup filters), or empty.
    pub container: String,
    pub syscall: String,
    pub errno: String,
    /// The last path or address seen in a sample, and how many distinct ones there were.
    pub detail: String,
    pub details_seen: usize,
    /// Failures made (kernel count, plus samples the kernel could not count).
    pub count: u64,
    /// Failures the kernel counted (`AGG`).
    pub kernel: u64,
    /// Samples flagged UNCOUNTED (the kernel's map was full): counted here.
    pub uncounted: u64,
    /// `count` at the previous table.
    pub shown: u64,
    pub samples: u64,
    pub sent: u64,
    pub first_ns: u64,
    pub last_ns: u64,
    pub hint: Option<String>,
    pub gone: bool,
}

#[derive(Debug, Default)]
pub struct Watch {
    pub rows: HashMap<AggKey, Row>,
}

fn clock(ns: u64) -> String {
    crate::output::time_of_day(ns, 0)
}

/// What one failure record tells the watch.
pub struct Sample<'a> {
    pub comm: &'a str,
    pub container: &'a str,
    pub syscall: &'a str,
    pub errno: &'a str,
    /// The path or address of the call, if it has one.
    pub detail: Option<String>,
    /// The kernel could not count it (its map was full).
    pub uncounted: bool,
    pub wall_ns: u64,
}

impl Watch {
    /// A sample record arrived.
    pub fn sample(&mut self, key: AggKey, s: Sample) {
        let Sample {
            comm,
            container,
            syscall,
            errno,
            detail,
            uncounted,
            wall_ns,
        } = s;
        let row = self.rows.entry(key).or_default();
        if row.container != container {
            row.container = container.to_string();
        }
        if row.comm.is_empty() {
            row.comm = comm.to_string();
            row.syscall = syscall.to_string();
            row.errno = errno.to_string();
            row.first_ns = wall_ns;
        }
        row.samples += 1;
        if uncounted {
            row.uncounted += 1;
            row.count = row.kernel + row.uncounted;
            row.sent += 1;
            row.last_ns = wall_ns;
        }
        if let Some(d) = detail
            && d != row.detail
        {
            row.details_seen += 1;
            row.detail = d;
        }
    }

    /// Rows sorted by count, largest first.
    pub fn sorted(&self) -> Vec<(&AggKey, &Row)> {
        let mut v: Vec<_> = self
            .rows
            .iter()
            .filter(|(_, r)| !r.comm.is_empty() || r.count > 0)
            .collect();
        v.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.tgid.cmp(&b.0.tgid)));
        v
    }

    /// The plain table; `top` rows at most.
    pub fn render(&self, now_ns: u64, events: u64, lost: u64, top: usize, hints: bool) -> String {
        let total: u64 = self.rows.values().map(|r| r.count).sum();
        let mut s = String::new();
        let _ = writeln!(
            s,
            "tracer --watch  {}  {} failures in {} (process, syscall, errno) keys; {} records, {} lost",
            clock(now_ns),
            total,
            self.rows.len(),
            events,
            lost
        );
        // A CONTAINER column when some row is a container's.
        let containers = self.rows.values().any(|r| !r.container.is_empty());
        let container = |c: &str| match containers {
            true => format!("{c:<12} "),
            false => String::new(),
        };
        let _ = writeln!(
            s,
            "{:>9} {:>7} {:<16} {}{:>7} {:<14} {:<12} {:<8} {:<8} PATH/ADDRESS",
            "COUNT",
            "NEW",
            "PROCESS",
            container("CONTAINER"),
            "PID",
            "SYSCALL",
            "ERRNO",
            "FIRST",
            "LAST"
        );
        let rows = self.sorted();
        let n = rows.len();
        for (k, r) in rows.iter().take(top) {
            let mut detail = r.detail.clone();
            if r.details_seen > 1 {
                detail.push_str(&format!(" (+{} others)", r.details_seen - 1));
            }
            let _ = writeln!(
                s,
                "{:>9} {:>7} {:<16} {}{:>7} {:<14} {:<12} {:<8} {:<8} {}{}",
                r.count,
                format!("+{}", r.count - r.shown.min(r.count)),
                r.comm,
                container(&r.container),
                k.tgid,
                r.syscall,
                r.errno,
                clock(r.first_ns),
                clock(r.last_ns),
                detail,
                if r.gone { "  (exited)" } else { "" }
            );
            if hints && let Some(h) = &r.hint {
                let _ = writeln!(s, "{:>9} ^ {h}", "");
            }
        }
        if n > top {
            let _ = writeln!(s, "({} more rows)", n - top);
        }
        s
    }

    /// After a table: the next one's NEW column counts from here.
    pub fn mark_shown(&mut self) {
        for r in self.rows.values_mut() {
            r.shown = r.count;
        }
    }

    /// One JSON object for the interval.
    pub fn render_json(&self, now_ns: u64, events: u64, lost: u64) -> String {
        let rows: Vec<_> = self
            .sorted()
            .into_iter()
            .map(|(k, r)| {
                let mut row = json!({
                    "pid": k.tgid, "comm": r.comm, "syscall": r.syscall, "errno": r.errno,
                    "count": r.count, "new": r.count - r.shown.min(r.count),
                    "samples_delivered": r.samples,
                    "aggregated_in_kernel": r.count.saturating_sub(r.sent),
                    "samples_dropped": r.sent.saturating_sub(r.samples),
                    "first_ns": r.first_ns, "last_ns": r.last_ns,
                    "detail": r.detail, "hint": r.hint, "exited": r.gone,
                });
                if !r.container.is_empty() {
                    row["container_id"] = json!(r.container);
                }
                row
            })
            .collect();
        json!({"type": "watch", "time_ns": now_ns, "events": events, "lost": lost, "rows": rows})
            .to_string()
    }
}

#[cfg(test)]
mod container_tests {
    use super::*;

    #[test]
    fn a_container_column_when_a_row_is_a_containers() {
        let mut w = Watch::default();
        let key = |tgid| AggKey {
            tgid,
            slot: 257,
            errno: 2,
            _pad: 0,
        };
        let sample = |comm, container| Sample {
            comm,
            container,
            syscall: "openat",
            errno: "ENOENT",
            detail: Some("/nonexistent".into()),
            uncounted: true,
            wall_ns: 0,
        };
        w.sample(key(7), sample("host", ""));
        assert!(!w.render(0, 0, 0, 10, false).contains("CONTAINER"));
        w.sample(key(8), sample("vm", "5e4d3c2b1a09"));
        let t = w.render(0, 0, 0, 10, false);
        assert!(t.contains("PROCESS          CONTAINER        PID"), "{t}");
        assert!(
            t.contains("vm               5e4d3c2b1a09       8 openat"),
            "{t}"
        );
        assert!(
            w.render_json(0, 0, 0)
                .contains("\"container_id\":\"5e4d3c2b1a09\"")
        );
    }
}
