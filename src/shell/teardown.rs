//! Leaving a command's large values to the exit instead of freeing them.

/// Set by `main`: the process ends after the command, so its large values
/// need not be freed.
static EXITS_AFTER_COMMAND: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Ends the life of a command's large values. In the `roadmap` process they
/// are not freed: it exits right after the command, and freeing a big plan,
/// progress and schedule piece by piece only costs time (a tenth of `next`
/// at 10,000 tasks); the operating system takes the memory back at exit.
/// Elsewhere (tests, benchmarks, other callers of the library) they are
/// dropped as usual.
pub(crate) fn skip_teardown<T>(value: T) {
    if leaves_to_exit() {
        std::mem::forget(value);
    } else {
        drop(value);
    }
}

/// Whether the process ends after the command (`exits_after_command`):
/// what it reads may then be kept until the exit.
pub(crate) fn leaves_to_exit() -> bool {
    EXITS_AFTER_COMMAND.load(std::sync::atomic::Ordering::Relaxed)
}

/// Called once by the process entry point: from now on, `skip_teardown`
/// leaves values to the exit.
pub(crate) fn exits_after_command() {
    EXITS_AFTER_COMMAND.store(true, std::sync::atomic::Ordering::Relaxed);
}
