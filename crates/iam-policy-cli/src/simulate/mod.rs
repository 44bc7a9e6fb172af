//! `iam-policy simulate`: evaluates the requests of scenario files against their policies with
//! `iam_policy::eval`, and checks the decisions they expect.

mod scenario;

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use annotate_snippets::{Group, Level, Renderer};
use clap::{Args, ValueEnum};
use iam_policy::eval::{self, Decision, Evaluation, PolicySet};
use iam_policy_core::json;
use iam_policy_core::parse;
use iam_policy_core::{Finding, Span};

use crate::lines::{Line, LineIndex, LineStarts};
use crate::lint::document::{Diagnostic, Position};
use crate::lint::input::{self, Source};
use crate::lint::text::{self, TitleLevel};
use crate::lint::{self, Color};
use scenario::{MemberName, Scenario, ScenarioError};

/// Evaluate requests against policies as AWS does, and check the expected decisions.
///
/// Each file holds one scenario or a JSON array of them (format in `docs/simulate.md`).
/// Exit status: 0 when every scenario with `expect` gets it, 1 when one does not, 2 on an
/// unreadable file or a malformed scenario (the others are still evaluated).
#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// Scenario files; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// How results are printed.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// When to color text output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// How many threads evaluate scenarios at once [default: the number of cores, once a run has
    /// read 1 MiB or is given 200 files; one before]. Results are printed in input order
    /// whatever the number.
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<NonZeroUsize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// The decision and rustc-style snippets of the statements that decided it.
    Text,
    /// One JSON object per scenario, in input order.
    Json,
}

/// What the run found, for the exit status.
#[derive(Debug, Default)]
struct Tally {
    scenarios: usize,
    mismatches: usize,
    /// Scenarios that could not be read, among `scenarios`.
    malformed: usize,
    /// Files not read to their end (unreadable, not UTF-8, a syntax error): not scenarios,
    /// but counted as malformed in the summary.
    unreadable: usize,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.scenarios += other.scenarios;
        self.mismatches += other.mismatches;
        self.malformed += other.malformed;
        self.unreadable += other.unreadable;
    }
}

/// The most scenarios in a part of a file: enough that handing a part to a thread costs little
/// beside evaluating it, few enough that the parts waiting to be written hold little.
const PART: usize = 64;

/// About how many parts each thread gets of a file: enough that the threads end close together
/// (at the end of a file, one waits for at most the rest of another's part), few enough that
/// handing parts on costs little. A file of a few hundred scenarios is read in a dozen or more
/// parts, one of a few thousand in parts of [`PART`].
const PARTS_PER_THREAD: usize = 8;

/// The fewest bytes of scenarios in a part (but a file's last): a file shorter than this is
/// read by one thread with none started, as a thread costs more to start than it saves there
/// (and a run of one such file does not ask how many cores there are).
const MIN_PART_BYTES: usize = 16 * 1024;

/// The fewest bytes of scenarios a run reads before it starts a thread, unless `--jobs` is
/// given: about 6 ms of work on one thread. A thread just started may wait that long for a
/// core: on a virtual machine whose other core the host lends out, two threads finished a
/// file of 360 scenarios (250 KiB to 750 KiB) 5-10% later than one, and gained nothing on 1
/// MiB of one-policy scenarios.
const MIN_THREADED_BYTES: usize = 1024 * 1024;

/// The fewest files on a command line that start threads at once, unless `--jobs` is given:
/// each file's opening and reading (about 6 µs, most of it the kernel's) overlaps another's on
/// a second thread, and the threads read such files side by side with no part to hand on. On
/// the same machine, 256 files of one scenario took 3.97 / 7.52 ms on two threads against 4.28 /
/// 8.35 ms on one (one policy / a comparable set), 128 files 2.97 / 4.46 ms against 2.80 / 5.00.
const MIN_THREADED_FILES: usize = 200;

/// How long a thread waiting for another's part looks for it before it sleeps. The part comes
/// from a thread that is running, within a part's time, but a thread that sleeps can take
/// milliseconds to run again: a virtual machine's idle core is handed to another guest (seen
/// here: 0.1 to 5 ms, on runs of 3 ms). A thread that looks yields its core to any other
/// thread that needs it.
const LOOK: Duration = Duration::from_millis(2);

/// Runs `iam-policy simulate`.
pub fn run(args: &SimulateArgs) -> ExitCode {
    let stdout = io::stdout();
    let out = io::BufWriter::new(stdout.lock());
    let queue = Queue::new(&args.files, args.jobs);
    let (mut out, tally, mut written) = thread::scope(|scope| {
        let mut writer = Writer {
            queue: &queue,
            crew: Crew {
                scope,
                format: args.format,
                color: args.color,
                started: false,
            },
            printer: Printer::new(args.format, args.color),
            out,
            turn: (0, 0),
            tally: Tally::default(),
            written: Ok(()),
        };
        // Stops the workers when the writing ends, or unwinds.
        let _closing = Closing(&queue, false);
        work(&mut writer);
        (writer.out, writer.tally, writer.written)
    });
    if args.format == Format::Text && written.is_ok() {
        written = writeln!(
            out,
            "simulated {} scenario{}: {} matched, {} did not, {} malformed",
            tally.scenarios,
            if tally.scenarios == 1 { "" } else { "s" },
            tally.scenarios - tally.mismatches - tally.malformed,
            tally.mismatches,
            tally.malformed + tally.unreadable
        );
    }
    written = written.and(out.flush());
    if let Err(error) = written
        && error.kind() != io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the results: {error}");
        return ExitCode::from(2);
    }
    if tally.malformed + tally.unreadable > 0 {
        ExitCode::from(2)
    } else if tally.mismatches > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A file's name and text, shared by the threads that read parts of it.
