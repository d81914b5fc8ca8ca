//! The failure sink: each failed call feeds the `--watch` table and the `--metrics` counters,
//! and gets a diagnosis once per (process, syscall, errno) and interval. Exact counts come
//! from the kernel's `AGG` map, read by [`Failures::collect`]; records are samples.
use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
};

use tracer_common::{AggKey, AggVal, record_flags};

use crate::{
    clock::Clock,
    decode::{self, net},
    diagnose,
    metrics::Metrics,
    procfs,
    source::Event,
    syscalls::{self, Abi, Syscall, Ty},
    watch::{Sample, Watch},
};

pub struct Failures {
    pub watch: Option<Watch>,
    metrics: Option<Arc<Mutex<Metrics>>>,
    hints: bool,
    /// Interval number in which each key last got a hint (hints: once per key per interval).
    hinted: HashMap<AggKey, u64>,
    epoch: u64,
    /// Last kernel count per aggregation key, with the labels it is reported under (comm,
    /// syscall, container).
    agg_last: HashMap<AggKey, (u64, String, &'static str, String)>,
    /// Metrics carry each process's container (`--decode-pids=container`, cgroup filters).
    pub containers: bool,
    container_of: HashMap<u32, String>,
    /// Processes that exited: their aggregation keys are read one last time, then deleted.
    dead: HashSet<u32>,
    /// Whether the kernel aggregates (then exited processes' keys are collected).
    aggregating: bool,
    /// Other tracers on the host: their own failed probes are not counted.
    tracers: procfs::Tracers,
    clock: Clock,
}

impl Failures {
    pub fn new(
        watch: bool,
        metrics: Option<Arc<Mutex<Metrics>>>,
        hints: bool,
        aggregating: bool,
        clock: Clock,
    ) -> Self {
        Self {
            watch: watch.then(Watch::default),
            metrics,
            hints,
            hinted: HashMap::new(),
            epoch: 0,
            agg_last: HashMap::new(),
            containers: false,
            container_of: HashMap::new(),
            dead: HashSet::new(),
            aggregating,
            clock,
            tracers: procfs::Tracers::default(),
        }
    }

    /// A new interval: hints may be given again.
    pub fn tick(&mut self) {
        self.epoch += 1;
    }

    /// The container of process `tgid`, as the caller knows it.
    pub fn note_container(&mut self, tgid: u32, container: &str) {
        self.container_of.insert(tgid, container.to_string());
    }

    /// The container process `tgid` runs in ("" for none, or when not asked), read once.
    fn container(&mut self, tgid: u32) -> String {
        container_of(&mut self.container_of, self.containers, tgid)
    }

    /// A process is gone: its keys are collected one last time.
    pub fn exited(&mut self, tgid: u32) {
        if self.aggregating {
            self.dead.insert(tgid);
        }
    }

    /// A failure record: feed the watch and the metrics, and return a diagnosis if this key
    /// has none yet in this interval.
    /// `line`: the call as strace prints it, for the watch's expanded rows.
    pub fn failure(
        &mut self,
        ev: &Event,
        sc: Option<&'static Syscall>,
        name: &str,
        line: Option<String>,
    ) -> Option<String> {
        let r = &ev.rec;
        let errno_nr = (-r.ret) as u32;
        let key = AggKey {
            tgid: r.tgid,
            slot: ev.abi().slot(ev.nr() as u32),
            errno: errno_nr,
            _pad: 0,
        };
        let errno = decode::errno::lookup(errno_nr)
            .map(|(n, _)| n)
            .unwrap_or("?");
        let comm = match ev.comm() {
            c if c.is_empty() => procfs::comm(r.tgid),
            c => c.into_owned(),
        };
        let mut path = None;
        let mut addr = None;
        if let Some(sc) = sc {
            for (i, ty) in sc.args.iter().enumerate() {
                match (ty, ev.str_for(i)) {
                    (Ty::Path, Some(c)) if path.is_none() && !c.faulted() => path = Some(c.bytes),
                    (Ty::Sockaddr(_) | Ty::SockaddrOut(_), Some(c)) if addr.is_none() => {
                        addr = net::parse(c.bytes)
                    }
                    _ => {}
                }
            }
        }
        let uncounted = r.flags & record_flags::UNCOUNTED != 0;
        let container = self.container(r.tgid);
        let container_label = container.clone();
        if uncounted
            && let Some(m) = &self.metrics
            && let Ok(mut m) = m.lock()
        {
            m.add_failures(name, errno, &comm, &container, 1);
        }
        let detail = path
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .or_else(|| addr.as_ref().map(net::short));
        if let Some(sc) = sc {
            // The labels its kernel count is reported under: the comm from the record, while
            // the process may already be gone when the map is read.
            let labels = self
                .agg_last
                .entry(key)
                .or_insert_with(|| (0, comm.clone(), sc.name, container.clone()));
            // An exec renames the process (and may move it): its later counts go under the
            // new labels (the kernel's key is the process, whatever its name).
            if labels.1 != comm || labels.3 != container {
                (labels.1, labels.3) = (comm.clone(), container);
            }
        }
        if let Some(w) = &mut self.watch {
            w.sample(
                key,
                Sample {
                    comm: &comm,
                    container: &container_label,
                    syscall: name,
                    errno,
                    detail,
                    line,
                    uncounted,
                    wall_ns: self.clock.wall(r.ts_ns).unwrap_or(0),
                },
            );
        }
        if !self.hints || self.hinted.get(&key) == Some(&self.epoch) {
            return None;
        }
        self.hinted.insert(key, self.epoch);
        let hint = diagnose::diagnose(&diagnose::Failure {
            tgid: r.tgid,
            sc: sc?,
            errno: key.errno,
            args: r.args,
            path,
            addr: addr.as_ref(),
        });
        if let (Some(w), Some(h)) = (&mut self.watch, &hint)
            && let Some(row) = w.rows.get_mut(&key)
        {
            row.hint = Some(h.clone());
        }
        hint
    }

