//! The `zbooks` binary: everything lives in the library so tests and docs can reach it.

/// mimalloc rather than the system's allocator: the Tally reader hands objects built in one
/// thread to another, which frees them, and glibc's allocator serializes such frees on the
/// building thread's arena (issue 20; docs/dependencies.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    zbooks_cli::main()
}