#[derive(Debug)]
struct FileText {
    name: String,
    text: String,
    /// Its place among the files of the run.
    order: usize,
    /// The bytes of scenarios in each of its parts but the last, at least; `None`: it is read
    /// whole by one thread, one scenario at a time (`--jobs 1`, or the last file of a run is
    /// short).
    part_bytes: Option<usize>,
    /// The next file was offered as soon as this one was opened, as it states a length that
    /// is read whole ([`MIN_PART_BYTES`] at most): the threads read a run of small files side
    /// by side instead of in turn, one file's opening, reading and parsing after the other's.
    /// The file is then read whole by the thread that opened it, and offers nothing more.
    next_offered: bool,
}

/// Consecutive scenarios of a file, read and evaluated by one thread.
#[derive(Clone, Debug)]
struct Part {
    file: Arc<FileText>,
    /// Where reading starts: the start of the file, or the end of a scenario.
    after: Option<usize>,
    /// The index of its first scenario.
    first: usize,
    /// Its place among the file's parts.
    number: usize,
    /// The line where reading starts: each part indexes the lines of its own scenarios.
    line: Line,
}

impl Part {
    /// The file's results are written by file and part.
    fn key(&self) -> (usize, usize) {
        (self.file.order, self.number)
    }
}

/// What is read next.
#[derive(Debug)]
enum Next {
    /// The file at this place among the command's files, not read yet: the thread that parses
    /// a file's last scenario offers the next file, so the files are read in order, one file's
    /// parts at a time (a thread keeps what it read of a file from one of its parts to the next);
    /// but a file read whole offers the next as soon as it is opened ([`FileText::next_offered`]).
    File(usize, PathBuf),
    Part(Part),
}

/// Where a part stopped reading.
#[derive(Debug)]
enum PartEnd {
    /// After its scenarios, with the file going on.
    Full,
    /// At the end of the file, or at the syntax error that ends it (with the message for
    /// standard error).
    FileEnd(Option<String>),
}

/// What a thread printed for a part, and found.
#[derive(Debug)]
struct PartResult {
    out: Vec<u8>,
    tally: Tally,
    end: io::Result<PartEnd>,
}

/// A part's results waiting for their turn to be written.
#[derive(Debug)]
struct Done {
    result: PartResult,
    /// Whether it is its file's last part.
    last: bool,
}

/// How results are printed.
struct Printer {
    format: Format,
    renderer: Renderer,
    /// Made by the first scenario printed as text.
    titles: OnceCell<text::Titles>,
}

impl Printer {
    fn new(format: Format, color: Color) -> Self {
        Printer {
            format,
            renderer: lint::renderer(color),
            titles: OnceCell::new(),
        }
    }

    /// Writes `title` at `level` with nothing under it, and a new line.
    fn title(&self, out: &mut impl Write, level: TitleLevel, title: &str) -> io::Result<()> {
        let titles = self
            .titles
            .get_or_init(|| text::Titles::new(&self.renderer));
        titles.write(out, &self.renderer, level, title)
    }
}

/// A file being read, by one thread: the policy texts read so far.
struct Reading<'t> {
    name: &'t str,
    text: &'t str,
    reader: scenario::Reader<'t>,
    /// No scenario of the file is read yet: the reader knows none of its policies.
    fresh: bool,
}

impl<'t> Reading<'t> {
    fn new(file: &'t FileText) -> Self {
        Reading {
            name: &file.name,
            text: &file.text,
            reader: scenario::Reader::new(&file.text),
            fresh: true,
        }
    }
}

/// What the threads hand one another: the next part or file, offered to whichever thread is
/// free first (the thread that parses a part offers the one after it before evaluating its
/// own, so no thread waits for another to finish evaluating), and the results waiting to be
/// written in input order by the thread that runs the command, which reads parts too.
#[derive(Debug)]
struct Queue<'f> {
    files: &'f [PathBuf],
    /// `--jobs`: the threads that read parts, the writing thread included.
    jobs_given: Option<NonZeroUsize>,
    /// The number of threads, once a file is long enough to need more than one: `--jobs`, or
    /// the number of cores (which takes a dozen system calls to find).
    jobs: OnceLock<usize>,
    state: Mutex<QueueState>,
    changed: Condvar,
    /// The bytes of the files read so far.
    read: AtomicUsize,
    /// Counts the changes of `state`, for the threads that look for one before they sleep.
    changes: AtomicUsize,
}

#[derive(Debug)]
struct QueueState {
    /// What no thread has taken yet.
    next: Option<Next>,
    /// Results read before their turn, by file and part.
    done: BTreeMap<(usize, usize), Done>,
    /// Parts taken and not yet written: no thread takes one more past `limit`, so that what
    /// waits to be written stays bounded whichever part is slow. Twice a thread's share of a
    /// file: a thread the system leaves waiting for a core holds back no other before the
    /// others have read the whole of a file of a few hundred scenarios.
    unwritten: usize,
    limit: usize,
    /// The threads waiting for a change: none, and a change wakes nobody (a system call).
    waiting: usize,
    /// Every part is taken (the last file's last part is parsed): the workers stop while the
    /// last parts are evaluated and written, not after.
    drained: bool,
    /// The run is over: the workers stop.
    closed: bool,
}

/// What the writing thread does next.
enum Step {
    Write(Done),
    Read(Next),
    /// Every file's results are written (or a worker unwound).
    Finished,
}

impl<'f> Queue<'f> {
    fn new(files: &'f [PathBuf], jobs_given: Option<NonZeroUsize>) -> Self {
        Queue {
            files,
            jobs_given,
            jobs: OnceLock::new(),
            state: Mutex::new(QueueState {
                next: files.first().map(|path| Next::File(0, path.clone())),
                done: BTreeMap::new(),
                unwritten: 0,
                // Set as the workers start.
                limit: usize::MAX,
                waiting: 0,
                drained: false,
                closed: false,
            }),
            changed: Condvar::new(),
            read: AtomicUsize::new(0),
            changes: AtomicUsize::new(0),
        }
    }

