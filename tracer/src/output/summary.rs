//! `-c` / `-C`: strace's table of time, calls and errors per syscall, with strace's `-S`
//! (sort) and `-U` (columns). Times are each call's latency, entry to exit (what strace shows
//! with `-w`; without it strace shows system time, which ptrace's stops would distort anyway).
use std::{collections::HashMap, fmt::Write as _};

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
}

impl Row {
    fn avg_us(&self) -> u64 {
        self.ns / 1000 / self.calls.max(1)
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
        }
    }

    /// The least width (strace's header sizes).
    fn min_width(self) -> usize {
        match self {
            Column::Percent => 6,
            Column::Total | Column::Avg => 11,
            Column::Min => 8,
            Column::Max => 7,
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
        }
    }

    pub fn add(&mut self, name: &'static str, nr: u32, failed: bool, ns: u64) {
        self.add_totals(name, nr, 1, u64::from(failed), ns, ns, ns);
    }

    /// Adds counts made elsewhere (the kernel's, for `-c` without a trace).
    #[allow(clippy::too_many_arguments)]
    pub fn add_totals(
        &mut self,
        name: &'static str,
        nr: u32,
        calls: u64,
        errors: u64,
        ns: u64,
        min_ns: u64,
        max_ns: u64,
    ) {
        let r = self.rows.entry(name).or_insert(Row {
            nr,
            ..Row::default()
        });
        r.min_ns = if r.calls == 0 {
            min_ns
        } else {
            r.min_ns.min(min_ns)
        };
        r.max_ns = r.max_ns.max(max_ns);
        r.calls += calls;
        r.errors += errors;
        r.ns += ns;
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
                Column::Percent | Column::Total => {
                    b.1.ns.cmp(&a.1.ns).then(b.1.calls.cmp(&a.1.calls))
                }
            });
        }
        let total = Row {
            calls: rows.iter().map(|r| r.1.calls).sum(),
            errors: rows.iter().map(|r| r.1.errors).sum(),
            ns: rows.iter().map(|r| r.1.ns).sum(),
            min_ns: rows.iter().map(|r| r.1.min_ns).min().unwrap_or(0),
            max_ns: rows.iter().map(|r| r.1.max_ns).max().unwrap_or(0),
            nr: 0,
        };
        let secs = |ns: u64| ns as f64 / 1e9;
        let cell = |c: Column, name: &str, r: &Row| -> String {
            match c {
                Column::Percent if total.ns == 0 => "0.00".to_string(),
                Column::Percent => format!("{:.2}", 100.0 * r.ns as f64 / total.ns as f64),
                Column::Total => format!("{:.6}", secs(r.ns)),
                Column::Min => format!("{:.6}", secs(r.min_ns)),
                Column::Max => format!("{:.6}", secs(r.max_ns)),
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
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_like_strace() {
        let mut s = Summary::default();
        s.add("openat", 257, false, 3000);
        s.add("openat", 257, true, 1000);
        s.add("close", 3, false, 4000);
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
        s.add("openat", 257, false, 3000);
        s.add("openat", 257, true, 1000);
        s.add("close", 3, false, 4000);
        let t = s.render();
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "syscall              calls shortest  longest");
        assert_eq!(lines[1], "---------------- --------- -------- --------");
        assert_eq!(lines[2], "openat                   2 0.000001 0.000003");
        assert_eq!(lines[3], "close                    1 0.000004 0.000004");
        assert_eq!(lines[5], "total                    3 0.000001 0.000004");
    }
}
