fn main() {
    std::process::exit(roadmap::run::main());
}
