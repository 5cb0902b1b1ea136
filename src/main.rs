/// The system's allocator, or mimalloc for large input (`shell::alloc`).
#[global_allocator]
static GLOBAL: roadmap::shell::alloc::Allocator = roadmap::shell::alloc::Allocator;

fn main() {
    std::process::exit(roadmap::run::main());
}
