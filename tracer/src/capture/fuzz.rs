//! Fuzzing the capture reader and the decoder behind it (proptest, in `cargo test`): damaged
//! files (cut anywhere, bytes flipped) and valid files whose records hold arbitrary bytes go
//! through the whole replay (reader, pipeline, text and JSON printers, -c). Nothing may
//! panic; damage ends in an error, garbage records in lines or a skipped record.
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::{Header, Item, WriteOpts, Writer, read};

/// tests/data/small.trc: a capture the tracer wrote (compressed).
const SMALL: &[u8] = include_bytes!("../../tests/data/small.trc");

/// The stored capture as its header, its seed facts, and (record, facts) pairs.
struct Parts {
    header: Header,
    seed: Vec<u8>,
    records: Vec<(Vec<u8>, Vec<u8>)>,
}

/// A file of its own (the tests run in parallel threads).
fn tmp(name: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("tracer-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(format!("{n}-{name}"))
}

fn parts() -> &'static Parts {
    static PARTS: std::sync::OnceLock<Parts> = std::sync::OnceLock::new();
    PARTS.get_or_init(read_parts)
}

fn read_parts() -> Parts {
    let path = tmp("small.trc");
    std::fs::write(&path, SMALL).unwrap();
    let (mut header, mut seed, mut records) = (None, Vec::new(), Vec::new());
    let mut pending = Vec::new();
    read(&[path], |item| {
        match item {
            Item::Header(h) => header = Some(h.clone()),
            Item::Facts(f) => pending.extend_from_slice(f),
            Item::Record(r) => {
                if records.is_empty() && seed.is_empty() {
                    // Facts before the first record's own: the seed (the first record's
                    // facts are kept with it; both orders replay the same).
                    seed = std::mem::take(&mut pending);
                }
                records.push((r.to_vec(), std::mem::take(&mut pending)));
            }
            _ => {}
        }
        Ok(())
    })
    .unwrap();
    Parts {
        header: header.unwrap(),
        seed,
        records,
    }
}

/// An uncompressed capture of `records` at `path`.
fn write(path: &Path, p: &Parts, records: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let opts = WriteOpts {
        path: path.to_path_buf(),
        file_size: 0,
        file_count: 0,
        zstd_level: 0,
    };
    let mut w = Writer::create(opts, p.header.clone(), &p.seed).unwrap();
    for (r, f) in records {
        w.record(r, f).unwrap();
    }
    w.finish().unwrap();
    std::fs::read(path).unwrap()
}

/// The whole replay of `path` with `flags`: Ok or an error, never a panic.
fn replay(path: &Path, flags: &[&str]) -> Result<(), String> {
    use clap::Parser;
    let mut args = vec![
        "tracer",
        "--read",
        path.to_str().unwrap(),
        "-o",
        "/dev/null",
    ];
    args.extend_from_slice(flags);
    let cli = crate::cli::Cli::try_parse_from(args).map_err(|e| e.to_string())?;
    let cfg = crate::config::Config::from_cli(cli).map_err(|e| e.to_string())?;
    crate::app::replay(cfg)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

const FLAGS: [&[&str]; 3] = [
    &["-f", "-yy", "--fd-origin", "-T", "-tt", "-v", "-xx"],
    &["--json"],
    &["-c", "-T"],
];

#[test]
fn the_stored_capture_replays_cleanly() {
    let p = parts();
    assert!(p.records.len() > 20);
    let path = tmp("clean.trc");
    write(&path, p, &p.records);
    for flags in FLAGS {
        replay(&path, flags).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn damaged_files_end_in_one_error(
        cut in 0.0f64..=1.0,
        flips in proptest::collection::vec((0.0f64..1.0, 1u8..=255), 0..4),
    ) {
        let p = parts();
        let path = tmp("damaged.trc");
        let mut bytes = write(&path, p, &p.records);
        for (at, x) in flips {
            let last = bytes.len() - 1;
            let i = ((bytes.len() as f64) * at) as usize;
            bytes[i.min(last)] ^= x;
        }
        bytes.truncate(((bytes.len() as f64) * cut) as usize);
        std::fs::write(&path, &bytes).unwrap();
        for flags in FLAGS {
            let _ = replay(&path, flags);
        }
        std::fs::remove_file(&path).ok();
    }

    #[test]
    fn garbage_records_never_panic_the_decoder(
        which in 0usize..1000,
        changes in proptest::collection::vec((0usize..4096, any::<u8>()), 1..12),
        grow in 0usize..64,
    ) {
        let p = parts();
        let mut records = p.records.clone();
        let i = which % records.len();
        let rec = &mut records[i].0;
        rec.extend(std::iter::repeat_n(0xa5, grow));
        for (at, v) in changes {
            let n = rec.len();
            rec[at % n] = v;
        }
        let path = tmp("garbage.trc");
        write(&path, p, &records);
        for flags in FLAGS {
            replay(&path, flags).map_err(TestCaseError::fail)?;
        }
        std::fs::remove_file(&path).ok();
    }
}