    /// Whether the run is too short to repay a thread, as far as it went
    /// ([`MIN_THREADED_BYTES`], [`MIN_THREADED_FILES`]); never with `--jobs`, which asks for
    /// its threads.
    fn short(&self) -> bool {
        self.jobs_given.is_none()
            && self.files.len() < MIN_THREADED_FILES
            && self.read.load(Ordering::Relaxed) < MIN_THREADED_BYTES
    }

    fn jobs(&self) -> usize {
        *self.jobs.get_or_init(|| {
            (self.jobs_given)
                .or_else(|| thread::available_parallelism().ok())
                .map_or(1, NonZeroUsize::get)
        })
    }

    /// The bytes of scenarios in a part of the file of `length` bytes at place `index`, at
    /// least ([`FileText::part_bytes`]).
    fn part_bytes(&self, index: usize, length: usize) -> Option<usize> {
        // A run's only (or last) file of one part, or of a run too short for threads, is read
        // whole, one scenario at a time.
        if index + 1 >= self.files.len() && (length <= MIN_PART_BYTES || self.short()) {
            return None;
        }
        // Parts of a file's share of each thread, but not so small that handing them on costs
        // much.
        let jobs = self.jobs();
        (jobs > 1).then(|| (length / (PARTS_PER_THREAD * jobs)).max(MIN_PART_BYTES))
    }

    fn lock(&self) -> MutexGuard<'_, QueueState> {
        // Nothing panics while the lock is held; were it poisoned, its state is still whole.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a change of `state`: looks for one for [`LOOK`], then sleeps.
    fn wait<'s>(&'s self, state: MutexGuard<'s, QueueState>) -> MutexGuard<'s, QueueState> {
        let seen = self.changes.load(Ordering::Acquire);
        drop(state);
        let start = Instant::now();
        let mut looks = 0u32;
        while self.changes.load(Ordering::Acquire) == seen {
            looks = looks.wrapping_add(1);
            if looks.is_multiple_of(64) {
                if start.elapsed() >= LOOK {
                    break;
                }
                thread::yield_now();
            }
            std::hint::spin_loop();
        }
        let mut state = self.lock();
        if self.changes.load(Ordering::Acquire) != seen {
            return state;
        }
        state.waiting += 1;
        let mut state = (self.changed.wait(state)).unwrap_or_else(PoisonError::into_inner);
        state.waiting -= 1;
        state
    }

    /// Wakes the threads waiting for a change of `state`, if any.
    fn changed(&self, state: MutexGuard<'_, QueueState>) {
        // Under the lock, so that a thread that found no change before it sleeps is woken.
        self.changes.fetch_add(1, Ordering::Release);
        let waiting = state.waiting > 0;
        drop(state);
        if waiting {
            self.changed.notify_all();
        }
    }

    /// A worker's next part or file once one is offered and there is room for its results;
    /// `None` once every part is taken.
    fn take(&self) -> Option<Next> {
        let mut state = self.lock();
        loop {
            if state.drained || state.closed {
                return None;
            }
            if let Some(next) = state.take() {
                return Some(next);
            }
            state = self.wait(state);
        }
    }

    /// The writing thread's next step: the results due at `turn` first.
    fn step(&self, turn: (usize, usize)) -> Step {
        let mut state = self.lock();
        loop {
            if let Some(done) = state.done.remove(&turn) {
                return Step::Write(done);
            }
            if state.closed || turn.0 >= self.files.len() {
                return Step::Finished;
            }
            if let Some(next) = state.take() {
                return Step::Read(next);
            }
            state = self.wait(state);
        }
    }

    /// Offers what follows a part of `file` that parsed: `part`, the next of that file, or
    /// with `None` the next file, if any.
    fn offer(&self, file: usize, part: Option<Part>) {
        let next = match part {
            Some(part) => Some(Next::Part(part)),
            None => (self.files.get(file + 1)).map(|path| Next::File(file + 1, path.clone())),
        };
        let mut state = self.lock();
        state.drained = next.is_none();
        state.next = next;
        self.changed(state);
    }

    /// The results of a part, for the writing thread.
    fn done(&self, key: (usize, usize), done: Done) {
        let mut state = self.lock();
        state.done.insert(key, done);
        self.changed(state);
    }

    /// A part taken is written.
    fn written(&self) {
        let mut state = self.lock();
        let full = state.unwritten >= state.limit;
        state.unwritten = state.unwritten.saturating_sub(1);
        if full {
            self.changed(state);
        }
    }

    fn close(&self) {
        let mut state = self.lock();
        state.closed = true;
        state.next = None;
        self.changed(state);
    }
}

impl QueueState {
    /// What is offered, if there is room for its results.
    fn take(&mut self) -> Option<Next> {
        if self.unwritten >= self.limit {
            return None;
        }
        let next = self.next.take()?;
        self.unwritten += 1;
        Some(next)
    }
}

/// Closes the queue when dropped: always for the writing thread (`false`), which ends the run;
/// only when unwinding for a worker (`true`), so that the others stop and the run ends (with
/// the panic) rather than waiting for the part it held.
struct Closing<'q, 'f>(&'q Queue<'f>, bool);

impl Drop for Closing<'_, '_> {
    fn drop(&mut self) {
        if !self.1 || thread::panicking() {
            self.0.close();
        }
    }
}

/// What a thread that reads parts does with them, beside reading.
trait Hand {
    /// The next part or file to read; `None`: the thread stops.
    fn take(&mut self) -> Option<Next>;

