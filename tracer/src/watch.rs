//! `--watch`: the host-wide "which process fails which call with which errno" table. Counts
//! come from the kernel's `AGG` map (exact, however many failures a flood makes); records are
//! samples that carry the comm, the path or address, and trigger the diagnosis.
//!
//! The kernel counts per (process, syscall, errno) and so do [`Row`]s; what the table shows
//! is a view over them, grouped `--by` program (comm), pid, container or syscall
//! ([`Group`]), each group with its rate over the last interval and a trend of the last ten.
use std::{
    collections::{HashMap, HashSet, VecDeque},
    fmt::Write as _,
};

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
    /// The last sample calls, strace-style (newest last).
    pub lines: VecDeque<String>,
}

/// Sample lines kept per row (the expanded view shows them).
const LINES_KEPT: usize = 3;
/// Intervals a group's trend covers.
pub const TREND_LEN: usize = 10;

/// What a table row stands for (`--by`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum By {
    /// One row per (program name, syscall, errno): the default host-wide.
    #[default]
    Comm,
    /// Per (process, syscall, errno): the kernel's own keys (default with -p).
    Pid,
    /// Per (container, syscall, errno); processes outside containers under "-".
    Container,
    /// Per (syscall, errno), whoever makes it.
    Syscall,
}

impl By {
    pub fn parse(s: &str) -> Option<By> {
        Some(match s {
            "comm" | "process" | "program" => By::Comm,
            "pid" => By::Pid,
            "container" => By::Container,
            "syscall" => By::Syscall,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            By::Comm => "comm",
            By::Pid => "pid",
            By::Container => "container",
            By::Syscall => "syscall",
        }
    }
}

/// How the view is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Failures per second over the last interval (then count).
    #[default]
    Rate,
    Count,
    /// By who, then syscall, then errno.
    Name,
}

impl Sort {
    pub fn next(self) -> Sort {
        match self {
            Sort::Rate => Sort::Count,
            Sort::Count => Sort::Name,
            Sort::Name => Sort::Rate,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Sort::Rate => "rate",
            Sort::Count => "count",
            Sort::Name => "name",
        }
    }
}

/// The identity of a group: who (comm, pid, container; empty by syscall), syscall, errno.
pub type GroupKey = (String, String, String);

/// One row of the view: the [`Row`]s of a group, folded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Group {
    pub who: String,
    pub syscall: String,
    pub errno: String,
    pub count: u64,
    /// Distinct processes that contributed, and the one that failed last.
    pub procs: usize,
    pub newest_pid: u32,
    /// The container of the newest process (empty: none).
    pub container: String,
    pub detail: String,
    pub details_seen: usize,
    pub first_ns: u64,
    pub last_ns: u64,
    pub hint: Option<String>,
    /// Every contributing process has exited.
    pub gone: bool,
    /// Failures per second over the last interval.
    pub rate: f64,
    /// Failures in each of the last intervals, oldest first.
    pub trend: Vec<u64>,
    /// The contributing processes, newest failure first.
    pub pids: Vec<u32>,
    /// The newest contributing process's name.
    pub comm: String,
    /// The group's last sample calls (newest last).
    pub lines: Vec<String>,
}

impl Group {
    /// Whether `filter` (already lower case) appears in who, syscall or errno.
    pub fn matches(&self, filter: &str) -> bool {
        filter.is_empty()
            || [&self.who, &self.syscall, &self.errno]
                .iter()
                .any(|f| f.to_lowercase().contains(filter))
    }
}

/// A group's counts at past intervals.
#[derive(Clone, Debug, Default)]
struct History {
    last_count: u64,
    deltas: VecDeque<u64>,
}

