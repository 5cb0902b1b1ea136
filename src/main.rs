/// See `Cargo.toml` for why: fewer, larger pages from the kernel.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(roadmap::run::main());
}