    /// Reads `part` with what the thread read before of its file, and hands its results on.
    fn read(&mut self, reading: &mut Reading<'_>, part: &Part);

    /// Hands on the results of a file that could not be read.
    fn unreadable(&mut self, file: usize, result: PartResult);

    /// Offers the file after the file at place `file`, if any, before that one is read.
    fn offer_next_file(&mut self, file: usize);

    fn queue(&self) -> &Queue<'_>;

    fn printer(&self) -> &Printer;
}

/// A thread's loop: reads the parts it takes, keeping what it read of a file (its lines, its
/// policy texts) from one part to the next of the same file.
fn work(hand: &mut impl Hand) {
    let mut next = hand.take();
    while let Some(taken) = next.take() {
        let first = match taken {
            Next::Part(part) => part,
            Next::File(index, path) => {
                let format = hand.printer().format;
                let opened = match open(format, &path) {
                    Ok((name, opened)) => {
                        let offered = opened
                            .stated
                            .is_some_and(|length| length <= MIN_PART_BYTES as u64);
                        if offered {
                            hand.offer_next_file(index);
                        }
                        read_file(hand.queue(), format, index, name, opened, offered)
                            .map_err(|result| (result, offered))
                    }
                    Err(result) => Err((result, false)),
                };
                match opened {
                    Ok(file) => Part {
                        file: Arc::new(file),
                        after: None,
                        first: 0,
                        number: 0,
                        line: Line::FIRST,
                    },
                    Err((result, offered)) => {
                        hand.unreadable(index, result);
                        if !offered {
                            hand.offer_next_file(index);
                        }
                        next = hand.take();
                        continue;
                    }
                }
            }
        };
        let file = Arc::clone(&first.file);
        let mut reading = Reading::new(&file);
        let mut part = Some(first);
        while let Some(current) = part.take() {
            hand.read(&mut reading, &current);
            match hand.take() {
                Some(Next::Part(following)) if Arc::ptr_eq(&following.file, &file) => {
                    part = Some(following);
                }
                following @ Some(_) => next = following,
                // The run is over and the process ends: the policies this thread read (those
                // of thousands of scenarios in a large file) are left to it, not freed one by
                // one, which took 1.3 ms after the last result was written.
                None => {
                    std::mem::forget(reading);
                    return;
                }
            }
        }
    }
}

/// Opens the file at `path` (or standard input for `-`): its name and the file; an
/// unreadable file's record.
fn open(format: Format, path: &Path) -> Result<(String, input::Opened), PartResult> {
    let source = if path.as_os_str() == "-" {
        Source::Stdin
    } else {
        Source::File(path.to_path_buf())
    };
    let name = source.to_string();
    match input::open(&source) {
        Ok(opened) => Ok((name, opened)),
        Err(error) => Err(unreadable(format, &name, &error.message)),
    }
}

/// Reads the file `opened`, at place `index` among the command's files; an unreadable file's
/// record. `next_offered`: the next file is offered already, and this one is read whole.
fn read_file(
    queue: &Queue<'_>,
    format: Format,
    index: usize,
    name: String,
    opened: input::Opened,
    next_offered: bool,
) -> Result<FileText, PartResult> {
    let text = match opened.read().map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => return Err(unreadable(format, &name, "the file is not UTF-8")),
        Err(error) => return Err(unreadable(format, &name, &error.message)),
    };
    queue.read.fetch_add(text.len(), Ordering::Relaxed);
    Ok(FileText {
        name,
        order: index,
        part_bytes: match next_offered {
            true => None,
            false => queue.part_bytes(index, text.len()),
        },
        next_offered,
        text,
    })
}

/// The record of a file that cannot be read, in the format of the run.
fn unreadable(format: Format, name: &str, message: &str) -> PartResult {
    let mut out = Vec::new();
    let end = file_error(&mut out, format, name, message)
        .map(|()| PartEnd::FileEnd(Some(format!("cannot read `{name}`: {message}"))));
    let tally = Tally {
        unreadable: 1,
        ..Tally::default()
    };
    PartResult { out, tally, end }
}

/// The workers, started by the writing thread once a file goes on past a part.
struct Crew<'scope, 'env> {
    scope: &'scope thread::Scope<'scope, 'env>,
    format: Format,
    color: Color,
    started: bool,
}

impl<'env> Crew<'_, 'env> {
    /// Starts the workers, one thread fewer than the jobs (the writing thread reads parts
    /// too), unless started. If the system gives fewer, the threads started do the work.
    fn start(&mut self, queue: &'env Queue<'env>) {
        if self.started || queue.short() {
            return;
        }
        self.started = true;
        let jobs = queue.jobs();
        for _ in 1..jobs {
            let (format, color) = (self.format, self.color);
            let spawned = thread::Builder::new().spawn_scoped(self.scope, move || {
                let _closing = Closing(queue, true);
                work(&mut Worker {
                    queue,
                    printer: Printer::new(format, color),
                });
            });
            if spawned.is_err() {
                break;
            }
        }
        queue.lock().limit = 2 * PARTS_PER_THREAD * jobs;
    }
}

/// A worker thread: reads the parts it takes, and hands their results to the writing thread.
struct Worker<'q> {
    queue: &'q Queue<'q>,
    printer: Printer,
}

impl Hand for Worker<'_> {
    fn take(&mut self) -> Option<Next> {
        self.queue.take()
    }

    fn read(&mut self, reading: &mut Reading<'_>, part: &Part) {
        let queue = self.queue;
        read_aside(queue, &self.printer, reading, part, &mut |next| {
            queue.offer(part.file.order, next);
        });
    }

    fn unreadable(&mut self, file: usize, result: PartResult) {
        let done = Done { result, last: true };
        self.queue.done((file, 0), done);
    }

    fn offer_next_file(&mut self, file: usize) {
        self.queue.offer(file, None);
    }

    fn queue(&self) -> &Queue<'_> {
        self.queue
    }

    fn printer(&self) -> &Printer {
        &self.printer
    }
}

/// The thread that runs the command: writes the results in input order as they are due, and
/// reads parts between, its own results written as it goes when it reads the part whose turn
/// it is. It starts the workers.
struct Writer<'scope, 'env, W: Write> {
    queue: &'env Queue<'env>,
    crew: Crew<'scope, 'env>,
    printer: Printer,
    out: W,
    /// The file and part whose results are written next.
    turn: (usize, usize),
    tally: Tally,
    written: io::Result<()>,
}

