//! Capture files (`--write`, `--read`): the kernel's records as they came, plus what decoding
//! them later needs (a header, the /proc answers of [`crate::world`]), in checksummed chunks,
//! optionally zstd-compressed, optionally rotated over several files. The layout is
//! documented block by block in docs/capture-format.md; this file is its only implementation.
//!
//! Writing costs a copy per record: nothing is decoded on that path.
use std::{
    fmt,
    fs::File,
    io::{self, BufWriter, Read, Write},
    path::{Path, PathBuf},
};

/// The first bytes of every (uncompressed) capture.
pub const MAGIC: &[u8; 8] = b"TRCRCAP\n";
/// Format version: readers refuse a newer major; a newer minor only adds block types, which
/// older readers skip. 2.0: RECORD blocks may hold compact records (`kind::SYSCALL_COMPACT`),
/// which a 1.x reader would take for full ones; this reader reads 1.x files too. 2.1: records
/// of `kind::EXEC_ARGS` (an exec's argv at entry), which 2.0 readers skip.
pub const MAJOR: u16 = 2;
pub const MINOR: u16 = 1;
/// zstd's frame magic, as it starts a compressed file.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// Block types.
pub mod block {
    /// The header: u16 major, u16 minor, then `key=value` lines (UTF-8).
    pub const HEADER: u8 = 1;
    /// One ring-buffer record, byte for byte.
    pub const RECORD: u8 = 2;
    /// Answers from /proc (crate::world's encoding), for the record before them.
    pub const FACTS: u8 = 3;
    /// u64: records the kernel lost that no record's `lost_before` carries (at the end).
    pub const LOST: u8 = 4;
    /// u64 records, u64 lost: the file is complete.
    pub const END: u8 = 5;
}

/// A chunk is flushed once its body reaches this size (and at each flush of the run loop).
const CHUNK_TARGET: usize = 256 << 10;
/// Largest chunk body a reader accepts: a longer length field is damage.
const CHUNK_MAX: usize = 4 << 20;
/// Chunk frame: u32 body length, u32 CRC-32 of the body.
const CHUNK_HEAD: usize = 8;
/// Block frame: u8 type, u32 length.
const BLOCK_HEAD: usize = 5;

/// The header's fields: how the capture was made and what its records carry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    pub major: u16,
    pub minor: u16,
    /// `key=value` pairs, in order (unknown keys are kept and ignored).
    pub fields: Vec<(String, String)>,
}

impl Header {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn flag(&self, key: &str) -> bool {
        self.get(key) == Some("1")
    }

    pub fn num(&self, key: &str) -> Option<u64> {
        self.get(key)?.parse().ok()
    }

    /// A comma-separated list of numbers.
    pub fn nums(&self, key: &str) -> Vec<u32> {
        self.get(key)
            .unwrap_or_default()
            .split(',')
            .filter_map(|s| s.parse().ok())
            .collect()
    }

    pub fn set(&mut self, key: &str, value: impl fmt::Display) {
        let v = value.to_string().replace('\n', " ");
        match self.fields.iter_mut().find(|(k, _)| k == key) {
            Some(f) => f.1 = v,
            None => self.fields.push((key.to_string(), v)),
        }
    }

    fn encode(&self) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&MAJOR.to_le_bytes());
        b.extend_from_slice(&MINOR.to_le_bytes());
        for (k, v) in &self.fields {
            b.extend_from_slice(format!("{k}={v}\n").as_bytes());
        }
        b
    }

    fn decode(b: &[u8]) -> Option<Self> {
        let major = u16::from_le_bytes(b.get(0..2)?.try_into().ok()?);
        let minor = u16::from_le_bytes(b.get(2..4)?.try_into().ok()?);
        let text = std::str::from_utf8(&b[4..]).ok()?;
        let fields = text
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Some(Self {
            major,
            minor,
            fields,
        })
    }
}

/// Where and how to write.
#[derive(Clone, Debug)]
pub struct WriteOpts {
    pub path: PathBuf,
    /// `--file-size`: start a new file once this many bytes were written (0: never).
    pub file_size: u64,
    /// `--file-count`: at most this many files, reused in turn (0: no limit).
    pub file_count: u32,
    /// `--compress`: zstd at this level (0: none).
    pub zstd_level: i32,
}

/// Counts the bytes that reach the file (after compression).
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(b)?;
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

