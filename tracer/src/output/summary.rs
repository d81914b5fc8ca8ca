//! `-c` / `-C`: strace's table of time, calls and errors per syscall, with strace's `-S`
//! (sort) and `-U` (columns). Times are each call's latency, entry to exit (what strace shows
//! with `-w`; without it strace shows system time, which ptrace's stops would distort anyway).
use std::{collections::HashMap, fmt::Write as _};

use tracer_common::{LATENCY_BUCKETS, SummaryVal, latency_bucket};

#[derive(Clone, Copy, Debug, Default)]
pub struct Row {
    pub calls: u64,
    pub errors: u64,
    pub ns: u64,
    /// Shortest and longest call (0 when no call was timed).
    pub min_ns: u64,
    pub max_ns: u64,
    /// The syscall's number: ties are in number order, as strace's table has them.
    pub nr: u32,
    /// Timed calls per log2 bucket of their duration (tracer_common::latency_bucket).
    pub hist: Hist,
}

/// A log2 latency histogram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hist(pub [u64; LATENCY_BUCKETS]);

impl Default for Hist {
    fn default() -> Self {
        Self([0; LATENCY_BUCKETS])
    }
}

impl Hist {
    fn timed(&self) -> u64 {
        self.0.iter().sum()
    }

    /// The duration below which a fraction `q` of the timed calls took, in ns: estimated
    /// within its log2 bucket by linear interpolation, kept within [min, max]. None when no
    /// call was timed.
    pub fn quantile(&self, q: f64, min_ns: u64, max_ns: u64) -> Option<u64> {
        let total = self.timed();
        if total == 0 {
            return None;
        }
        let rank = (q * total as f64).ceil().max(1.0);
        let mut below = 0u64;
        for (b, &n) in self.0.iter().enumerate() {
            if n == 0 {
                continue;
            }
            if (below + n) as f64 >= rank {
                let (lo, hi) = bucket_range(b);
                let frac = (rank - below as f64) / n as f64;
                let v = lo as f64 + (hi - lo) as f64 * frac;
                return Some((v as u64).clamp(min_ns, max_ns.max(min_ns)));
            }
            below += n;
        }
        Some(max_ns)
    }
}

/// The ns a bucket covers: [lo, hi].
fn bucket_range(b: usize) -> (u64, u64) {
    match b {
        0 => (0, 0),
        _ => (1 << (b - 1), (1u64 << b) - 1),
    }
}

impl Row {
    fn avg_us(&self) -> u64 {
        self.ns / 1000 / self.calls.max(1)
    }

    fn p(&self, q: f64) -> u64 {
        self.hist.quantile(q, self.min_ns, self.max_ns).unwrap_or(0)
    }
}

/// A column of the table (`-U`), as strace names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Percent,
    Total,
    Min,
    Max,
    Avg,
    Calls,
    Errors,
    Name,
    /// The median duration (tracer's; estimated from log2 buckets).
    P50,
    /// The 99th percentile duration (tracer's).
    P99,
}

impl Column {
    /// strace's names and aliases for `-U` and `-S`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.replace('_', "-").as_str() {
            "time" | "time-percent" => Column::Percent,
            "time-total" | "total-time" => Column::Total,
            "min-time" | "shortest" | "time-min" => Column::Min,
            "max-time" | "longest" | "time-max" => Column::Max,
            "avg-time" | "time-avg" => Column::Avg,
            "calls" | "count" => Column::Calls,
            "error" | "errors" => Column::Errors,
            "name" | "syscall" | "syscall-name" => Column::Name,
            "p50" | "median" => Column::P50,
            "p99" => Column::P99,
            _ => return None,
        })
    }

    fn header(self) -> &'static str {
        match self {
            Column::Percent => "% time",
            Column::Total => "seconds",
            Column::Min => "shortest",
            Column::Max => "longest",
            Column::Avg => "usecs/call",
            Column::Calls => "calls",
            Column::Errors => "errors",
            Column::Name => "syscall",
            Column::P50 => "p50",
            Column::P99 => "p99",
        }
    }

    /// The least width (strace's header sizes).
    fn min_width(self) -> usize {
        match self {
            Column::Percent => 6,
            Column::Total | Column::Avg => 11,
            Column::Min => 8,
            Column::Max | Column::P50 | Column::P99 => 7,
            Column::Calls | Column::Errors => 9,
            Column::Name => 16,
        }
    }
}