#[derive(Debug, Default)]
pub struct Watch {
    pub rows: HashMap<AggKey, Row>,
    pub by: By,
    /// Groups whose last failure is older than this fade out of the view (0: never).
    pub expire_ns: u64,
    history: HashMap<GroupKey, History>,
    /// The view as of the last [`Watch::tick`].
    pub groups: Vec<Group>,
    last_tick_ns: u64,
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
    /// The call, strace-style (`openat(AT_FDCWD, "/x", O_RDONLY) = -1 ENOENT (...)`).
    pub line: Option<String>,
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
            line,
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
        if let Some(l) = line {
            if row.lines.len() == LINES_KEPT {
                row.lines.pop_front();
            }
            row.lines.push_back(l);
        }
    }

    /// The end of an interval (`now_ns`, wall clock): regroups the rows, takes each group's
    /// count since the last tick (its rate and trend), lets expired groups fade out, and
    /// forgets exited processes' rows that no view shows any more.
    pub fn tick(&mut self, now_ns: u64) {
        let secs = match self.last_tick_ns {
            0 => 0.0,
            t => now_ns.saturating_sub(t) as f64 / 1e9,
        };
        self.last_tick_ns = now_ns;
        let expired = |last_ns: u64| {
            self.expire_ns != 0 && last_ns != 0 && now_ns.saturating_sub(last_ns) > self.expire_ns
        };
        self.rows
            .retain(|_, r| !(r.gone && expired(r.last_ns.max(r.first_ns))));
        let mut groups: HashMap<GroupKey, (Group, HashSet<String>)> = HashMap::new();
        let mut members: HashMap<GroupKey, Vec<(u64, AggKey)>> = HashMap::new();
        for (k, r) in &self.rows {
            if r.comm.is_empty() && r.count == 0 {
                continue;
            }
            let who = match self.by {
                By::Comm => r.comm.clone(),
                By::Pid => k.tgid.to_string(),
                By::Container if r.container.is_empty() => "-".to_string(),
                By::Container => r.container.clone(),
                By::Syscall => String::new(),
            };
            let key = (who.clone(), r.syscall.clone(), r.errno.clone());
            let (g, details) = groups.entry(key.clone()).or_insert_with(|| {
                (
                    Group {
                        who,
                        syscall: r.syscall.clone(),
                        errno: r.errno.clone(),
                        first_ns: u64::MAX,
                        gone: true,
                        ..Group::default()
                    },
                    HashSet::new(),
                )
            });
            g.count += r.count;
            g.first_ns = g.first_ns.min(r.first_ns);
            let last = r.last_ns.max(r.first_ns);
            if last >= g.last_ns {
                g.last_ns = last;
                g.newest_pid = k.tgid;
                g.comm = r.comm.clone();
                g.container = r.container.clone();
                if !r.detail.is_empty() {
                    g.detail = r.detail.clone();
                }
                if r.hint.is_some() {
                    g.hint = r.hint.clone();
                }
            }
            if g.hint.is_none() {
                g.hint = r.hint.clone();
            }
            g.gone &= r.gone;
            if !r.detail.is_empty() {
                details.insert(r.detail.clone());
                g.details_seen = g.details_seen.max(r.details_seen);
            }
            members.entry(key).or_default().push((last, *k));
        }
        let mut out = Vec::with_capacity(groups.len());
        let mut seen = HashSet::new();
        for (key, (mut g, details)) in groups {
            if expired(g.last_ns) {
                continue;
            }
            g.details_seen = g.details_seen.max(details.len());
            if g.first_ns == u64::MAX {
                g.first_ns = 0;
            }
            let mut m = members.remove(&key).unwrap_or_default();
            m.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.tgid.cmp(&a.1.tgid)));
            // The newest lines of the group: its newest rows' last few.
            for (_, k) in &m {
                let Some(r) = self.rows.get(k) else { continue };
                for l in r.lines.iter().rev() {
                    if g.lines.len() < LINES_KEPT {
                        g.lines.push(l.clone());
                    }
                }
            }
            g.lines.reverse();
            let mut once = HashSet::new();
            g.pids = m
                .into_iter()
                .map(|(_, k)| k.tgid)
                .filter(|p| once.insert(*p))
                .collect();
            g.procs = g.pids.len();
            let h = self.history.entry(key.clone()).or_default();
            let delta = g.count.saturating_sub(h.last_count);
            h.last_count = g.count;
            if h.deltas.len() == TREND_LEN {
                h.deltas.pop_front();
            }
            h.deltas.push_back(delta);
            g.trend = h.deltas.iter().copied().collect();
            // The first tick has no interval behind it: no rate yet.
            g.rate = if secs > 0.0 { delta as f64 / secs } else { 0.0 };
            seen.insert(key);
            out.push(g);
        }
        self.history.retain(|k, _| seen.contains(k));
        self.groups = out;
    }

    /// The view: groups matching `filter` (lower case), in `sort` order.
    pub fn view(&self, sort: Sort, filter: &str) -> Vec<&Group> {
        let mut v: Vec<&Group> = self.groups.iter().filter(|g| g.matches(filter)).collect();
        let name = |g: &Group| (g.who.clone(), g.syscall.clone(), g.errno.clone());
        match sort {
            Sort::Rate => v.sort_by(|a, b| {
                b.rate
                    .total_cmp(&a.rate)
                    .then(b.count.cmp(&a.count))
                    .then_with(|| name(a).cmp(&name(b)))
            }),
            Sort::Count => v.sort_by(|a, b| {
                b.count
                    .cmp(&a.count)
                    .then(b.rate.total_cmp(&a.rate))
                    .then_with(|| name(a).cmp(&name(b)))
            }),
            Sort::Name => v.sort_by_key(|g| name(g)),
        }
        v
    }

    /// Per-process rows sorted by count, largest first (the JSON objects' order).
    pub fn sorted(&self) -> Vec<(&AggKey, &Row)> {
        let mut v: Vec<_> = self
            .rows
            .iter()
            .filter(|(_, r)| !r.comm.is_empty() || r.count > 0)
            .collect();
        v.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.tgid.cmp(&b.0.tgid)));
        v
    }

    /// Whether some row is a container's (the table then has a CONTAINER column).
    pub fn has_containers(&self) -> bool {
        self.groups.iter().any(|g| !g.container.is_empty())
    }

    /// The plain table of the last tick's view: a header, then `top` groups at most, in
    /// `sort` order (a pipe or a file gets this; a terminal gets the TUI).
    pub fn render(&self, now_ns: u64, events: u64, lost: u64, top: usize, hints: bool) -> String {
        let total: u64 = self.groups.iter().map(|g| g.count).sum();
        let procs: usize = self.groups.iter().map(|g| g.procs).sum();
        let mut s = String::new();
        let _ = writeln!(
            s,
            "tracer --watch  {}  by {}  {} failures in {} rows ({} process keys); {} records, {} lost",
            clock(now_ns),
            self.by.name(),
            total,
            self.groups.len(),
            procs,
            events,
            lost
        );
        let containers = self.has_containers();
        let _ = writeln!(s, "{}", header_line(containers, self.by));
        let view = self.view(Sort::Rate, "");
        for g in view.iter().take(top) {
            let _ = writeln!(s, "{}", row_line(g, containers, self.by));
            if hints && let Some(h) = &g.hint {
                let _ = writeln!(s, "{:>9} ^ {h}", "");
            }
        }
        if view.len() > top {
            let _ = writeln!(s, "({} more rows)", view.len() - top);
        }
        s
    }

    /// After a table: the JSON objects' `new` counts from here.
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

