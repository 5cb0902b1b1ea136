fn main() {
    std::process::exit(roadmap::app::main());
}
