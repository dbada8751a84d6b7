//! The `briefing` command: arguments in, exit code out; the work is done by
//! the library.

mod cli;

/// Batches allocate from every core at once; see BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