    /// Reads the kernel's failure counts: metrics deltas, watch rows; forgets dead processes.
    /// `events` and `lost` are the records seen and lost so far.
    pub fn collect(
        &mut self,
        agg: &mut aya::maps::HashMap<aya::maps::MapData, AggKey, AggVal>,
        events: u64,
        lost: u64,
        last: bool,
    ) {
        let entries: Vec<(AggKey, AggVal)> = agg.iter().filter_map(Result::ok).collect();
        let mut metrics = self.metrics.as_ref().and_then(|m| m.lock().ok());
        let now = crate::clock::monotonic_ns();
        for (k, v) in &entries {
            // The kernel counts a new key before it sends the key's first record (which has
            // the process's name): wait a second for that record rather than label the count
            // with a name read from /proc, where a short-lived process is already gone.
            if !last
                && !self.agg_last.contains_key(k)
                && now.saturating_sub(v.first_ns) < 1_000_000_000
            {
                continue;
            }
            let is_tracer = match self.agg_last.get(k) {
                Some(l) => l.1 == "tracer",
                None => procfs::comm(k.tgid) == "tracer",
            };
            if is_tracer && self.tracers.is(k.tgid) {
                continue;
            }
            let (abi, nr) = Abi::of_slot(k.slot);
            let sc = syscalls::by_nr(abi, i64::from(nr))
                .map(|s| s.name)
                .unwrap_or("?");
            let errno = decode::errno::lookup(k.errno)
                .map(|(n, _)| n)
                .unwrap_or("?");
            if !self.agg_last.contains_key(k) {
                let container = container_of(&mut self.container_of, self.containers, k.tgid);
                self.agg_last
                    .insert(*k, (0, procfs::comm(k.tgid), sc, container));
            }
            let Some(last) = self.agg_last.get_mut(k) else {
                continue;
            };
            if let Some(m) = metrics.as_mut() {
                m.add_failures(sc, errno, &last.1, &last.3, v.count.saturating_sub(last.0));
            }
            last.0 = v.count;
            if let Some(w) = &mut self.watch {
                let row = w.rows.entry(*k).or_default();
                if row.comm.is_empty() {
                    row.comm = last.1.clone();
                    row.syscall = sc.to_string();
                    row.errno = errno.to_string();
                }
                // Samples the map could not count were added as they came; they are not in v.
                row.kernel = v.count;
                row.count = v.count + row.uncounted;
                row.sent = v.sent + row.uncounted;
                row.first_ns = self.clock.wall(v.first_ns).unwrap_or(0);
                row.last_ns = self.clock.wall(v.last_ns).unwrap_or(0);
                row.gone = self.dead.contains(&k.tgid);
            }
        }
        if let Some(m) = metrics.as_mut() {
            m.events = events;
            m.lost = lost;
            m.suppressed = entries
                .iter()
                .map(|(_, v)| v.count.saturating_sub(v.sent))
                .sum();
        }
        drop(metrics);
        for (k, _) in entries.iter().filter(|(k, _)| self.dead.contains(&k.tgid)) {
            // Already gone from the map is fine: the key is forgotten either way.
            agg.remove(k).ok();
            self.agg_last.remove(k);
        }
        self.dead.clear();
    }
}

/// The container of process `tgid` ("" for none, or when `on` is false), read once.
fn container_of(cache: &mut HashMap<u32, String>, on: bool, tgid: u32) -> String {
    if !on {
        return String::new();
    }
    if cache.len() >= 4096 {
        cache.clear();
    }
    cache
        .entry(tgid)
        .or_insert_with(|| {
            procfs::cgroup(tgid)
                .and_then(|c| crate::containers::container_of(&c.1))
                .unwrap_or_default()
        })
        .clone()
}