impl<W: Write> Writer<'_, '_, W> {
    /// Writes results due, in turn.
    fn write(&mut self, done: Done) {
        self.queue.written();
        let Done { result, last } = done;
        self.tally.add(&result.tally);
        let written = self.out.write_all(&result.out);
        self.note(written);
        self.stopped(result.end, last);
    }

    /// The end of the part whose turn it is, written: the turn passes.
    fn stopped(&mut self, end: io::Result<PartEnd>, last: bool) {
        match end {
            Ok(PartEnd::FileEnd(Some(error))) => eprintln!("error: {error}"),
            Ok(_) => {}
            Err(error) => self.note(Err(error)),
        }
        self.turn = match last {
            true => (self.turn.0 + 1, 0),
            false => (self.turn.0, self.turn.1 + 1),
        };
    }

    /// Keeps the first error writing the results.
    fn note(&mut self, written: io::Result<()>) {
        if self.written.is_ok() {
            self.written = written;
        }
    }
}

impl<W: Write> Hand for Writer<'_, '_, W> {
    fn take(&mut self) -> Option<Next> {
        loop {
            match self.queue.step(self.turn) {
                Step::Write(done) => self.write(done),
                Step::Read(next) => return Some(next),
                Step::Finished => return None,
            }
        }
    }

    fn read(&mut self, reading: &mut Reading<'_>, part: &Part) {
        let queue = self.queue;
        let crew = &mut self.crew;
        // A file longer than a part: the workers start while this thread parses its first.
        if part
            .file
            .part_bytes
            .is_some_and(|bytes| part.file.text.len() > bytes)
        {
            crew.start(queue);
        }
        let mut goes_on = false;
        let mut offer = |next: Option<Part>| {
            goes_on = next.is_some();
            queue.offer(part.file.order, next);
            // More to read: a file's next part, or the next file.
            if goes_on || part.file.order + 1 < queue.files.len() {
                crew.start(queue);
            }
        };
        if part.key() == self.turn {
            // Nothing before this part waits to be written: its results are written as it goes.
            let mut tally = Tally::default();
            let end = read_part(
                &mut self.out,
                &self.printer,
                reading,
                part,
                &mut tally,
                &mut offer,
            );
            self.queue.written();
            self.tally.add(&tally);
            self.stopped(end, !goes_on);
        } else {
            read_aside(queue, &self.printer, reading, part, &mut offer);
        }
    }

    fn unreadable(&mut self, file: usize, result: PartResult) {
        let done = Done { result, last: true };
        if (file, 0) == self.turn {
            self.write(done);
        } else {
            self.queue.done((file, 0), done);
        }
    }

    fn offer_next_file(&mut self, file: usize) {
        self.queue.offer(file, None);
        if file + 1 < self.queue.files.len() {
            self.crew.start(self.queue);
        }
    }

    fn queue(&self) -> &Queue<'_> {
        self.queue
    }

    fn printer(&self) -> &Printer {
        &self.printer
    }
}

/// Reads `part` into a buffer of its own, telling `next` what follows it (see [`read_part`]),
/// and hands its results to the writing thread for their turn.
fn read_aside(
    queue: &Queue<'_>,
    printer: &Printer,
    reading: &mut Reading<'_>,
    part: &Part,
    next: &mut dyn FnMut(Option<Part>),
) {
    let mut out = output(part);
    let mut tally = Tally::default();
    let mut goes_on = false;
    let end = read_part(
        &mut out,
        printer,
        reading,
        part,
        &mut tally,
        &mut |following| {
            goes_on = following.is_some();
            next(following);
        },
    );
    let result = PartResult { out, tally, end };
    let done = Done {
        result,
        last: !goes_on,
    };
    queue.done(part.key(), done);
}

/// Room for what a part read by a thread of its own prints, which is about as long as the part
/// (a JSON record is shorter than its scenario, a text report longer): growing the buffer step
/// by step took 1% of the instructions of a file of a few hundred scenarios.
fn output(part: &Part) -> Vec<u8> {
    Vec::with_capacity(part.file.part_bytes.unwrap_or_default())
}

/// The JSON record of a file that could not be read (its message for standard error is the
/// caller's to print).
fn file_error(out: &mut impl Write, format: Format, file: &str, message: &str) -> io::Result<()> {
    match format {
        Format::Text => Ok(()),
        Format::Json => {
            let record = ErrorRecord {
                file,
                index: None,
                name: None,
                error: message,
                line_col: None,
            };
            out.write_all(record.to_json().as_bytes())
        }
    }
}

/// Reads and evaluates the scenarios of a part, and prints their results. Tells `next` once
/// what follows it: the next part of the file, or `None` when the file ends in this one. A
/// file read in parts tells when the part's scenarios are parsed, before they are evaluated;
/// a file read whole, at its end (but a file whose next was offered as it was opened).
fn read_part(
    out: &mut impl Write,
    printer: &Printer,
    reading: &mut Reading<'_>,
    part: &Part,
    tally: &mut Tally,
    next: &mut dyn FnMut(Option<Part>),
) -> io::Result<PartEnd> {
    // A file whose next was offered as it was opened is read whole, and tells nothing.
    let mut told = part.file.next_offered;
    let mut tell = |following: Option<Part>| {
        if !told {
            told = true;
            next(following);
        }
    };
    let end = read_scenarios(out, printer, reading, part, tally, &mut tell);
    // The part stopped early (its results could not be written): the file is left there.
    tell(None);
    end
}