/// strace's default columns.
pub const DEFAULT_COLUMNS: &[Column] = &[
    Column::Percent,
    Column::Total,
    Column::Avg,
    Column::Calls,
    Column::Errors,
    Column::Name,
];

/// `-S`: the order of the rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    /// By a column (time ones and counts descending, names ascending).
    Column(Column),
    /// `nothing`: as counted.
    Nothing,
}

#[derive(Debug)]
pub struct Summary {
    rows: HashMap<&'static str, Row>,
    columns: Vec<Column>,
    sort: SortBy,
    /// `--latency-histogram`: a log2 histogram per syscall after the table.
    pub histograms: bool,
}

impl Default for Summary {
    fn default() -> Self {
        Self::new(DEFAULT_COLUMNS.to_vec(), SortBy::Column(Column::Total))
    }
}

impl Summary {
    pub fn new(columns: Vec<Column>, sort: SortBy) -> Self {
        Self {
            rows: HashMap::new(),
            columns,
            sort,
            histograms: false,
        }
    }

    pub fn with_histograms(mut self, on: bool) -> Self {
        self.histograms = on;
        self
    }

    /// One call; `ns`: its duration, when it was timed.
    pub fn add(&mut self, name: &'static str, nr: u32, failed: bool, ns: Option<u64>) {
        let mut t = SummaryVal {
            calls: 1,
            errors: u64::from(failed),
            ..SummaryVal::default()
        };
        if let Some(d) = ns {
            (t.ns, t.min_ns, t.max_ns) = (d, d, d);
            t.hist[latency_bucket(d)] = 1;
        }
        self.add_totals(name, nr, &t);
    }

    /// Adds counts made elsewhere (the kernel's, for `-c` without a trace).
    pub fn add_totals(&mut self, name: &'static str, nr: u32, t: &SummaryVal) {
        let r = self.rows.entry(name).or_insert(Row {
            nr,
            ..Row::default()
        });
        r.min_ns = if r.calls == 0 {
            t.min_ns
        } else {
            r.min_ns.min(t.min_ns)
        };
        r.max_ns = r.max_ns.max(t.max_ns);
        r.calls += t.calls;
        r.errors += t.errors;
        r.ns += t.ns;
        for (a, b) in r.hist.0.iter_mut().zip(t.hist) {
            *a += b;
        }
    }

    /// `--latency-histogram`: per syscall (most time first), its percentiles and the log2
    /// histogram of its durations, drawn as bcc's syscount -L and funclatency draw them.
    pub fn render_histograms(&self) -> String {
        let mut rows: Vec<(&&str, &Row)> =
            self.rows.iter().filter(|r| r.1.hist.timed() > 0).collect();
        rows.sort_by(|a, b| b.1.ns.cmp(&a.1.ns).then(a.1.nr.cmp(&b.1.nr)));
        let mut s = String::new();
        let us = |ns: u64| ns as f64 / 1000.0;
        for (name, r) in rows {
            let _ = writeln!(
                s,
                "\n{name}: {} calls, p50 {:.3} us, p99 {:.3} us, max {:.3} us",
                r.calls,
                us(r.p(0.50)),
                us(r.p(0.99)),
                us(r.max_ns)
            );
            let _ = writeln!(s, "{:>20}{:<9}: count     distribution", "nsecs", "");
            let first = r.hist.0.iter().position(|n| *n > 0).unwrap_or(0);
            let last = r.hist.0.iter().rposition(|n| *n > 0).unwrap_or(0);
            let top = r.hist.0.iter().copied().max().unwrap_or(1).max(1);
            for b in first..=last {
                let n = r.hist.0[b];
                let (lo, hi) = bucket_range(b);
                let stars = (n * 40).div_ceil(top) as usize;
                let hi = if b == LATENCY_BUCKETS - 1 {
                    "...".to_string()
                } else {
                    hi.to_string()
                };
                let _ = writeln!(
                    s,
                    "{lo:>20} -> {hi:<9}: {n:<9} |{:<40}|",
                    "*".repeat(stars.min(40))
                );
            }
        }
        s
    }

