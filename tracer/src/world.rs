//! What decoding asks of the running system (/proc: an fd's path, a socket's endpoints, a
//! task's comm, a process's cwd and PID namespace), asked through one gate so that a capture
//! can hold the answers and a replay can give them back without reading this machine's /proc.
//!
//! Three modes, per thread (the pipeline is single-threaded):
//! - **live**: read /proc;
//! - **journal**: read /proc and keep each question with its answer as a *fact*; the capture
//!   writer takes the pending facts after each record it wrote ([`take_facts`]);
//! - **replay**: answer from the facts a capture held, in the order they were asked, and
//!   never touch /proc: a question the live run did not ask is answered "unknown".
use std::{
    cell::RefCell,
    collections::{HashMap, VecDeque},
};

/// What is asked: a kind and two numbers (pid, fd, inode...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Query {
    pub kind: u8,
    pub a: u64,
    pub b: u64,
}

/// Kinds of [`Query`]; the numbers are part of the capture format (docs/capture-format.md).
pub mod q {
    /// `/proc/A/fd/B`'s link.
    pub const FD_LINK: u8 = 1;
    /// The fds of process A (`/proc/A/fd`), space-separated.
    pub const FD_LIST: u8 = 2;
    /// `/proc/A/cwd`'s link.
    pub const CWD: u8 = 3;
    /// `/proc/A/comm` of task A.
    pub const TASK_COMM: u8 = 4;
    /// The PID namespace inode of process A.
    pub const PID_NS: u8 = 5;
    /// The processes of PID namespace A: `inner:outer` pairs, space-separated.
    pub const PIDS_IN_NS: u8 = 6;
    /// Socket inode B in process A's network namespace: `proto local [peer]`.
    pub const SOCKET: u8 = 7;
    /// Process A's cgroup v2: `ID PATH` (the directory's inode, /proc/A/cgroup's 0:: path).
    pub const CGROUP: u8 = 8;
    /// Task A's id in its own PID namespace (the last number of NSpid in /proc/A/status).
    pub const NSPID: u8 = 9;
    /// The path (under the cgroup2 mount) of the cgroup whose id (directory inode) is A.
    pub const CGROUP_PATH: u8 = 10;
}

enum Mode {
    Live,
    Journal(Vec<u8>),
    Replay(HashMap<Query, VecDeque<Option<Vec<u8>>>>),
}

thread_local! {
    static MODE: RefCell<Mode> = const { RefCell::new(Mode::Live) };
}

/// Asks `query`; `live` reads the answer from /proc when this thread is not replaying.
pub fn ask(query: Query, live: impl FnOnce() -> Option<Vec<u8>>) -> Option<Vec<u8>> {
    // 0 live, 1 journal, 2 replay (answered here).
    let (how, replayed) = MODE.with(|m| match &mut *m.borrow_mut() {
        Mode::Live => (0, None),
        Mode::Journal(_) => (1, None),
        Mode::Replay(facts) => (
            2,
            facts
                .get_mut(&query)
                .and_then(VecDeque::pop_front)
                .flatten(),
        ),
    });
    match how {
        0 => live(),
        1 => {
            let answer = live();
            MODE.with(|m| {
                if let Mode::Journal(buf) = &mut *m.borrow_mut() {
                    encode(buf, query, answer.as_deref());
                }
            });
            answer
        }
        _ => replayed,
    }
}

/// Asks for a text answer.
pub fn ask_str(query: Query, live: impl FnOnce() -> Option<String>) -> Option<String> {
    ask(query, || live().map(String::into_bytes)).map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// From now on, questions are answered by /proc and kept (`on`), or only answered.
pub fn journal(on: bool) {
    MODE.with(|m| {
        *m.borrow_mut() = if on {
            Mode::Journal(Vec::new())
        } else {
            Mode::Live
        }
    });
}

/// Runs `f` with its questions kept, and returns them as facts; the mode before is restored,
/// with its pending facts.
pub fn journaled(f: impl FnOnce()) -> Vec<u8> {
    let saved = MODE.with(|m| std::mem::replace(&mut *m.borrow_mut(), Mode::Journal(Vec::new())));
    f();
    let facts = take_facts();
    MODE.with(|m| *m.borrow_mut() = saved);
    facts
}

/// From now on, questions are answered from facts given with [`add_facts`] only.
pub fn replay() {
    MODE.with(|m| *m.borrow_mut() = Mode::Replay(HashMap::new()));
}

/// The facts kept since the last call (encoded as a capture's FACTS block body).
pub fn take_facts() -> Vec<u8> {
    MODE.with(|m| match &mut *m.borrow_mut() {
        Mode::Journal(buf) => std::mem::take(buf),
        _ => Vec::new(),
    })
}

/// Queues the facts of a FACTS block body for replay. Errors name what is malformed.
pub fn add_facts(mut body: &[u8]) -> Result<(), &'static str> {
    let mut parsed = Vec::new();
    while !body.is_empty() {
        let (q, answer, rest) = decode(body)?;
        parsed.push((q, answer));
        body = rest;
    }
    MODE.with(|m| {
        if let Mode::Replay(facts) = &mut *m.borrow_mut() {
            for (q, a) in parsed {
                facts.entry(q).or_default().push_back(a);
            }
        }
    });
    Ok(())
}

/// One fact: kind u8, a u64, b u64, then u32 answer length (u32::MAX: no answer) and its
/// bytes; little-endian.
fn encode(buf: &mut Vec<u8>, q: Query, answer: Option<&[u8]>) {
    buf.push(q.kind);
    buf.extend_from_slice(&q.a.to_le_bytes());
    buf.extend_from_slice(&q.b.to_le_bytes());
    match answer {
        Some(a) => {
            buf.extend_from_slice(&(a.len() as u32).to_le_bytes());
            buf.extend_from_slice(a);
        }
        None => buf.extend_from_slice(&u32::MAX.to_le_bytes()),
    }
}

type Fact<'a> = (Query, Option<Vec<u8>>, &'a [u8]);

fn decode(b: &[u8]) -> Result<Fact<'_>, &'static str> {
    const HEAD: usize = 1 + 8 + 8 + 4;
    if b.len() < HEAD {
        return Err("a fact is cut short");
    }
    let word = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or_default());
    let q = Query {
        kind: b[0],
        a: word(1),
        b: word(9),
    };
    let len = u32::from_le_bytes(b[17..21].try_into().unwrap_or_default());
    if len == u32::MAX {
        return Ok((q, None, &b[HEAD..]));
    }
    let end = HEAD
        .checked_add(len as usize)
        .filter(|e| *e <= b.len())
        .ok_or("a fact's answer overruns its block")?;
    Ok((q, Some(b[HEAD..end].to_vec()), &b[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_then_replay_gives_the_same_answers_in_order() {
        let q = Query {
            kind: q::FD_LINK,
            a: 7,
            b: 3,
        };
        journal(true);
        assert_eq!(
            ask(q, || Some(b"/etc/passwd".to_vec())).unwrap(),
            b"/etc/passwd"
        );
        assert_eq!(ask(q, || None), None);
        let facts = take_facts();
        replay();
        add_facts(&facts).unwrap();
        // Replay never calls the live reader.
        let no_proc = || -> Option<Vec<u8>> { panic!("read /proc in replay") };
        assert_eq!(ask(q, no_proc).unwrap(), b"/etc/passwd");
        assert_eq!(ask(q, no_proc), None);
        // Asked more often than the live run did: unknown.
        assert_eq!(ask(q, no_proc), None);
        assert!(add_facts(&facts[..facts.len() - 1]).is_err());
        journal(false);
    }
}