/// [`read_part`], but for telling what follows when the results cannot be written.
fn read_scenarios(
    out: &mut impl Write,
    printer: &Printer,
    reading: &mut Reading<'_>,
    part: &Part,
    tally: &mut Tally,
    next: &mut dyn FnMut(Option<Part>),
) -> io::Result<PartEnd> {
    let (name, text) = (reading.name, reading.text);
    let mut elements = match part.after {
        None => parse::elements(text),
        Some(after) => parse::elements_after(text, after),
    };
    let start = part.after.unwrap_or(0);
    // The lines of the part's scenarios, indexed as they are parsed.
    let mut lines = LineStarts::from(part.line);
    // The JSON record of each scenario, built whole and written at once.
    let mut line = RecordBuffers::default();
    let mut index = part.first;
    // The scenarios parsed and not yet evaluated: a part's, or one at a time.
    let limited = part.file.part_bytes.is_some();
    let mut nodes = Vec::with_capacity(if limited { PART } else { 1 });
    // A thread's first scenario of a file is read before the rest of its part is parsed: the
    // policies the part's scenarios share (an SCP in each) are then parsed once, not once per
    // scenario, as the parser skips only texts read before. Not in the file's first part, whose
    // parse the workers wait for.
    let mut lead = limited && reading.fresh && part.number > 0;
    loop {
        let batch = match limited && !lead {
            true => PART - (index - part.first),
            false => 1,
        };
        // Scenarios are parsed without the trees of the policy texts read before them: a
        // large file never holds the tree of all of them.
        let reader = &reading.reader;
        // `Some`: the file ends, `Some(Some(_))` with a syntax error.
        let mut stop = None;
        let mut full = false;
        while nodes.len() < batch && !full && stop.is_none() {
            reader.next_scenario();
            let next =
                elements.next_skipping(&scenario::holds_policies, &|rest| reader.known_at(rest));
            match next {
                Some(Ok(node)) => {
                    full = (part.file.part_bytes)
                        .is_some_and(|bytes| node.span.end as usize - start >= bytes);
                    nodes.push(node);
                }
                Some(Err(error)) => stop = Some(Some(error)),
                None => stop = Some(None),
            }
        }
        let last = nodes.last().map(|node| node.span.end as usize);
        lines.extend(text, last.unwrap_or(start));
        if let Some(Some(error)) = &stop {
            lines.extend(text, error.span.start as usize);
        }
        if limited && !lead {
            next(last.filter(|_| stop.is_none()).map(|after| Part {
                after: Some(after),
                first: index + nodes.len(),
                number: part.number + 1,
                line: lines.last(),
                ..part.clone()
            }));
        }
        let lines = &LineIndex::new(text, &lines);
        for node in nodes.drain(..) {
            let place = Place {
                file: name,
                text,
                lines,
                index,
            };
            evaluate(
                out,
                printer,
                &mut reading.reader,
                &place,
                &mut line,
                &node,
                tally,
            )?;
            reading.fresh = false;
            index += 1;
        }
        match stop {
            None if lead => lead = false,
            None if limited => return Ok(PartEnd::Full),
            None => {}
            Some(None) => {
                next(None);
                return Ok(PartEnd::FileEnd(None));
            }
            Some(Some(error)) => {
                tally.unreadable += 1;
                let (line, column) = lines.line_col(error.span.start as usize);
                let message = format!("{} at line {line}, column {column}", error.message);
                next(None);
                file_error(out, printer.format, name, &message)?;
                let message = format!("cannot read `{name}`: {message}");
                return Ok(PartEnd::FileEnd(Some(message)));
            }
        }
    }
}

/// Reads and evaluates scenario `index`, and prints its result.
fn evaluate(
    out: &mut impl Write,
    printer: &Printer,
    reader: &mut scenario::Reader<'_>,
    place: &Place<'_>,
    line: &mut RecordBuffers,
    node: &iam_policy_core::Node<'_>,
    tally: &mut Tally,
) -> io::Result<()> {
    tally.scenarios += 1;
    let scenario = match scenario::read(node, reader) {
        Ok(scenario) => scenario,
        Err(error) => {
            tally.malformed += 1;
            return write_malformed(out, printer, place, node, &error);
        }
    };
    let set = policy_set(&scenario);
    let evaluation = eval::evaluate(&scenario.request, &set);
    let matched = scenario.expect.map(|expect| expect == evaluation.decision);
    if matched == Some(false) {
        tally.mismatches += 1;
    }
    match printer.format {
        Format::Json => write_json(out, line, place, &scenario, &set, &evaluation, matched),
        Format::Text => write_text(out, printer, place, &scenario, &set, &evaluation, matched),
    }
}

/// What a scenario's JSON record is built in, kept from one scenario to the next.
#[derive(Debug, Default)]
struct RecordBuffers {
    /// The record, written at once.
    line: String,
    /// A statement's explanation, before it is escaped into the record.
    why: String,
}

/// The file and index of a scenario, and the file's text that spans index.
struct Place<'a> {
    file: &'a str,
    text: &'a str,
    lines: &'a LineIndex<'a>,
    index: usize,
}

fn policy_set<'s>(scenario: &'s Scenario<'_>) -> PolicySet<'s> {
    PolicySet {
        identity: scenario.identity.iter().map(|p| p.policy()).collect(),
        resource: scenario.resource.as_ref().map(|p| p.policy()),
        permissions_boundary: scenario.permissions_boundary.as_ref().map(|p| p.policy()),
        session: scenario.session.as_ref().map(|p| p.policy()),
        service_control: (scenario.service_control.iter())
            .map(|level| level.iter().map(|p| p.policy()).collect())
            .collect(),
        resource_control: (scenario.resource_control.iter())
            .map(|level| level.iter().map(|p| p.policy()).collect())
            .collect(),
        vpc_endpoint: scenario.vpc_endpoint.as_ref().map(|p| p.policy()),
    }
}

/// A member's name as a record writes it before the value, `"name":`, made at compile time:
/// one copy opens a member, not one for each of its pieces (a record has dozens of members).
macro_rules! key {
    ($name:literal) => {
        concat!("\"", $name, "\":")
    };
}

