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
    roadmap::shell::process::exit(roadmap::run::main())
}

#[cfg(not(all(target_os = "linux", target_env = "gnu", not(test))))]
fn main() {
    std::process::exit(roadmap::run::main());
}