/// The table's column titles (the plain table's; the TUI uses the same columns).
pub const COLUMNS: [&str; 11] = [
    "RATE/s",
    "TREND",
    "COUNT",
    "PROCS",
    "PROCESS",
    "CONTAINER",
    "PID",
    "SYSCALL",
    "ERRNO",
    "LAST",
    "PATH/ADDRESS",
];

fn header_line(containers: bool, by: By) -> String {
    let who = match by {
        By::Container => "CONTAINER",
        _ => "PROCESS",
    };
    let mut s = format!(
        "{:>8} {:<10} {:>9} {:>5} {:<16} ",
        "RATE/s", "TREND", "COUNT", "PROCS", who
    );
    if containers && by != By::Container {
        let _ = write!(s, "{:<12} ", "CONTAINER");
    }
    let _ = write!(
        s,
        "{:>7} {:<14} {:<12} {:<8} PATH/ADDRESS",
        "PID", "SYSCALL", "ERRNO", "LAST"
    );
    s
}

/// A group's cells, in [`COLUMNS`] order (CONTAINER empty when no row is a container's).
pub fn cells(g: &Group, by: By) -> [String; 11] {
    let mut detail = g.detail.clone();
    if g.details_seen > 1 {
        let _ = write!(detail, " (+{} others)", g.details_seen - 1);
    }
    if g.gone {
        detail.push_str("  (exited)");
    }
    let who = match by {
        By::Container | By::Comm => g.who.clone(),
        // By pid or syscall the name is the newest process's.
        By::Pid | By::Syscall => g.comm.clone(),
    };
    [
        rate(g.rate),
        sparkline(&g.trend),
        g.count.to_string(),
        g.procs.to_string(),
        who,
        g.container.clone(),
        g.newest_pid.to_string(),
        g.syscall.clone(),
        g.errno.clone(),
        clock(g.last_ns),
        detail,
    ]
}