enum Sink {
    Plain(Counting<BufWriter<File>>),
    Zstd(zstd::Encoder<'static, Counting<BufWriter<File>>>),
}

impl Sink {
    fn open(path: &Path, level: i32) -> io::Result<Self> {
        let f = Counting {
            inner: BufWriter::with_capacity(1 << 20, File::create(path)?),
            bytes: 0,
        };
        Ok(if level > 0 {
            Sink::Zstd(zstd::Encoder::new(f, level)?)
        } else {
            Sink::Plain(f)
        })
    }

    fn out(&mut self) -> &mut dyn Write {
        match self {
            Sink::Plain(w) => w,
            Sink::Zstd(w) => w,
        }
    }

    fn bytes(&self) -> u64 {
        match self {
            Sink::Plain(w) => w.bytes,
            Sink::Zstd(w) => w.get_ref().bytes,
        }
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Sink::Plain(mut w) => w.flush(),
            Sink::Zstd(w) => w.finish()?.flush(),
        }
    }
}

/// Writes a capture: records and facts into chunks, chunks into files.
pub struct Writer {
    opts: WriteOpts,
    header: Header,
    sink: Option<Sink>,
    chunk: Vec<u8>,
    /// Index of the current file (rotation).
    part: u64,
    records: u64,
    lost: u64,
    /// Paths written, in order.
    pub files: Vec<PathBuf>,
}

impl Writer {
    /// Creates the first file and writes its header and `facts` (the attach-time state).
    pub fn create(opts: WriteOpts, header: Header, facts: &[u8]) -> io::Result<Self> {
        let mut w = Self {
            opts,
            header,
            sink: None,
            chunk: Vec::with_capacity(CHUNK_TARGET + (64 << 10)),
            part: 0,
            records: 0,
            lost: 0,
            files: Vec::new(),
        };
        w.open(facts)?;
        Ok(w)
    }

    /// The path of file number `part`: tcpdump's names (FILE, FILE1, FILE2... with
    /// --file-size; FILE0..FILE{N-1}, zero-padded, with --file-count).
    pub fn part_path(opts: &WriteOpts, part: u64) -> PathBuf {
        let base = opts.path.as_os_str().to_string_lossy();
        if opts.file_count > 0 {
            let width = (opts.file_count.max(2) - 1).to_string().len();
            PathBuf::from(format!(
                "{base}{:0width$}",
                part % u64::from(opts.file_count)
            ))
        } else if part == 0 {
            opts.path.clone()
        } else {
            PathBuf::from(format!("{base}{part}"))
        }
    }

    fn open(&mut self, facts: &[u8]) -> io::Result<()> {
        let path = Self::part_path(&self.opts, self.part);
        let mut sink = Sink::open(&path, self.opts.zstd_level)?;
        sink.out().write_all(MAGIC)?;
        self.files.push(path);
        self.sink = Some(sink);
        self.header.set("part", self.part);
        let head = self.header.encode();
        self.block(block::HEADER, &head);
        if !facts.is_empty() {
            self.block(block::FACTS, facts);
        }
        // Compressed: the header ends a zstd block, so that a file cut short still says what
        // it is.
        self.flush()
    }

    fn block(&mut self, ty: u8, payload: &[u8]) {
        self.chunk.push(ty);
        self.chunk
            .extend_from_slice(&(payload.len() as u32).to_le_bytes());
        self.chunk.extend_from_slice(payload);
    }

