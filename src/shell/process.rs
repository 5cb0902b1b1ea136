//! The process's start, where the standard library's runtime is not run.
//!
//! On Linux with glibc `main.rs` is the C `main` itself (`#![no_main]`):
//! the standard library's start-up before a Rust `main` costs a run on the
//! built-in plan about a tenth of its instructions and a read of
//! `/proc/self/maps` (glibc's `pthread_getattr_np`, which it calls to place
//! the main thread's stack guard for its stack-overflow message), more than
//! the whole schedule of a hundred tasks. The program still needs two
//! things it did there, and [`start`] does them: the standard streams are
//! open (one that was closed is opened on `/dev/null`, so that a file the
//! program opens never takes number 0, 1 or 2 and gets its output or its
//! errors written into it), and a write to a closed pipe is an error to
//! handle (`EPIPE`: `roadmap list | head` ends quietly), not a signal that
//! kills the process. Arguments are unaffected: glibc hands them to the
//! standard library's initialiser before any `main`. What is given up is
//! the message on a stack overflow (the process still stops, by `SIGSEGV`)
//! and the main thread's name in a panic's message. A panic still exits
//! with 101 (`main.rs` catches it, as the standard library's start did).
//! Ending by `_exit` ([`exit`]) also skips what a tool registers to run at
//! exit: a coverage build's profile of the program's own runs, mimalloc's
//! `MIMALLOC_SHOW_STATS`.
//!
//! The unwinder is linked in too (`libgcc_eh`, as `gcc -static-libgcc`
//! links it) rather than loaded from `libgcc_s.so`: that library's start-up
//! asks the processor what it supports with `cpuid` instructions,
//! each a trap to the hypervisor on a virtual machine; loading it took a C
//! program 0.11 ms more than not, against 0.63 ms for the whole program.
//! The whole unwinder comes from the archive, in the tests as in the
//! program (they unwind through it on every panic they catch).

// `-bundle`: named to the linker, which finds it beside the C compiler's
// own libraries, rather than copied into this crate's library.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[link(name = "gcc_eh", kind = "static", modifiers = "-bundle")]
unsafe extern "C" {}

/// What the process needs before any command runs (see the module).
#[cfg(unix)]
pub fn start() {
    open_standard_streams();
    // SAFETY: setting a signal's disposition to "ignore" before any thread
    // is started; no handler runs.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}

/// Nothing to prepare elsewhere: the standard library's runtime runs.
#[cfg(not(unix))]
pub fn start() {}

/// Ends the process with `code` once the standard output is flushed, without
/// the C library's exit handlers: the one registered here is mimalloc's,
/// which on a process's exit gives back every page it holds, one `madvise`
/// each (5 after `next` at 10,000 tasks, about twenty after `done`, all after
/// the output was written), for a process that is about to give back all
/// of its memory at once. Nothing of the program's own waits for an exit
/// handler: files are synced and closed, and temporary files removed,
/// where they are used.
#[cfg(unix)]
pub fn exit(code: i32) -> ! {
    use std::io::Write;
    // A failed flush has nowhere left to be told (the output already went
    // through `run::main`, which reports its own write errors).
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: `_exit` ends the process; nothing runs after it.
    unsafe { libc::_exit(code) }
}

/// Ends the process with `code` (the standard library's exit).
#[cfg(not(unix))]
pub fn exit(code: i32) -> ! {
    std::process::exit(code)
}

/// Opens each of the standard streams that is closed on `/dev/null`.
#[cfg(unix)]
fn open_standard_streams() {
    let mut fds = [0, 1, 2].map(|fd| libc::pollfd { fd, events: 0, revents: 0 });
    loop {
        // SAFETY: `fds` is a live array of three `pollfd`s; timeout 0.
        let polled = unsafe { libc::poll(fds.as_mut_ptr(), 3, 0) };
        if polled >= 0 {
            break;
        }
        if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            // poll itself failed: ask each descriptor instead.
            for pollfd in &mut fds {
                // SAFETY: F_GETFD reads a descriptor's flags, nothing else.
                let closed = unsafe { libc::fcntl(pollfd.fd, libc::F_GETFD) } == -1;
                pollfd.revents = if closed { libc::POLLNVAL } else { 0 };
            }
            break;
        }
    }
    for pollfd in fds {
        if pollfd.revents & libc::POLLNVAL != 0 {
            // The lowest free number is this one: open takes it. Should it
            // fail there is nothing better to do than to go on.
            // SAFETY: a constant, nul-terminated path.
            unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) };
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// In a child process (forked: only calls a signal handler could make
    /// run there), the standard input and error closed, then `start`: both
    /// are open again, on `/dev/null`, and the output left as it was.
    #[test]
    fn start_opens_the_closed_standard_streams_on_dev_null() {
        // SAFETY: `stat` of a constant path into a zeroed struct.
        let mut null: libc::stat = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::stat(c"/dev/null".as_ptr(), &mut null) }, 0);
        // SAFETY: the child calls only async-signal-safe functions
        // (close, poll, open, signal, fstat, fcntl, _exit) and never returns.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork: {}", std::io::Error::last_os_error());
        if pid == 0 {
            unsafe {
                let output_before = libc::fcntl(1, libc::F_GETFD);
                libc::close(0);
                libc::close(2);
                start();
                let mut st: libc::stat = std::mem::zeroed();
                let mut on_null = |fd| libc::fstat(fd, &mut st) == 0 && st.st_rdev == null.st_rdev;
                let code = if !on_null(0) {
                    10
                } else if !on_null(2) {
                    12
                } else if libc::fcntl(1, libc::F_GETFD) != output_before {
                    11
                } else {
                    0
                };
                libc::_exit(code);
            }
        }
        let mut status = 0;
        // SAFETY: waiting for the child just forked.
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        assert!(libc::WIFEXITED(status), "the child ended by a signal: {status}");
        assert_eq!(libc::WEXITSTATUS(status), 0, "10: stdin not reopened, 12: stderr not, 11: stdout changed");
    }
}
