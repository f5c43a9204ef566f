//! The keyhound binary: all logic lives in the library; this only hands over to it.

fn main() -> std::process::ExitCode {
    keyhound::cli::main()
}
