//! Golden tests of the decoder and the printers: a recorded stream of ring-buffer records
//! (`tests/data/mixed.trc`: ls, a loopback TCP pair, sendmmsg/recvmmsg, anonymous fds, an
//! i386 call, dd; converted from the first raw-record file to a capture) decoded through the same pipeline as a live
//! run, compared byte for byte with the output recorded when the stream was made. Any change
//! to what the tracer prints for the same records shows here. No kernel needed.
use std::{path::Path, process::Command};

const TRACER: &str = env!("CARGO_BIN_EXE_tracer");

fn data(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn decode(flags: &[&str], golden: &str) {
    decode_capture("mixed.trc", flags, golden);
}

/// `capture` decoded with `flags`, compared byte for byte with `golden`.
fn decode_capture(capture: &str, flags: &[&str], golden: &str) {
    let out = std::env::temp_dir().join(format!("tracer-golden-{}-{golden}", std::process::id()));
    let o = Command::new(TRACER)
        .arg("--read")
        .arg(data(capture))
        .args(flags)
        .arg("-o")
        .arg(&out)
        // Dates (stat's times under -v) print in the local zone.
        .env("TZ", "UTC")
        .output()
        .expect("run tracer");
    assert!(o.status.success(), "{o:?}");
    let got = std::fs::read(&out).unwrap();
    std::fs::remove_file(&out).ok();
    let want = std::fs::read(data(golden)).unwrap();
    if got != want {
        let (g, w) = (
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want),
        );
        let first = g
            .lines()
            .zip(w.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(g.lines().count().min(w.lines().count()));
        panic!(
            "{golden}: output differs from line {}:\n  got:  {:?}\n  want: {:?}",
            first + 1,
            g.lines().nth(first),
            w.lines().nth(first)
        );
    }
}

#[test]
fn strace_text() {
    decode(&[], "mixed.txt");
}

#[test]
fn json_lines() {
    decode(&["--json"], "mixed.json");
}

#[test]
fn hex_strings_and_environment() {
    decode(&["-xx", "-s", "100", "-v"], "mixed-xx-v.txt");
}

#[test]
fn summary_table() {
    decode(&["-c"], "mixed-summary.txt");
}

/// `tests/data/small.trc`: a capture the tracer wrote (`--write --compress -f -yy
/// --fd-origin -T -tt`, victim tcp-pair), with the live run's output as `small.txt`. Its
/// accept(fd, NULL, NULL) was named from /proc during the live run: the replay takes that
/// answer from the capture. A change of the capture format that old files cannot follow
/// fails here.
fn replay_small(flags: &[&str], golden: &str) {
    decode_capture("small.trc", flags, golden);
}

#[test]
fn stored_capture_replays_as_the_live_run_printed() {
    replay_small(&["-f", "-yy", "--fd-origin", "-T", "-tt"], "small.txt");
}

#[test]
fn stored_capture_as_json() {
    replay_small(&["--json"], "small.json");
}
