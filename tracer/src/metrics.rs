//! `--metrics ADDR`: Prometheus text format over HTTP, for scraping across a fleet. Failures
//! are counted by (syscall, errno, process name); label sets are capped so that a host full of
//! short-lived, oddly named processes cannot blow up the series count.
use std::{
    collections::BTreeMap,
    convert::Infallible,
    fmt::Write as _,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request, Response, body::Incoming, server::conn::http1, service::service_fn};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::{net::TcpListener, sync::Semaphore};

/// Connections served at once; more are closed as soon as they are accepted. A scraper
/// needs one; the cap keeps idle clients from using up the tracer's fds.
const MAX_CONNECTIONS: usize = 16;
/// A client has this long to send its request headers (hyper's header-read timeout), and
/// an exchange this long in all: an idle or slow client cannot hold a slot.
const HEADER_TIMEOUT: Duration = Duration::from_secs(2);
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(10);

/// Distinct (syscall, errno, comm) series kept; beyond it, comm becomes `_other`.
pub const MAX_SERIES: usize = 1000;

#[derive(Debug, Default)]
pub struct Metrics {
    /// (syscall, errno, comm, container) -> failures.
    failures: BTreeMap<(String, String, String, String), u64>,
    /// Series carry a `container` label (`--decode-pids=container`, cgroup filters).
    pub containers: bool,
    pub events: u64,
    pub lost: u64,
    pub suppressed: u64,
    /// The ring buffer's fill level at the last look (0 to 1).
    pub ring_fill: f64,
}

impl Metrics {
    pub fn add_failures(
        &mut self,
        syscall: &str,
        errno: &str,
        comm: &str,
        container: &str,
        n: u64,
    ) {
        if n == 0 {
            return;
        }
        let mut key = (
            syscall.to_string(),
            errno.to_string(),
            comm.to_string(),
            container.to_string(),
        );
        if !self.failures.contains_key(&key) && self.failures.len() >= MAX_SERIES {
            key.2 = "_other".to_string();
            if !key.3.is_empty() {
                key.3 = "_other".to_string();
            }
        }
        *self.failures.entry(key).or_default() += n;
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# HELP tracer_syscall_failures_total Failed syscalls by syscall, errno and process name."
        );
        let _ = writeln!(s, "# TYPE tracer_syscall_failures_total counter");
        for ((sc, errno, comm, container), n) in &self.failures {
            let _ = write!(
                s,
                "tracer_syscall_failures_total{{syscall=\"{}\",errno=\"{}\",comm=\"{}\"",
                escape(sc),
                escape(errno),
                escape(comm)
            );
            if self.containers {
                let _ = write!(s, ",container=\"{}\"", escape(container));
            }
            let _ = writeln!(s, "}} {n}");
        }
        let _ = writeln!(
            s,
            "# HELP tracer_events_total Records received from the kernel."
        );
        let _ = writeln!(s, "# TYPE tracer_events_total counter");
        let _ = writeln!(s, "tracer_events_total {}", self.events);
        let _ = writeln!(
            s,
            "# HELP tracer_events_lost_total Records the kernel could not deliver (ring buffer full)."
        );
        let _ = writeln!(s, "# TYPE tracer_events_lost_total counter");
        let _ = writeln!(s, "tracer_events_lost_total {}", self.lost);
        let _ = writeln!(
            s,
            "# HELP tracer_failures_aggregated_total Failures counted in the kernel without a record (floods)."
        );
        let _ = writeln!(s, "# TYPE tracer_failures_aggregated_total counter");
        let _ = writeln!(s, "tracer_failures_aggregated_total {}", self.suppressed);
        let _ = writeln!(
            s,
            "# HELP tracer_records_dropped_total Records not delivered, by reason: the ring buffer was full (lost), or a flood was only counted in the kernel (sampled_out).\n# TYPE tracer_records_dropped_total counter\ntracer_records_dropped_total{{reason=\"ring_buffer_full\"}} {}\ntracer_records_dropped_total{{reason=\"sampled_out\"}} {}",
            self.lost, self.suppressed
        );
        let _ = writeln!(
            s,
            "# HELP tracer_ring_buffer_fill Share of the ring buffer holding unread records.\n# TYPE tracer_ring_buffer_fill gauge\ntracer_ring_buffer_fill {:.4}",
            self.ring_fill
        );
        let _ = writeln!(
            s,
            "# HELP tracer_series_limit Label sets kept before comm becomes _other."
        );
        let _ = writeln!(s, "# TYPE tracer_series_limit gauge");
        let _ = writeln!(s, "tracer_series_limit {MAX_SERIES}");
        let _ = writeln!(
            s,
            "# HELP tracer_build_info The tracer's version, as a label.\n# TYPE tracer_build_info gauge\ntracer_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        // The standard process metrics (client libraries' names), from /proc/self/stat.
        if let Some((cpu, rss)) = own_usage() {
            let _ = writeln!(
                s,
                "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total {cpu:.2}"
            );
            let _ = writeln!(
                s,
                "# HELP process_resident_memory_bytes Resident memory size in bytes.\n# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes {rss}"
            );
        }
        s
    }
}