/// The JSON record of an unreadable file or a malformed scenario.
struct ErrorRecord<'a> {
    file: &'a str,
    index: Option<usize>,
    name: Option<&'a str>,
    error: &'a str,
    line_col: Option<(usize, usize)>,
}

impl ErrorRecord<'_> {
    /// One line of JSON, written by the same [`JsonObject`] as the scenarios' records.
    fn to_json(&self) -> String {
        let mut line = String::new();
        let mut record = JsonObject::open(&mut line);
        record.string(key!("file"), self.file);
        if let Some(index) = self.index {
            record.number(key!("index"), index);
        }
        if let Some(name) = self.name {
            record.string(key!("name"), name);
        }
        record.string(key!("error"), self.error);
        if let Some((line, column)) = self.line_col {
            record.number(key!("line"), line);
            record.number(key!("column"), column);
        }
        record.close();
        line.push('\n');
        line
    }
}

fn write_malformed(
    out: &mut impl Write,
    printer: &Printer,
    place: &Place<'_>,
    node: &iam_policy_core::Node<'_>,
    error: &ScenarioError,
) -> io::Result<()> {
    let Place {
        file,
        text,
        lines,
        index,
    } = *place;
    let name = scenario_name(node);
    let (line, column) = lines.line_col(error.span.start as usize);
    match printer.format {
        Format::Json => {
            let record = ErrorRecord {
                file,
                index: Some(index),
                name: name.as_deref(),
                error: &error.message,
                line_col: Some((line, column)),
            };
            out.write_all(record.to_json().as_bytes())
        }
        Format::Text => {
            let title = format!("scenario {index} is malformed: {}", error.message);
            let start = Position { line, column };
            let group = text::marked(
                Level::ERROR.primary_title(title.as_str()),
                file,
                text,
                error.span,
                start,
                None,
            );
            writeln!(out, "{}\n", printer.renderer.render(&[group]))
        }
    }
}

/// The `name` of a scenario that could not be read, when it has one.
fn scenario_name(node: &iam_policy_core::Node<'_>) -> Option<String> {
    match &node.value {
        iam_policy_core::Value::Object(members) => {
            members.iter().find_map(|m| match &m.value.value {
                iam_policy_core::Value::String(name) if m.key == "name" => Some(name.to_string()),
                _ => None,
            })
        }
        _ => None,
    }
}

/// A JSON object written member by member: `simulate --format json` prints one for each of
/// thousands of scenarios, and strings copied in one go (see [`json::write_string`]) cost a
/// fraction of serde's byte-by-byte escaping of every key and value.
struct JsonObject<'b> {
    out: &'b mut String,
    empty: bool,
}

impl<'b> JsonObject<'b> {
    #[inline]
    fn open(out: &'b mut String) -> Self {
        out.push('{');
        JsonObject { out, empty: true }
    }

    /// Starts a member: `key` is its name as [`key!`] writes it, one of the record's own
    /// names, which need no escapes.
    #[inline]
    fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        self.out.push_str(key);
        self.out
    }

    #[inline]
    fn string(&mut self, key: &str, value: &str) {
        json::write_string(self.key(key), value);
    }

    /// The member `key` with a word of the tool's own vocabulary (a decision, an effect, a
    /// severity, an issue code), which needs no escapes: written as it is, not scanned.
    #[inline]
    fn word(&mut self, key: &str, value: &'static str) {
        let out = self.key(key);
        out.push('"');
        out.push_str(value);
        out.push('"');
    }

    /// The member `key` with a text of the tool's own words that `write` appends, which needs
    /// no escapes.
    #[inline]
    fn words(&mut self, key: &str, write: impl FnOnce(&mut String)) {
        let out = self.key(key);
        out.push('"');
        write(out);
        out.push('"');
    }

    #[inline]
    fn number(&mut self, key: &str, value: usize) {
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(value);
        self.key(key).push_str(digits);
    }

    #[inline]
    fn bool(&mut self, key: &str, value: bool) {
        self.key(key).push_str(if value { "true" } else { "false" });
    }

    /// The member `key` with a sentence of the tool's own words around a number (see
    /// [`eval::DeniedBy::sentence`]), which needs no escapes.
    #[inline]
    fn sentence(&mut self, key: &str, (before, number, after): (&str, Option<usize>, &str)) {
        let out = self.key(key);
        out.push('"');
        out.push_str(before);
        if let Some(number) = number {
            out.push_str(itoa::Buffer::new().format(number));
        }
        out.push_str(after);
        out.push('"');
    }

    #[inline]
    fn member_name(&mut self, key: &str, name: MemberName) {
        let out = self.key(key);
        out.push('"');
        name.write(out);
        out.push('"');
    }

    /// The member `key`: an array of what `write` makes of each item.
    #[inline]
    fn array<T>(
        &mut self,
        key: &str,
        items: impl IntoIterator<Item = T>,
        mut write: impl FnMut(&mut String, T),
    ) {
        let out = self.key(key);
        out.push('[');
        for (index, item) in items.into_iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            write(out, item);
        }
        out.push(']');
    }

    #[inline]
    fn close(self) {
        self.out.push('}');
    }
}