    fn end_chunk(&mut self) -> io::Result<()> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        let Some(sink) = &mut self.sink else {
            return Ok(());
        };
        let out = sink.out();
        out.write_all(&(self.chunk.len() as u32).to_le_bytes())?;
        out.write_all(&crc32fast::hash(&self.chunk).to_le_bytes())?;
        out.write_all(&self.chunk)?;
        self.chunk.clear();
        Ok(())
    }

    /// Whether the current file is full: the caller starts the next with [`Self::rotate`]
    /// before the next record, giving it the state of that moment.
    pub fn wants_rotation(&self) -> bool {
        self.opts.file_size > 0
            && self.sink.as_ref().map_or(0, Sink::bytes) + self.chunk.len() as u64
                >= self.opts.file_size
    }

    /// Ends the current file and starts the next, with the traced processes of now (`procs`)
    /// and their state (`facts`).
    pub fn rotate(&mut self, procs: &[u32], facts: &[u8]) -> io::Result<()> {
        self.end_file()?;
        self.part += 1;
        self.header.set("procs", join(procs));
        self.open(facts)
    }

    fn end_file(&mut self) -> io::Result<()> {
        let mut end = self.records.to_le_bytes().to_vec();
        end.extend_from_slice(&self.lost.to_le_bytes());
        self.block(block::END, &end);
        self.end_chunk()?;
        match self.sink.take() {
            Some(s) => s.finish(),
            None => Ok(()),
        }
    }

    /// One record, with the facts its decoding asked for (empty when nothing decoded it).
    pub fn record(&mut self, bytes: &[u8], facts: &[u8]) -> io::Result<()> {
        self.records += 1;
        self.block(block::RECORD, bytes);
        if !facts.is_empty() {
            self.block(block::FACTS, facts);
        }
        if self.chunk.len() >= CHUNK_TARGET {
            self.end_chunk()?;
        }
        Ok(())
    }

    /// Facts asked outside any record (at the end of the run).
    pub fn facts(&mut self, facts: &[u8]) {
        if !facts.is_empty() {
            self.block(block::FACTS, facts);
        }
    }

    /// Records the kernel lost that the stream does not carry (its last losses).
    pub fn lost(&mut self, n: u64) {
        if n > 0 {
            self.lost += n;
            self.block(block::LOST, &n.to_le_bytes());
        }
    }

    /// Counts lost records the stream carries (for the trailer).
    pub fn count_lost(&mut self, n: u64) {
        self.lost += n;
    }

    /// Writes out what is buffered (the run loop calls this regularly: a crash loses little).
    pub fn flush(&mut self) -> io::Result<()> {
        self.end_chunk()?;
        match &mut self.sink {
            Some(s) => s.out().flush(),
            None => Ok(()),
        }
    }

    /// The trailer; the files are complete.
    pub fn finish(mut self) -> io::Result<Vec<PathBuf>> {
        self.end_file()?;
        Ok(self.files)
    }

    /// Records written so far, over all files.
    pub fn records(&self) -> u64 {
        self.records
    }
}

fn join(v: &[u32]) -> String {
    v.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

/// What is wrong with a capture, and where.
#[derive(Debug)]
pub struct ReadError {
    pub path: PathBuf,
    /// Byte offset in the (uncompressed) stream.
    pub offset: u64,
    pub what: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.what)?;
        if self.offset > 0 {
            write!(f, " (at byte {})", self.offset)?;
        }
        Ok(())
    }
}

impl std::error::Error for ReadError {}