/// This process's CPU seconds and resident bytes.
fn own_usage() -> Option<(f64, u64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces): state is field 3.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime, stime: fields 14, 15; rss (pages): field 24; `rest` starts at field 3.
    let ticks = |i: usize| f.get(i - 3)?.parse::<u64>().ok();
    // SAFETY: sysconf has no preconditions.
    let (hz, page) = unsafe {
        (
            libc::sysconf(libc::_SC_CLK_TCK) as f64,
            libc::sysconf(libc::_SC_PAGESIZE) as u64,
        )
    };
    Some(((ticks(14)? + ticks(15)?) as f64 / hz, ticks(24)? * page))
}

/// Label value escaping of the text format: backslash, double quote, newline.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Binds the listener now (so a bad address is a start-up error) and serves in the background.
/// Serves `/metrics` with hyper (HTTP/1.1, one request per connection) until the process
/// ends. Accept errors (EMFILE under a low fd limit, ENOBUFS) back off instead of spinning.
pub async fn serve(addr: SocketAddr, metrics: Arc<Mutex<Metrics>>) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    tokio::spawn(async move {
        let mut backoff = Duration::from_millis(10);
        loop {
            let sock = match listener.accept().await {
                Ok((sock, _)) => {
                    backoff = Duration::from_millis(10);
                    sock
                }
                Err(_) => {
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(1));
                    continue;
                }
            };
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                // At the cap: closed at once (the client may retry), not left to pile up.
                drop(sock);
                continue;
            };
            let metrics = metrics.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req: Request<Incoming>| {
                    let m = metrics.clone();
                    async move { Ok::<_, Infallible>(respond(&req, &m)) }
                });
                let conn = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .keep_alive(false)
                    .serve_connection(TokioIo::new(sock), service);
                let _ = tokio::time::timeout(EXCHANGE_TIMEOUT, conn).await;
                drop(slot);
            });
        }
    });
    Ok(local)
}

/// `GET /metrics` (or `/`): the text format; anything else: 404.
fn respond(req: &Request<Incoming>, metrics: &Mutex<Metrics>) -> Response<Full<Bytes>> {
    let path = req.uri().path();
    let (status, body) =
        if req.method() == hyper::Method::GET && (path == "/metrics" || path == "/") {
            (200, metrics.lock().map(|m| m.render()).unwrap_or_default())
        } else {
            (404, "only GET /metrics is served\n".to_string())
        };
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or_default();
    resp.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_format_and_cardinality_cap() {
        let mut m = Metrics::default();
        m.add_failures("openat", "ENOENT", "ca\"t", "", 3);
        m.add_failures("openat", "ENOENT", "ca\"t", "", 2);
        let r = m.render();
        assert!(r.contains("tracer_syscall_failures_total{syscall=\"openat\",errno=\"ENOENT\",comm=\"ca\\\"t\"} 5"), "{r}");
        for i in 0..MAX_SERIES + 10 {
            m.add_failures("close", "EBADF", &format!("p{i}"), "", 1);
        }
        let r = m.render();
        let series = r
            .lines()
            .filter(|l| l.starts_with("tracer_syscall_failures_total{"))
            .count();
        assert_eq!(series, MAX_SERIES + 1, "the cap plus _other");
        assert!(r.contains("comm=\"_other\"} 11"), "{r}");
    }
}