/// One scenario's record as one line of JSON, built in `buffers` (reused from scenario to
/// scenario) and written at once.
fn write_json(
    out: &mut impl Write,
    buffers: &mut RecordBuffers,
    place: &Place<'_>,
    scenario: &Scenario,
    set: &PolicySet<'_>,
    evaluation: &Evaluation,
    matched: Option<bool>,
) -> io::Result<()> {
    let RecordBuffers { line, why } = buffers;
    let mut statement = |out: &mut String, decided: &eval::StatementResult| {
        let found = decided
            .policy
            .get(set)
            .and_then(|p| p.statements().get(decided.index));
        let span = statement_span(scenario, decided);
        let mut record = JsonObject::open(out);
        record.member_name(key!("policy"), MemberName(decided.policy));
        record.number(key!("statement"), decided.index);
        if let Some(sid) = found.and_then(|s| s.sid.as_deref()) {
            record.string(key!("sid"), sid);
        }
        record.word(key!("effect"), decided.result.effect.as_str());
        match found {
            // The engine's own words, which need no escapes: written straight into the record,
            // not escaped from a buffer of their own (every deciding statement is one).
            Some(found) if eval::why_in_own_words(&decided.result) => {
                record.words(key!("why"), |out| {
                    eval::write_why(out, found, &decided.result)
                });
            }
            _ => {
                why.clear();
                if let Some(found) = found {
                    eval::write_why(why, found, &decided.result);
                }
                record.string(key!("why"), why);
            }
        }
        record.number(key!("line"), place.lines.line(span.start as usize));
        record.close();
    };
    line.clear();
    let mut record = JsonObject::open(line);
    record.string(key!("file"), place.file);
    record.number(key!("index"), place.index);
    if let Some(name) = &scenario.name {
        record.string(key!("name"), name);
    }
    record.word(key!("decision"), evaluation.decision.as_str());
    if let Some(expect) = scenario.expect {
        record.word(key!("expect"), expect.as_str());
    }
    if let Some(matched) = matched {
        record.bool(key!("matched"), matched);
    }
    if let Some(denied_by) = evaluation.denied_by {
        record.sentence(key!("denied_by"), denied_by.sentence());
    }
    record.array(key!("deciding"), &evaluation.deciding, &mut statement);
    if evaluation.unmet().next().is_some() {
        record.array(key!("unmet"), evaluation.unmet(), &mut statement);
    }
    let findings = scenario
        .policies()
        .flat_map(|(policy, found)| found.findings().map(move |finding| (policy, finding)));
    record.array(
        key!("findings"),
        findings,
        |out, (policy, (finding, span))| {
            let (line, column) = place.lines.line_col(span.start as usize);
            let mut record = JsonObject::open(out);
            record.member_name(key!("policy"), MemberName(policy));
            record.word(key!("severity"), finding.severity.as_str());
            record.word(key!("code"), finding.code.as_str());
            record.string(key!("message"), &finding.message);
            record.number(key!("line"), line);
            record.number(key!("column"), column);
            record.close();
        },
    );
    record.array(
        key!("context_warnings"),
        scenario.request.context_warnings(),
        |out, warning| json::write_string(out, &warning.message),
    );
    record.close();
    line.push('\n');
    out.write_all(line.as_bytes())
}

/// Where a deciding statement is written in the file.
fn statement_span(scenario: &Scenario, decided: &eval::StatementResult) -> Span {
    scenario
        .policy(decided.policy)
        .and_then(|policy| policy.statement_span(decided.index))
        .unwrap_or_default()
}

fn write_text(
    out: &mut impl Write,
    printer: &Printer,
    place: &Place<'_>,
    scenario: &Scenario,
    set: &PolicySet<'_>,
    evaluation: &Evaluation,
    matched: Option<bool>,
) -> io::Result<()> {
    let label = match &scenario.name {
        Some(name) => format!("scenario {} `{name}`", place.index),
        None => format!("scenario {}", place.index),
    };
    let verdict = match (scenario.expect, matched) {
        (Some(_), Some(true)) => ", as expected".to_owned(),
        (Some(expect), _) => format!(", expected {expect}"),
        (None, _) => String::new(),
    };
    let reason = evaluation
        .denied_by
        .map(|denied_by| format!(" ({denied_by})"))
        .unwrap_or_default();
    let title = format!(
        "{label} of {}: {}{reason}{verdict}",
        place.file, evaluation.decision
    );
    let level = if matched == Some(false) {
        TitleLevel::Error
    } else {
        TitleLevel::Note
    };
    printer.title(out, level, &title)?;
    for warning in scenario.request.context_warnings() {
        printer.title(out, TitleLevel::Warning, &warning.message)?;
    }
    let renderer = &printer.renderer;
    for (_, found) in scenario.policies() {
        for (finding, span) in found.findings() {
            let position = |offset: u32| {
                let (line, column) = place.lines.line_col(offset as usize);
                Position { line, column }
            };
            let diagnostic = &Diagnostic {
                finding: Finding {
                    span,
                    ..finding.clone()
                },
                start: position(span.start),
                end: position(span.end),
            };
            writeln!(
                out,
                "{}",
                renderer.render(&[text::group(place.file, place.text, diagnostic)])
            )?;
        }
    }
    let unmet: Vec<&eval::StatementResult> = evaluation.unmet().collect();
    let whys: Vec<(String, String, Span, Position)> = (evaluation.deciding.iter())
        .map(|decided| (decided, false))
        .chain(unmet.iter().map(|decided| (*decided, true)))
        .map(|(decided, unmet)| {
            let found = decided
                .policy
                .get(set)
                .and_then(|p| p.statements().get(decided.index));
            let sid = found
                .and_then(|s| s.sid.as_deref())
                .map(|sid| format!(" `{sid}`"))
                .unwrap_or_default();
            let verb = match evaluation.decision {
                _ if unmet => "not allowed by",
                Decision::ExplicitDeny => "denied by",
                _ => "allowed by",
            };
            let title = format!(
                "{verb} {} statement {}{sid}",
                MemberName(decided.policy),
                decided.index
            );
            let why = found
                .map(|s| eval::why(s, &decided.result))
                .unwrap_or_default();
            let span = statement_span(scenario, decided);
            let (line, column) = place.lines.line_col(span.start as usize);
            (title, why, span, Position { line, column })
        })
        .collect();
    let groups: Vec<Group<'_>> = whys
        .iter()
        .map(|(title, why, span, start)| {
            text::marked(
                Level::NOTE.primary_title(title.as_str()),
                place.file,
                place.text,
                *span,
                *start,
                Some(why.as_str()),
            )
        })
        .collect();
    if !groups.is_empty() {
        writeln!(out, "{}", renderer.render(&groups))?;
    }
    writeln!(out)
}
