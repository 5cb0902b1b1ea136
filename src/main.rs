fn main() {
    std::process::exit(roadmap::shell::app::main());
}