fn row_line(g: &Group, containers: bool, by: By) -> String {
    let c = cells(g, by);
    let mut s = format!(
        "{:>8} {:<10} {:>9} {:>5} {:<16} ",
        c[0], c[1], c[2], c[3], c[4]
    );
    if containers && by != By::Container {
        let _ = write!(s, "{:<12} ", c[5]);
    }
    let _ = write!(
        s,
        "{:>7} {:<14} {:<12} {:<8} {}",
        c[6], c[7], c[8], c[9], c[10]
    );
    s
}

/// A rate as the table shows it: `12.5`, `1234`, `0`.
pub fn rate(r: f64) -> String {
    if r == 0.0 {
        "0".into()
    } else if r < 10.0 {
        format!("{r:.1}")
    } else {
        format!("{r:.0}")
    }
}

/// The last intervals' counts as a sparkline (blank: none; the tallest bar is the largest).
pub fn sparkline(trend: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = trend.iter().copied().max().unwrap_or(0);
    trend
        .iter()
        .map(|&v| match v {
            0 => ' ',
            _ => BARS[((v * 8).div_ceil(max.max(1)) as usize).clamp(1, 8) - 1],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(tgid: u32) -> AggKey {
        AggKey {
            tgid,
            slot: 257,
            errno: 2,
            _pad: 0,
        }
    }

    fn sample<'a>(comm: &'a str, container: &'a str, path: &str) -> Sample<'a> {
        Sample {
            comm,
            container,
            syscall: "openat",
            errno: "ENOENT",
            detail: Some(path.into()),
            line: Some(format!(
                "openat(AT_FDCWD, \"{path}\", O_RDONLY) = -1 ENOENT"
            )),
            uncounted: true,
            wall_ns: 1_000_000_000,
        }
    }

    #[test]
    fn a_container_column_when_a_row_is_a_containers() {
        let mut w = Watch::default();
        w.sample(key(7), sample("host", "", "/nonexistent"));
        w.tick(2_000_000_000);
        assert!(!w.render(0, 0, 0, 10, false).contains("CONTAINER"));
        w.sample(key(8), sample("vm", "5e4d3c2b1a09", "/nonexistent"));
        w.tick(3_000_000_000);
        let t = w.render(0, 0, 0, 10, false);
        assert!(t.contains("PROCESS          CONTAINER        PID"), "{t}");
        assert!(
            t.contains(" vm               5e4d3c2b1a09       8 openat"),
            "{t}"
        );
        assert!(
            w.render_json(0, 0, 0)
                .contains("\"container_id\":\"5e4d3c2b1a09\"")
        );
    }

    #[test]
    fn fifty_short_lived_processes_of_one_program_are_one_row() {
        let mut w = Watch::default();
        for pid in 100..150 {
            for _ in 0..19 {
                w.sample(key(pid), sample("ls", "", &format!("/nonexistent-{pid}")));
            }
            w.rows.get_mut(&key(pid)).unwrap().gone = true;
        }
        for _ in 0..30 {
            w.sample(key(7), sample("python3", "", "/missing.conf"));
        }
        w.tick(2_000_000_000);
        let v = w.view(Sort::Count, "");
        assert_eq!(v.len(), 2);
        assert_eq!((v[0].who.as_str(), v[0].count, v[0].procs), ("ls", 950, 50));
        assert!(v[0].gone && !v[1].gone);
        assert_eq!(v[0].details_seen, 50);
        assert_eq!(v[0].pids.len(), 50);
        assert_eq!(v[0].lines.len(), LINES_KEPT);
        assert_eq!(
            (v[1].who.as_str(), v[1].count, v[1].procs),
            ("python3", 30, 1)
        );
        // By pid: the kernel's own keys, one row each.
        w.by = By::Pid;
        w.tick(3_000_000_000);
        assert_eq!(w.groups.len(), 51);
        // By syscall: one row for everyone's openat ENOENT.
        w.by = By::Syscall;
        w.tick(4_000_000_000);
        assert_eq!(w.groups.len(), 1);
        assert_eq!((w.groups[0].count, w.groups[0].procs), (980, 51));
        // A filter narrows by who, syscall or errno.
        w.by = By::Comm;
        w.tick(5_000_000_000);
        assert_eq!(w.view(Sort::Rate, "pyth").len(), 1);
        assert_eq!(w.view(Sort::Rate, "enoent").len(), 2);
        assert_eq!(w.view(Sort::Rate, "emfile").len(), 0);
    }

    #[test]
    fn rates_trends_and_fading() {
        let mut w = Watch {
            expire_ns: 10_000_000_000,
            ..Watch::default()
        };
        let mut now = 1_000_000_000;
        // A steady failer (10 per 2s interval) and a burst that stops.
        for i in 0..5u64 {
            for _ in 0..10 {
                let mut s = sample("steady", "", "/a");
                s.wall_ns = now;
                w.sample(key(1), s);
            }
            if i < 2 {
                for _ in 0..40 {
                    let mut s = sample("burst", "", "/b");
                    s.wall_ns = now;
                    w.sample(key(2), s);
                }
            }
            now += 2_000_000_000;
            w.tick(now);
        }
        let v = w.view(Sort::Rate, "");
        assert_eq!(v[0].who, "steady");
        assert_eq!(v[0].rate, 5.0);
        assert_eq!(v[0].trend, [10, 10, 10, 10, 10]);
        assert_eq!(v[1].who, "burst");
        assert_eq!((v[1].rate, v[1].count), (0.0, 80));
        assert_eq!(v[1].trend, [40, 40, 0, 0, 0]);
        // By count the burst leads.
        assert_eq!(w.view(Sort::Count, "")[0].who, "burst");
        assert_eq!(sparkline(&v[1].trend), "██   ");
        assert_eq!(sparkline(&[1, 8, 4]), "▁█▄");
        // Ten seconds after its last failure the burst fades out of the view.
        now += 8_000_000_000;
        w.tick(now);
        let names: Vec<&str> = w
            .view(Sort::Rate, "")
            .iter()
            .map(|g| g.who.as_str())
            .collect();
        assert_eq!(names, ["steady"]);
        // The trend keeps ten intervals.
        for _ in 0..20 {
            now += 1_000_000_000;
            w.tick(now);
        }
        assert!(w.groups.is_empty() || w.groups[0].trend.len() <= TREND_LEN);
    }
}
