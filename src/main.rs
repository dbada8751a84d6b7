//! The `briefing` command: arguments in, exit code out; the work is done by
//! the library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
