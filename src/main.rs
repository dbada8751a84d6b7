//! The `briefing` command: arguments in, exit code out; the work is done by
//! the library.

mod cli;

/// Batches allocate from every core at once; see BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

extern "C" {
    /// mimalloc's setter of its options (`mi_option_set`, mimalloc.h).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc.h's `mi_option_e` (the same number
/// in its versions 2 and 3).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

fn main() -> std::process::ExitCode {
    // Memory freed is given back to the system after 10 ms, as mimalloc 2
    // did, not after the second of mimalloc 3: what one stage of a document
    // frees (the flow, once it is cut into pages) was still held when the
    // next peaked. Generated brief 133–143 -> 98–106 MB, a pack of 1,000
    // briefs 356–373 -> 311–325 MB, in the same time (see BENCHMARKS.md).
    // `MIMALLOC_PURGE_DELAY` in the environment still has the last word.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets an option; called before any thread is started.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 10) };
    }
    cli::run()
}
