//! `-c` / `-C`: strace's table of time, calls and errors per syscall.
use std::{collections::HashMap, fmt::Write as _};

#[derive(Clone, Copy, Debug, Default)]
pub struct Row {
    pub calls: u64,
    pub errors: u64,
    pub ns: u64,
}

#[derive(Debug, Default)]
pub struct Summary {
    rows: HashMap<&'static str, Row>,
}

impl Summary {
    pub fn add(&mut self, name: &'static str, failed: bool, ns: u64) {
        self.add_totals(name, 1, u64::from(failed), ns);
    }

    /// Adds counts made elsewhere (the kernel's, for `-c` without a trace).
    pub fn add_totals(&mut self, name: &'static str, calls: u64, errors: u64, ns: u64) {
        let r = self.rows.entry(name).or_default();
        r.calls += calls;
        r.errors += errors;
        r.ns += ns;
    }

    /// The table, sorted by time then calls, as strace prints it.
    pub fn render(&self) -> String {
        let mut rows: Vec<_> = self.rows.iter().collect();
        rows.sort_by(|a, b| {
            b.1.ns
                .cmp(&a.1.ns)
                .then(b.1.calls.cmp(&a.1.calls))
                .then(a.0.cmp(b.0))
        });
        let total_ns: u64 = rows.iter().map(|r| r.1.ns).sum();
        let total_calls: u64 = rows.iter().map(|r| r.1.calls).sum();
        let total_errors: u64 = rows.iter().map(|r| r.1.errors).sum();
        let mut s = String::new();
        let sep = "------ ----------- ----------- --------- --------- ----------------";
        let _ = writeln!(
            s,
            "% time     seconds  usecs/call     calls    errors syscall"
        );
        let _ = writeln!(s, "{sep}");
        for (name, r) in &rows {
            let pct = if total_ns == 0 {
                0.0
            } else {
                100.0 * r.ns as f64 / total_ns as f64
            };
            let errors = if r.errors == 0 {
                String::new()
            } else {
                r.errors.to_string()
            };
            let _ = writeln!(
                s,
                "{:>6.2} {:>11.6} {:>11} {:>9} {:>9} {}",
                pct,
                r.ns as f64 / 1e9,
                r.ns / 1000 / r.calls.max(1),
                r.calls,
                errors,
                name
            );
        }
        let _ = writeln!(s, "{sep}");
        let errors = if total_errors == 0 {
            String::new()
        } else {
            total_errors.to_string()
        };
        let _ = writeln!(
            s,
            "{:>6.2} {:>11.6} {:>11} {:>9} {:>9} total",
            100.0,
            total_ns as f64 / 1e9,
            total_ns / 1000 / total_calls.max(1),
            total_calls,
            errors
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_like_strace() {
        let mut s = Summary::default();
        s.add("openat", false, 3000);
        s.add("openat", true, 1000);
        s.add("close", false, 4000);
        let t = s.render();
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(
            lines[0],
            "% time     seconds  usecs/call     calls    errors syscall"
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
}
