//! The entry point. On Linux with glibc this is the C `main` itself: the
//! standard library's own start-up is skipped (`shell::process` says what it
//! cost and what is done instead). Not in this file's test build, whose
//! `main` is the test harness's.
#![cfg_attr(all(target_os = "linux", target_env = "gnu", not(test)), no_main)]

/// The system's allocator, or mimalloc for large input (`shell::alloc`).
#[global_allocator]
static GLOBAL: roadmap::shell::alloc::Allocator = roadmap::shell::alloc::Allocator;

#[cfg(all(target_os = "linux", target_env = "gnu", not(test)))]
#[unsafe(no_mangle)]
extern "C" fn main(_argc: std::ffi::c_int, _argv: *const *const std::ffi::c_char) -> std::ffi::c_int {
    roadmap::shell::process::start();
    // A panic must not unwind out of a C function (that aborts): it ends
    // with the standard library's code for one, its message printed.
    let code = std::panic::catch_unwind(roadmap::run::main).unwrap_or(101);
    roadmap::shell::process::exit(code)
}

#[cfg(not(all(target_os = "linux", target_env = "gnu", not(test))))]
fn main() {
    std::process::exit(roadmap::run::main());
}
