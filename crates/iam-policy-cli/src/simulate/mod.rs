//! `iam-policy simulate`: evaluates the requests of scenario files against their policies with
//! `iam_policy::eval`, and checks the decisions they expect.

mod scenario;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError, mpsc};
use std::thread;

use annotate_snippets::{Group, Level, Renderer};
use clap::{Args, ValueEnum};
use iam_policy::eval::{self, Decision, Evaluation, PolicySet};
use iam_policy_core::json;
use iam_policy_core::parse;
use iam_policy_core::{Finding, Span};

use crate::lines::{LineIndex, LineStarts};
use crate::lint::document::{Diagnostic, Position};
use crate::lint::input::{self, Source};
use crate::lint::{self, Color, text};
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
    /// How many threads evaluate scenarios at once [default: the number of cores]. Results are
    /// printed in input order whatever the number.
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

/// The scenarios of a part of a file (but its last): enough that handing a part to a thread
/// costs little beside evaluating it, few enough that a file of a few dozen is read by one
/// thread with none started, and that the parts waiting to be written hold little.
const PART: usize = 64;

/// Runs `iam-policy simulate`.
pub fn run(args: &SimulateArgs) -> ExitCode {
    let jobs = (args.jobs)
        .or_else(|| thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get);
    let stdout = io::stdout();
    let out = io::BufWriter::new(stdout.lock());
    let queue = Queue::default();
    let (mut out, tally, mut written) = thread::scope(|scope| {
        let mut run = Pipeline::new(scope, &queue, out, args.format, args.color, jobs);
        for path in &args.files {
            run.file(path);
        }
        run.finish()
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
    /// Its lines, indexed by the first thread that needs them while the others parse on.
    lines: OnceLock<LineStarts>,
}

/// Consecutive scenarios of a file, read and evaluated by one thread.
#[derive(Clone, Debug)]
struct Part {
    file: Arc<FileText>,
    /// Where reading starts: the start of the file, or the end of a scenario.
    after: Option<usize>,
    /// The index of its first scenario.
    first: usize,
    /// [`PART`] scenarios at most, parsed before any is evaluated so that the next part's
    /// start is known early; `false`: the rest of the file, one scenario at a time.
    limited: bool,
}

/// Where a part stopped reading.
#[derive(Debug)]
enum PartEnd {
    /// After its [`PART`] scenarios.
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

/// How results are printed.
struct Printer {
    format: Format,
    renderer: Renderer,
}

impl Printer {
    fn new(format: Format, color: Color) -> Self {
        Printer {
            format,
            renderer: lint::renderer(color),
        }
    }
}

/// A file being read, by one thread: the policy texts read so far.
struct Reading<'t> {
    name: &'t str,
    text: &'t str,
    starts: &'t OnceLock<LineStarts>,
    reader: scenario::Reader<'t>,
}

impl<'t> Reading<'t> {
    fn new(file: &'t FileText) -> Self {
        Reading {
            name: &file.name,
            text: &file.text,
            starts: &file.lines,
            reader: scenario::Reader::new(&file.text),
        }
    }

    fn lines(&self) -> LineIndex<'t> {
        let starts = self.starts.get_or_init(|| LineStarts::of(self.text));
        LineIndex::new(self.text, starts)
    }
}

/// The next part of the file being read, offered to the workers: the first worker free takes
/// it, parses its scenarios and offers the part after it before evaluating them, so no worker
/// waits for another to finish evaluating.
#[derive(Debug, Default)]
struct Queue {
    state: Mutex<QueueState>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct QueueState {
    /// The part whose start is known and that no worker has taken.
    next: Option<Part>,
    /// Parts taken and not yet written: no worker takes one more past `limit`, so that what
    /// waits to be written holds little whichever part is slow. Four per worker: one being
    /// read, the others' output waiting for a slower part or for the writing thread, which
    /// shares the cores with the workers and may not run at once.
    unwritten: usize,
    limit: usize,
    /// No more parts: the workers stop.
    closed: bool,
}

impl Queue {
    fn lock(&self) -> MutexGuard<'_, QueueState> {
        // Nothing panics while the lock is held; were it poisoned, its state is still whole.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next part once it is offered and there is room for its results; `None` once closed.
    fn take(&self) -> Option<Part> {
        let mut state = self.lock();
        loop {
            if state.closed {
                return None;
            }
            if state.unwritten < state.limit
                && let Some(part) = state.next.take()
            {
                state.unwritten += 1;
                return Some(part);
            }
            state = (self.changed.wait(state)).unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn offer(&self, part: Part) {
        self.lock().next = Some(part);
        self.changed.notify_one();
    }

    /// A part taken by a worker is written.
    fn written(&self) {
        let mut state = self.lock();
        let full = state.unwritten >= state.limit;
        state.unwritten = state.unwritten.saturating_sub(1);
        drop(state);
        if full {
            self.changed.notify_all();
        }
    }

    fn close(&self) {
        let mut state = self.lock();
        state.closed = true;
        state.next = None;
        drop(state);
        self.changed.notify_all();
    }
}

/// Closes the queue if a worker unwinds, so that the others stop and the run ends (with the
/// panic) rather than waiting for the part it held.
struct Closing<'q>(&'q Queue);

impl Drop for Closing<'_> {
    fn drop(&mut self) {
        if thread::panicking() {
            self.0.close();
        }
    }
}

/// What a worker tells the thread that writes.
enum Report {
    /// The file being read has no part left to offer: the next file's first part may be.
    FileParsed,
    /// What a part printed, by the file's place in the run and the part's in the file, and
    /// whether it is the file's last.
    Done((usize, usize), PartResult, bool),
}

/// The workers, once started, and what the writing thread knows of them.
struct Crew<'scope, 'env> {
    scope: &'scope thread::Scope<'scope, 'env>,
    queue: &'env Queue,
    jobs: usize,
    format: Format,
    color: Color,
    reports: Option<mpsc::Receiver<Report>>,
    /// A file's parts are offered and its last one is not parsed yet.
    offering: bool,
}

impl Crew<'_, '_> {
    /// Starts the workers; `false` when the system gives not even one thread, and every part
    /// is read on this thread, as with `--jobs 1`.
    fn start(&mut self) -> bool {
        let (sent, reports) = mpsc::channel();
        let mut started = 0;
        for _ in 0..self.jobs {
            let (sent, queue) = (sent.clone(), self.queue);
            let (format, color) = (self.format, self.color);
            let spawned = thread::Builder::new().spawn_scoped(self.scope, move || {
                let _closing = Closing(queue);
                work(queue, &sent, &Printer::new(format, color));
            });
            // The system gives no more threads (`--jobs` past its limits): the ones started
            // do the work.
            if spawned.is_err() {
                break;
            }
            started += 1;
        }
        if started == 0 {
            self.jobs = 1;
            return false;
        }
        self.queue.lock().limit = 4 * started;
        self.reports = Some(reports);
        true
    }

    fn offer(&mut self, part: Part) {
        self.offering = true;
        self.queue.offer(part);
    }
}

/// The files' scenarios in parts, taken by the workers as they are free, and what they print
/// written in input order. A part is parsed before it is evaluated, and the next part is
/// offered as soon as its start is known: parsing is a fraction of the work, so the workers
/// overlap, with no scan of the file of their own. The workers start with the second part: a
/// run of one file of a few dozen scenarios is read on this thread, as is every file when
/// `jobs` is 1; the first part of a longer file is evaluated here while they read the next.
struct Pipeline<'scope, 'env, W: Write> {
    crew: Crew<'scope, 'env>,
    /// Results of the workers received before their turn, by file and part, with whether the
    /// part is its file's last and whether a worker took it (not an unreadable file's).
    early: BTreeMap<(usize, usize), (PartResult, bool, bool)>,
    /// The file and part whose results are written next.
    turn: (usize, usize),
    /// The files met so far, read or not.
    files: usize,
    out: W,
    printer: Printer,
    tally: Tally,
    written: io::Result<()>,
}

/// How a part read on this thread ended.
enum ReadHere {
    /// The next part starts there, and is read here too.
    Next(usize),
    /// The workers read the file on from the next part.
    Handed,
    /// The file ended.
    FileEnd,
}

impl<'scope, 'env, W: Write> Pipeline<'scope, 'env, W> {
    fn new(
        scope: &'scope thread::Scope<'scope, 'env>,
        queue: &'env Queue,
        out: W,
        format: Format,
        color: Color,
        jobs: usize,
    ) -> Self {
        Pipeline {
            crew: Crew {
                scope,
                queue,
                jobs,
                format,
                color,
                reports: None,
                offering: false,
            },
            early: BTreeMap::new(),
            turn: (0, 0),
            files: 0,
            out,
            printer: Printer::new(format, color),
            tally: Tally::default(),
            written: Ok(()),
        }
    }

    /// Reads the file at `path` in parts.
    fn file(&mut self, path: &Path) {
        let order = self.files;
        self.files += 1;
        let source = if path.as_os_str() == "-" {
            Source::Stdin
        } else {
            Source::File(path.to_path_buf())
        };
        let name = source.to_string();
        let text = match input::read(&source).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => return self.unreadable(order, &name, "the file is not UTF-8"),
            Err(error) => return self.unreadable(order, &name, &error.message),
        };
        let file = Arc::new(FileText {
            name,
            text,
            order,
            lines: OnceLock::new(),
        });
        if self.crew.reports.is_none() && self.crew.jobs > 1 && order > 0 {
            self.crew.start();
        }
        if self.crew.reports.is_some() {
            // One file's parts at a time: a worker keeps what it read of a file from one of its
            // parts to the next.
            while self.crew.offering && self.receive() {}
            return self.crew.offer(Part {
                file,
                after: None,
                first: 0,
                limited: true,
            });
        }
        let mut part = Part {
            file,
            after: None,
            first: 0,
            limited: self.crew.jobs > 1,
        };
        loop {
            match self.read_here(&part) {
                ReadHere::Next(after) => {
                    part = Part {
                        after: Some(after),
                        first: part.first + PART,
                        limited: self.crew.jobs > 1,
                        ..part
                    };
                }
                ReadHere::Handed => {
                    self.turn = (order, part.first / PART + 1);
                    return;
                }
                ReadHere::FileEnd => {
                    self.turn = (order + 1, 0);
                    return;
                }
            }
        }
    }

    fn unreadable(&mut self, order: usize, name: &str, message: &str) {
        let mut out = Vec::new();
        let end = file_error(&mut out, self.printer.format, name, message)
            .map(|()| PartEnd::FileEnd(Some(format!("cannot read `{name}`: {message}"))));
        let tally = Tally {
            unreadable: 1,
            ..Tally::default()
        };
        let result = PartResult { out, tally, end };
        if self.crew.reports.is_some() {
            self.early.insert((order, 0), (result, true, false));
            self.write_due();
        } else {
            self.write(result);
            self.turn = (order + 1, 0);
        }
    }

    /// Reads a part on this thread, writing as it goes; once a limited part's scenarios are
    /// parsed and the file goes on, the workers are started and offered the next part.
    fn read_here(&mut self, part: &Part) -> ReadHere {
        let mut reading = Reading::new(&part.file);
        let mut tally = Tally::default();
        let mut next = ReadHere::FileEnd;
        let crew = &mut self.crew;
        let end = read_part(
            &mut self.out,
            &self.printer,
            &mut reading,
            part,
            &mut tally,
            &mut |start| {
                next = match start {
                    Some(after) if crew.start() => {
                        crew.offer(Part {
                            after: Some(after),
                            first: part.first + PART,
                            ..part.clone()
                        });
                        ReadHere::Handed
                    }
                    Some(after) => ReadHere::Next(after),
                    None => ReadHere::FileEnd,
                };
            },
        );
        self.tally.add(&tally);
        self.stopped(end);
        next
    }

    /// Receives one report of the workers and writes what is due; `false` when they are gone.
    fn receive(&mut self) -> bool {
        let report = match &self.crew.reports {
            Some(reports) => reports.recv(),
            None => return false,
        };
        match report {
            Ok(Report::FileParsed) => self.crew.offering = false,
            Ok(Report::Done(key, result, last)) => {
                self.early.insert(key, (result, last, true));
                self.write_due();
            }
            // Every worker stopped (they do not, but this thread does not wait for them).
            Err(_) => {
                self.crew.offering = false;
                return false;
            }
        }
        true
    }

    /// Writes the results received, in input order, as far as they go.
    fn write_due(&mut self) {
        while let Some((result, last, taken)) = self.early.remove(&self.turn) {
            if taken {
                self.crew.queue.written();
            }
            self.write(result);
            self.turn = match last {
                true => (self.turn.0 + 1, 0),
                false => (self.turn.0, self.turn.1 + 1),
            };
        }
    }

    fn write(&mut self, result: PartResult) {
        self.tally.add(&result.tally);
        let written = self.out.write_all(&result.out);
        self.note(written);
        self.stopped(result.end);
    }

    fn stopped(&mut self, end: io::Result<PartEnd>) {
        match end {
            Ok(PartEnd::FileEnd(Some(error))) => eprintln!("error: {error}"),
            Ok(_) => {}
            Err(error) => self.note(Err(error)),
        }
    }

    /// Keeps the first error writing the results.
    fn note(&mut self, written: io::Result<()>) {
        if self.written.is_ok() {
            self.written = written;
        }
    }

    /// Writes what is pending and stops the workers.
    fn finish(mut self) -> (W, Tally, io::Result<()>) {
        while self.turn.0 < self.files && self.receive() {}
        self.crew.queue.close();
        (self.out, self.tally, self.written)
    }
}

/// A worker's loop: reads the parts it takes, keeping what it read of a file (its lines, its
/// policy texts) from one part to the next of the same file.
fn work(queue: &Queue, reports: &mpsc::Sender<Report>, printer: &Printer) {
    let mut next = queue.take();
    while let Some(first) = next.take() {
        let file = Arc::clone(&first.file);
        let mut reading = Reading::new(&file);
        let mut part = Some(first);
        while let Some(current) = part.take() {
            let mut out = Vec::new();
            let mut tally = Tally::default();
            // Whether the file goes on after this part: `None` until `read_part` tells,
            // which it does for a limited part (every worker's) before evaluating it.
            let mut goes_on = None;
            let mut offer = |start: Option<usize>| {
                goes_on = Some(start.is_some());
                match start {
                    Some(after) => queue.offer(Part {
                        after: Some(after),
                        first: current.first + PART,
                        ..current.clone()
                    }),
                    None => drop(reports.send(Report::FileParsed)),
                }
            };
            let end = read_part(
                &mut out,
                printer,
                &mut reading,
                &current,
                &mut tally,
                &mut offer,
            );
            let last = goes_on != Some(true);
            if goes_on.is_none() {
                let _ = reports.send(Report::FileParsed);
            }
            let key = (file.order, current.first / PART);
            let done = Report::Done(key, PartResult { out, tally, end }, last);
            if reports.send(done).is_err() {
                return;
            }
            match queue.take() {
                Some(following) if Arc::ptr_eq(&following.file, &file) => part = Some(following),
                following @ Some(_) => next = following,
                // The run is over and the process ends: the policies this worker read (those of
                // thousands of scenarios in a large file) are left to it, not freed one by one,
                // which took 1.3 ms after the last result was written.
                None => {
                    std::mem::forget(reading);
                    return;
                }
            }
        }
    }
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

/// Reads and evaluates the scenarios of a part, and prints their results. A limited part tells
/// `next_start` where the next part starts (`None`: the file ends in this one) once its
/// scenarios are parsed, before they are evaluated.
fn read_part(
    out: &mut impl Write,
    printer: &Printer,
    reading: &mut Reading<'_>,
    part: &Part,
    tally: &mut Tally,
    next_start: &mut dyn FnMut(Option<usize>),
) -> io::Result<PartEnd> {
    let (name, text) = (reading.name, reading.text);
    let mut elements = match part.after {
        None => parse::elements(text),
        Some(after) => parse::elements_after(text, after),
    };
    // The JSON record of each scenario, built whole and written at once.
    let mut line = String::new();
    let mut index = part.first;
    // The scenarios parsed and not yet evaluated: a part's, or one at a time.
    let batch = if part.limited { PART } else { 1 };
    let mut nodes = Vec::with_capacity(batch);
    loop {
        // Scenarios are parsed without the trees of the policy texts read before them: a
        // large file never holds the tree of all of them.
        let reader = &reading.reader;
        // `Some`: the file ends, `Some(Some(_))` with a syntax error.
        let mut stop = None;
        while nodes.len() < batch && stop.is_none() {
            let next =
                elements.next_skipping(&scenario::holds_policies, &|rest| reader.known_at(rest));
            match next {
                Some(Ok(node)) => nodes.push(node),
                Some(Err(error)) => stop = Some(Some(error)),
                None => stop = Some(None),
            }
        }
        if part.limited {
            let last = nodes.last().map(|node| node.span.end as usize);
            next_start(last.filter(|_| stop.is_none()));
        }
        for node in nodes.drain(..) {
            evaluate(out, printer, reading, &mut line, index, &node, tally)?;
            index += 1;
        }
        match stop {
            None if part.limited => return Ok(PartEnd::Full),
            None => {}
            Some(None) => return Ok(PartEnd::FileEnd(None)),
            Some(Some(error)) => {
                tally.unreadable += 1;
                let (line, column) = reading.lines().line_col(error.span.start as usize);
                let message = format!("{} at line {line}, column {column}", error.message);
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
    reading: &mut Reading<'_>,
    line: &mut String,
    index: usize,
    node: &iam_policy_core::Node<'_>,
    tally: &mut Tally,
) -> io::Result<()> {
    let (name, text, lines) = (reading.name, reading.text, &reading.lines());
    tally.scenarios += 1;
    let scenario = match scenario::read(node, &mut reading.reader) {
        Ok(scenario) => scenario,
        Err(error) => {
            tally.malformed += 1;
            return write_malformed(out, printer, name, lines, index, node, &error);
        }
    };
    let set = policy_set(&scenario);
    let evaluation = eval::evaluate(&scenario.request, &set);
    let matched = scenario.expect.map(|expect| expect == evaluation.decision);
    if matched == Some(false) {
        tally.mismatches += 1;
    }
    let place = Place {
        file: name,
        text,
        lines,
        index,
    };
    match printer.format {
        Format::Json => write_json(out, line, &place, &scenario, &set, &evaluation, matched),
        Format::Text => write_text(
            out,
            &printer.renderer,
            &place,
            &scenario,
            &set,
            &evaluation,
            matched,
        ),
    }
}

/// The file and index of a scenario, and the file's text that spans index.
struct Place<'a> {
    file: &'a str,
    text: &'a str,
    lines: &'a LineIndex<'a>,
    index: usize,
}

fn policy_set(scenario: &Scenario) -> PolicySet<'_> {
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
        record.string("file", self.file);
        if let Some(index) = self.index {
            record.number("index", index);
        }
        if let Some(name) = self.name {
            record.string("name", name);
        }
        record.string("error", self.error);
        if let Some((line, column)) = self.line_col {
            record.number("line", line);
            record.number("column", column);
        }
        record.close();
        line.push('\n');
        line
    }
}

fn write_malformed(
    out: &mut impl Write,
    printer: &Printer,
    file: &str,
    lines: &LineIndex<'_>,
    index: usize,
    node: &iam_policy_core::Node<'_>,
    error: &ScenarioError,
) -> io::Result<()> {
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
                lines.text(),
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
    fn open(out: &'b mut String) -> Self {
        out.push('{');
        JsonObject { out, empty: true }
    }

    /// Starts the member `key`, one of the record's own names, which need no escapes.
    fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        self.out
    }

    fn string(&mut self, key: &str, value: &str) {
        json::write_string(self.key(key), value);
    }

    /// The member `key` with a word of the tool's own vocabulary (a decision, an effect, a
    /// severity, an issue code), which needs no escapes: written as it is, not scanned.
    fn word(&mut self, key: &str, value: &'static str) {
        let out = self.key(key);
        out.push('"');
        out.push_str(value);
        out.push('"');
    }

    fn number(&mut self, key: &str, value: usize) {
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(value);
        self.key(key).push_str(digits);
    }

    fn bool(&mut self, key: &str, value: bool) {
        self.key(key).push_str(if value { "true" } else { "false" });
    }

    fn member_name(&mut self, key: &str, name: MemberName) {
        let out = self.key(key);
        out.push('"');
        name.write(out);
        out.push('"');
    }

    /// The member `key`: an array of what `write` makes of each item.
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

    fn close(self) {
        self.out.push('}');
    }
}

/// One scenario's record as one line of JSON, built in `line` (reused from scenario to
/// scenario) and written at once.
fn write_json(
    out: &mut impl Write,
    line: &mut String,
    place: &Place<'_>,
    scenario: &Scenario,
    set: &PolicySet<'_>,
    evaluation: &Evaluation,
    matched: Option<bool>,
) -> io::Result<()> {
    let statement = |out: &mut String, decided: &eval::StatementResult| {
        let found = decided
            .policy
            .get(set)
            .and_then(|p| p.statements().get(decided.index));
        let span = statement_span(scenario, decided);
        let mut record = JsonObject::open(out);
        record.member_name("policy", MemberName(decided.policy));
        record.number("statement", decided.index);
        if let Some(sid) = found.and_then(|s| s.sid.as_deref()) {
            record.string("sid", sid);
        }
        record.word("effect", decided.result.effect.as_str());
        let why = found.map(|s| eval::why(s, &decided.result));
        record.string("why", why.as_deref().unwrap_or_default());
        record.number("line", place.lines.line(span.start as usize));
        record.close();
    };
    line.clear();
    let mut record = JsonObject::open(line);
    record.string("file", place.file);
    record.number("index", place.index);
    if let Some(name) = &scenario.name {
        record.string("name", name);
    }
    record.word("decision", evaluation.decision.as_str());
    if let Some(expect) = scenario.expect {
        record.word("expect", expect.as_str());
    }
    if let Some(matched) = matched {
        record.bool("matched", matched);
    }
    if let Some(denied_by) = evaluation.denied_by {
        record.string("denied_by", &denied_by.to_string());
    }
    record.array("deciding", &evaluation.deciding, statement);
    if evaluation.unmet().next().is_some() {
        record.array("unmet", evaluation.unmet(), statement);
    }
    let findings = scenario
        .policies()
        .flat_map(|(policy, found)| found.findings().map(move |finding| (policy, finding)));
    record.array("findings", findings, |out, (policy, (finding, span))| {
        let (line, column) = place.lines.line_col(span.start as usize);
        let mut record = JsonObject::open(out);
        record.member_name("policy", MemberName(policy));
        record.word("severity", finding.severity.as_str());
        record.word("code", finding.code.as_str());
        record.string("message", &finding.message);
        record.number("line", line);
        record.number("column", column);
        record.close();
    });
    record.array(
        "context_warnings",
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
    renderer: &Renderer,
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
        Level::ERROR
    } else {
        Level::NOTE
    };
    let title = Group::with_title(level.primary_title(title.as_str()));
    writeln!(out, "{}", renderer.render(&[title]))?;
    for warning in scenario.request.context_warnings() {
        let title = Level::WARNING.primary_title(warning.message.as_str());
        writeln!(out, "{}", renderer.render(&[Group::with_title(title)]))?;
    }
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