    /// The table, as strace prints it: columns as wide as their header or widest value.
    pub fn render(&self) -> String {
        let mut rows: Vec<(&&str, &Row)> = self.rows.iter().collect();
        // Ties (and `-S nothing`) in syscall number order, as strace's.
        rows.sort_by(|a, b| a.1.nr.cmp(&b.1.nr).then(a.0.cmp(b.0)));
        if let SortBy::Column(c) = self.sort {
            rows.sort_by(|a, b| match c {
                Column::Name => a.0.cmp(b.0),
                Column::Calls => b.1.calls.cmp(&a.1.calls),
                Column::Errors => b.1.errors.cmp(&a.1.errors),
                Column::Min => b.1.min_ns.cmp(&a.1.min_ns),
                Column::Max => b.1.max_ns.cmp(&a.1.max_ns),
                Column::Avg => b.1.avg_us().cmp(&a.1.avg_us()),
                Column::P50 => b.1.p(0.5).cmp(&a.1.p(0.5)),
                Column::P99 => b.1.p(0.99).cmp(&a.1.p(0.99)),
                Column::Percent | Column::Total => {
                    b.1.ns.cmp(&a.1.ns).then(b.1.calls.cmp(&a.1.calls))
                }
            });
        }
        let mut total = Row {
            calls: rows.iter().map(|r| r.1.calls).sum(),
            errors: rows.iter().map(|r| r.1.errors).sum(),
            ns: rows.iter().map(|r| r.1.ns).sum(),
            min_ns: rows.iter().map(|r| r.1.min_ns).min().unwrap_or(0),
            max_ns: rows.iter().map(|r| r.1.max_ns).max().unwrap_or(0),
            nr: 0,
            hist: Hist::default(),
        };
        for (_, r) in &rows {
            for (a, b) in total.hist.0.iter_mut().zip(r.hist.0) {
                *a += b;
            }
        }
        let secs = |ns: u64| ns as f64 / 1e9;
        let cell = |c: Column, name: &str, r: &Row| -> String {
            match c {
                Column::Percent if total.ns == 0 => "0.00".to_string(),
                Column::Percent => format!("{:.2}", 100.0 * r.ns as f64 / total.ns as f64),
                Column::Total => format!("{:.6}", secs(r.ns)),
                Column::Min => format!("{:.6}", secs(r.min_ns)),
                Column::Max => format!("{:.6}", secs(r.max_ns)),
                Column::P50 => format!("{:.6}", secs(r.p(0.5))),
                Column::P99 => format!("{:.6}", secs(r.p(0.99))),
                Column::Avg => r.avg_us().to_string(),
                Column::Calls => r.calls.to_string(),
                // strace prints no 0 errors.
                Column::Errors if r.errors == 0 => String::new(),
                Column::Errors => r.errors.to_string(),
                Column::Name => name.to_string(),
            }
        };
        let names_max = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
        let widths: Vec<usize> = self
            .columns
            .iter()
            .map(|&c| {
                let widest = match c {
                    Column::Name => names_max + 1,
                    Column::Percent => "100.00".len(),
                    _ => rows
                        .iter()
                        .map(|r| cell(c, r.0, r.1).len())
                        .chain([cell(c, "total", &total).len()])
                        .max()
                        .unwrap_or(0),
                };
                widest.max(c.min_width())
            })
            .collect();
        let last = self.columns.len().saturating_sub(1);
        let line = |s: &mut String, values: &[String]| {
            for (i, (c, v)) in self.columns.iter().zip(values).enumerate() {
                if i > 0 {
                    s.push(' ');
                }
                let w = widths[i];
                let _ = match (c, i == last) {
                    (Column::Name, true) => write!(s, "{v}"),
                    (Column::Name, false) => write!(s, "{v:<w$}"),
                    _ => write!(s, "{v:>w$}"),
                };
            }
            s.push('\n');
        };
        let sep: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        let mut s = String::new();
        let header: Vec<String> = self
            .columns
            .iter()
            .map(|c| c.header().to_string())
            .collect();
        line(&mut s, &header);
        line(&mut s, &sep);
        for (name, r) in &rows {
            let values: Vec<String> = self.columns.iter().map(|&c| cell(c, name, r)).collect();
            line(&mut s, &values);
        }
        line(&mut s, &sep);
        let values: Vec<String> = self
            .columns
            .iter()
            .map(|&c| match c {
                Column::Percent => "100.00".to_string(),
                _ => cell(c, "total", &total),
            })
            .collect();
        line(&mut s, &values);
        if self.histograms {
            s.push_str(&self.render_histograms());
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_like_strace() {
        let mut s = Summary::default();
        s.add("openat", 257, false, Some(3000));
        s.add("openat", 257, true, Some(1000));
        s.add("close", 3, false, Some(4000));
        let t = s.render();
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(
            lines[0],
            "% time     seconds  usecs/call     calls    errors syscall"
        );
        assert_eq!(
            lines[1],
            "------ ----------- ----------- --------- --------- ----------------"
        );
        assert_eq!(
            lines[2],
            " 50.00    0.000004           2         2         1 openat"
        );
        assert_eq!(
            lines[3],
            " 50.00    0.000004           4         1           close"
        );
        assert_eq!(
            lines[5],
            "100.00    0.000008           2         3         1 total"
        );
    }

    #[test]
    fn columns_and_sorting_as_strace_takes_them() {
        let mut s = Summary::new(
            ["name", "calls", "min-time", "max_time"]
                .iter()
                .map(|c| Column::parse(c).unwrap())
                .collect(),
            SortBy::Column(Column::Calls),
        );
        s.add("openat", 257, false, Some(3000));
        s.add("openat", 257, true, Some(1000));
        s.add("close", 3, false, Some(4000));
        let t = s.render();
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "syscall              calls shortest  longest");
        assert_eq!(lines[1], "---------------- --------- -------- --------");
        assert_eq!(lines[2], "openat                   2 0.000001 0.000003");
        assert_eq!(lines[3], "close                    1 0.000004 0.000004");
        assert_eq!(lines[5], "total                    3 0.000001 0.000004");
    }

    #[test]
    fn percentiles_and_histograms() {
        let mut s = Summary::new(
            ["name", "calls", "p50", "p99", "max-time"]
                .iter()
                .map(|c| Column::parse(c).unwrap())
                .collect(),
            SortBy::Column(Column::Calls),
        );
        // 99 calls of ~1 us and one of 1 ms: p50 is in the 1 us bucket, p99 too, max 1 ms.
        for _ in 0..99 {
            s.add("read", 0, false, Some(1000));
        }
        s.add("read", 0, false, Some(1_000_000));
        s.histograms = true;
        let t = s.render();
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(
            lines[0],
            "syscall              calls      p50      p99  longest"
        );
        // The 1000 ns calls are in bucket [512, 1023]: estimates stay inside it.
        let row: Vec<&str> = lines[2].split_whitespace().collect();
        assert_eq!(row[..2], ["read", "100"]);
        assert!(row[2] == "0.000001" && row[3] == "0.000001", "{row:?}");
        assert_eq!(row[4], "0.001000");
        assert!(t.contains("read: 100 calls, p50 "), "{t}");
        assert!(t.contains("                 512 -> 1023     : 99        |****************************************|"), "{t}");
        assert!(t.contains("              524288 -> 1048575  : 1         |*                                       |"), "{t}");
        // Untimed calls: no percentiles, no histogram.
        let mut u = Summary::default();
        u.add("read", 0, false, None);
        u.histograms = true;
        assert!(!u.render().contains("distribution"));
        assert_eq!(Hist::default().quantile(0.5, 0, 0), None);
        assert_eq!(latency_bucket(0), 0);
        assert_eq!(latency_bucket(1), 1);
        assert_eq!(latency_bucket(1023), 10);
        assert_eq!(latency_bucket(1024), 11);
        assert_eq!(latency_bucket(u64::MAX), LATENCY_BUCKETS - 1);
    }
}
