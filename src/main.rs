//! The `msgaudit` command line; all work happens in the library.

fn main() -> std::process::ExitCode {
    msgaudit::cli::main()
}
