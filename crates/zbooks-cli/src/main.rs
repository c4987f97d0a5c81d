//! The `zbooks` binary: everything lives in the library so tests and docs can reach it.

fn main() -> std::process::ExitCode {
    zbooks_cli::main()
}