/// One block of a capture, borrowed from its chunk.
#[derive(Debug)]
pub enum Item<'a> {
    /// A file starts (the first one, or the next of a rotation).
    Header(&'a Header),
    Record(&'a [u8]),
    Facts(&'a [u8]),
    Lost(u64),
    /// The file's trailer: it is complete.
    End,
}

/// Reads captures in order, handing each block to `f`. A record's facts are handed over
/// before the record (decoding it asks for them). Damage ends the read with a [`ReadError`]
/// after every block before it was handed over; an error of `f` ends it at once.
pub fn read(
    paths: &[PathBuf],
    mut f: impl FnMut(Item) -> io::Result<()>,
) -> Result<(), ReadFailure> {
    for path in paths {
        let file = File::open(path).map_err(|e| ReadFailure::Capture(open_error(path, &e)))?;
        read_one(path, file, &mut f)?;
    }
    Ok(())
}

fn open_error(path: &Path, e: &io::Error) -> ReadError {
    ReadError {
        path: path.to_path_buf(),
        offset: 0,
        what: format!("cannot open the capture ({e})"),
    }
}

/// The header of a capture's first file (read before decoding: it says how to decode).
pub fn first_header(path: &Path) -> Result<Header, ReadError> {
    let mut found = None;
    let r = read(std::slice::from_ref(&path.to_path_buf()), |item| {
        if let Item::Header(h) = item {
            found = Some(h.clone());
        }
        // Stop at once: the rest is read when decoding.
        Err(io::Error::other("header read"))
    });
    match (found, r) {
        (Some(h), _) => Ok(h),
        (None, Err(ReadFailure::Capture(e))) => Err(e),
        (None, _) => Err(ReadError {
            path: path.to_path_buf(),
            offset: 0,
            what: "the capture has no header".into(),
        }),
    }
}

/// Why a read ended early.
#[derive(Debug)]
pub enum ReadFailure {
    /// The capture is not readable (missing, damaged, newer).
    Capture(ReadError),
    /// The caller's function failed (writing the output).
    Sink(io::Error),
}

/// Reads exactly `buf.len()` bytes, or fewer at the end of the stream; returns how many. An
/// error after some bytes (a compressed file cut inside a frame) ends the data there: the
/// bytes before it are returned, and the caller finds the data cut short.
fn fill(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) if n > 0 => break,
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn read_one(
    path: &Path,
    mut file: File,
    f: &mut impl FnMut(Item) -> io::Result<()>,
) -> Result<(), ReadFailure> {
    let err = |offset: u64, what: String| {
        ReadFailure::Capture(ReadError {
            path: path.to_path_buf(),
            offset,
            what,
        })
    };
    let io_err = |offset: u64, e: io::Error| {
        err(
            offset,
            format!(
                "cannot read on ({e}): the capture is cut short or damaged here; the records before it were decoded"
            ),
        )
    };
    let mut first = [0u8; 8];
    let n = fill(&mut file, &mut first).map_err(|e| io_err(0, e))?;
    let mut stream: Box<dyn Read> = if n >= 4 && first[..4] == ZSTD_MAGIC {
        let head = io::Cursor::new(first[..n].to_vec());
        let dec = zstd::Decoder::new(head.chain(file))
            .map_err(|e| err(0, format!("cannot start zstd decompression ({e})")))?;
        let mut s: Box<dyn Read> = Box::new(dec);
        let n = fill(&mut s, &mut first).map_err(|e| io_err(0, e))?;
        if n < MAGIC.len() {
            return Err(err(
                0,
                "the compressed capture is empty or cut short".into(),
            ));
        }
        s
    } else {
        if n < MAGIC.len() && MAGIC.starts_with(&first[..n]) {
            return Err(err(
                n as u64,
                "the capture is empty or cut short before its header".into(),
            ));
        }
        Box::new(file)
    };
    if &first != MAGIC {
        return Err(err(
            0,
            "not a tracer capture (no TRCRCAP magic); give a file written by --write".into(),
        ));
    }
    let mut offset = MAGIC.len() as u64;
    let mut chunk = Vec::new();
    let mut header: Option<Header> = None;
    let mut ended = false;
    loop {
        let mut head = [0u8; CHUNK_HEAD];
        let n = fill(&mut stream, &mut head).map_err(|e| io_err(offset, e))?;
        if n == 0 {
            break;
        }
        if n < CHUNK_HEAD {
            return Err(err(offset, "the capture is cut short inside a chunk header; the records before it were decoded".into()));
        }
        let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let crc = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
        if len > CHUNK_MAX {
            return Err(err(
                offset,
                format!(
                    "a chunk claims {len} bytes (more than {CHUNK_MAX}): the capture is damaged from here; the records before it were decoded"
                ),
            ));
        }
        chunk.resize(len, 0);
        let got = fill(&mut stream, &mut chunk).map_err(|e| io_err(offset, e))?;
        let cut = got < len;
        if cut {
            // Cut short: what is there is not damaged; its whole blocks are decoded.
            chunk.truncate(got);
        } else if crc32fast::hash(&chunk) != crc {
            return Err(err(offset, "checksum mismatch: the capture is damaged from here; the records before it were decoded".into()));
        }
        let at = offset + CHUNK_HEAD as u64;
        let whole = blocks(&chunk, |item| match item {
            Raw::Header(h) => {
                let Some(h) = Header::decode(h) else {
                    return Err(err(at, "the header block is malformed".into()));
                };
                if h.major > MAJOR {
                    return Err(err(
                        at,
                        format!(
                            "capture format {}.{} is newer than this tracer reads ({MAJOR}.{MINOR}); decode it with a newer tracer",
                            h.major, h.minor
                        ),
                    ));
                }
                if let Some(a) = h.get("arch").filter(|a| *a != std::env::consts::ARCH) {
                    return Err(err(
                        at,
                        format!(
                            "the capture was made on {a}; this tracer decodes {} records only",
                            std::env::consts::ARCH
                        ),
                    ));
                }
                let r = f(Item::Header(&h));
                header = Some(h);
                r.map_err(ReadFailure::Sink)
            }
            _ if header.is_none() => {
                Err(err(at, "the capture does not start with its header".into()))
            }
            Raw::Record(b) => f(Item::Record(b)).map_err(ReadFailure::Sink),
            Raw::Facts(b) => f(Item::Facts(b)).map_err(ReadFailure::Sink),
            Raw::Lost(n) => f(Item::Lost(n)).map_err(ReadFailure::Sink),
            Raw::End => {
                ended = true;
                f(Item::End).map_err(ReadFailure::Sink)
            }
        })?;
        if cut || !whole {
            return Err(err(
                offset + CHUNK_HEAD as u64 + chunk.len() as u64,
                "the capture is cut short inside a chunk; the records before the cut were decoded"
                    .into(),
            ));
        }
        offset += (CHUNK_HEAD + len) as u64;
    }
    if header.is_none() {
        return Err(err(offset, "the capture has no header".into()));
    }
    if !ended {
        return Err(err(offset, "the capture ends without its trailer (the tracer that wrote it did not finish); the records in it were decoded".into()));
    }
    Ok(())
}

/// The next block of `rest`: Some(None) at its end, None if it ends inside a block.
#[allow(clippy::option_option)]
fn next_block<'a>(rest: &mut &'a [u8]) -> Option<Option<(u8, &'a [u8])>> {
    if rest.is_empty() {
        return Some(None);
    }
    if rest.len() < BLOCK_HEAD {
        return None;
    }
    let ty = rest[0];
    let len = u32::from_le_bytes([rest[1], rest[2], rest[3], rest[4]]) as usize;
    let payload = rest.get(BLOCK_HEAD..BLOCK_HEAD.checked_add(len)?)?;
    *rest = &rest[BLOCK_HEAD + len..];
    Some(Some((ty, payload)))
}

enum Raw<'a> {
    Header(&'a [u8]),
    Record(&'a [u8]),
    Facts(&'a [u8]),
    Lost(u64),
    End,
}

/// The blocks of one chunk body, in order, a record's facts before the record. Returns false
/// if the body ends inside a block (a cut file).
fn blocks<E>(body: &[u8], mut f: impl FnMut(Raw) -> Result<(), E>) -> Result<bool, E> {
    let mut rest = body;
    let word = |b: &[u8], i: usize| -> u64 {
        b.get(i..i + 8)
            .and_then(|w| w.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    };
    while let Some(item) = next_block(&mut rest) {
        let Some((ty, payload)) = item else {
            return Ok(true);
        };
        match ty {
            block::HEADER => f(Raw::Header(payload))?,
            block::RECORD => {
                // The facts written after a record answer what decoding it asks.
                let mut peek = rest;
                while let Some(Some((block::FACTS, facts))) = next_block(&mut peek) {
                    f(Raw::Facts(facts))?;
                    rest = peek;
                }
                f(Raw::Record(payload))?;
            }
            block::FACTS => f(Raw::Facts(payload))?,
            block::LOST => f(Raw::Lost(word(payload, 0)))?,
            block::END => f(Raw::End)?,
            // A newer minor version's block: skipped.
            _ => {}
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(dir: &Path, name: &str) -> WriteOpts {
        WriteOpts {
            path: dir.join(name),
            file_size: 0,
            file_count: 0,
            zstd_level: 0,
        }
    }

    fn header() -> Header {
        let mut h = Header::default();
        h.set("arch", std::env::consts::ARCH);
        h.set("procs", "1,2");
        h
    }

    /// Records, facts, and how the read ended.
    type Read = (Vec<Vec<u8>>, Vec<Vec<u8>>, Result<(), String>);

    fn collect(paths: &[PathBuf]) -> Read {
        let (mut recs, mut facts) = (Vec::new(), Vec::new());
        let r = read(paths, |i| {
            match i {
                Item::Record(b) => recs.push(b.to_vec()),
                Item::Facts(b) => facts.push(b.to_vec()),
                _ => {}
            }
            Ok(())
        });
        let r = r.map_err(|e| match e {
            ReadFailure::Capture(e) => e.to_string(),
            ReadFailure::Sink(e) => e.to_string(),
        });
        (recs, facts, r)
    }

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("tracer-cap-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn round_trip_plain_and_compressed() {
        let d = tmp("rt");
        for level in [0, 3] {
            let mut o = opts(&d, &format!("c{level}.trc"));
            o.zstd_level = level;
            let mut w = Writer::create(o.clone(), header(), b"seed").unwrap();
            for i in 0..1000u32 {
                let facts = if i == 5 { b"f5".as_slice() } else { b"" };
                w.record(&i.to_le_bytes(), facts).unwrap();
            }
            let files = w.finish().unwrap();
            let (recs, facts, r) = collect(&files);
            r.unwrap();
            assert_eq!(recs.len(), 1000);
            assert_eq!(recs[999], 999u32.to_le_bytes());
            assert_eq!(facts, vec![b"seed".to_vec(), b"f5".to_vec()]);
        }
        std::fs::remove_dir_all(d).ok();
    }

    #[test]
    fn rotation_names_and_keeps_every_record() {
        let d = tmp("rot");
        let mut o = opts(&d, "r.trc");
        o.file_size = 300 << 10;
        let mut w = Writer::create(o.clone(), header(), b"").unwrap();
        for i in 0..100_000u32 {
            if w.wants_rotation() {
                w.rotate(&[1], b"").unwrap();
            }
            w.record(&[i as u8; 8], b"").unwrap();
        }
        let files = w.finish().unwrap();
        assert!(files.len() >= 3, "{files:?}");
        assert_eq!(files[1], d.join("r.trc1"));
        let (recs, _, r) = collect(&files);
        r.unwrap();
        assert_eq!(recs.len(), 100_000);
        // A ring of two files: names 0 and 1, reused.
        let mut o = opts(&d, "ring.trc");
        o.file_size = 300 << 10;
        o.file_count = 2;
        let mut w = Writer::create(o, header(), b"").unwrap();
        for _ in 0..100_000u32 {
            if w.wants_rotation() {
                w.rotate(&[1], b"").unwrap();
            }
            w.record(&[0; 8], b"").unwrap();
        }
        let files = w.finish().unwrap();
        assert_eq!(files[0], d.join("ring.trc0"));
        assert_eq!(files[1], d.join("ring.trc1"));
        assert_eq!(files[2], d.join("ring.trc0"));
        std::fs::remove_dir_all(d).ok();
    }

    #[test]
    fn damage_gives_the_records_before_it_and_one_error() {
        let d = tmp("dmg");
        let mut w = Writer::create(opts(&d, "d.trc"), header(), b"").unwrap();
        for i in 0..200_000u32 {
            w.record(&i.to_le_bytes(), b"").unwrap();
        }
        let files = w.finish().unwrap();
        let bytes = std::fs::read(&files[0]).unwrap();
        let cut = d.join("cut.trc");
        std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
        let (recs, _, r) = collect(std::slice::from_ref(&cut));
        assert!(r.unwrap_err().contains("cut short"));
        assert!(recs.len() > 50_000 && recs.len() < 150_000);
        // Records are in order, none damaged.
        for (i, r) in recs.iter().enumerate() {
            assert_eq!(r.as_slice(), (i as u32).to_le_bytes());
        }
        let mut flipped = bytes.clone();
        let at = bytes.len() * 3 / 4;
        flipped[at] ^= 0x40;
        std::fs::write(&cut, &flipped).unwrap();
        let (recs, _, r) = collect(std::slice::from_ref(&cut));
        assert!(r.unwrap_err().contains("damaged"));
        assert!(recs.len() < 200_000);
        let mut newer = bytes.clone();
        // The header block's major version: magic, chunk head, block head.
        newer[8 + 8 + 5] = 9;
        let h = 8 + 8;
        let len = u32::from_le_bytes(newer[8..12].try_into().unwrap()) as usize;
        let crc = crc32fast::hash(&newer[h..h + len]);
        newer[12..16].copy_from_slice(&crc.to_le_bytes());
        std::fs::write(&cut, &newer).unwrap();
        let (_, _, r) = collect(std::slice::from_ref(&cut));
        assert!(r.unwrap_err().contains("newer than this tracer"));
        std::fs::write(&cut, b"hello world, not a capture").unwrap();
        let (_, _, r) = collect(std::slice::from_ref(&cut));
        assert!(r.unwrap_err().contains("not a tracer capture"));
        std::fs::remove_dir_all(d).ok();
    }
}

#[cfg(test)]
mod fuzz;
