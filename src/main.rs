//! The `briefing` command: arguments in, exit code out; the work is done by
//! the library.

mod cli;

/// Batches allocate from every core at once; see BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

extern "C" {
    /// mimalloc's setter of its options (`mi_option_set`, mimalloc.h; the
    /// `mimalloc` crate's own list of options lacks the two set here).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    /// The C library's `getenv`, which reads without allocating.
    fn getenv(name: *const std::ffi::c_char) -> *const std::ffi::c_char;
}

/// `mi_option_arena_eager_commit` and `mi_option_purge_delay` in
/// mimalloc.h's `mi_option_e` (the same numbers in its versions 2 and 3).
const MI_OPTION_ARENA_EAGER_COMMIT: std::ffi::c_int = 4;
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

fn main() -> std::process::ExitCode {
    #[cfg(not(any(target_os = "linux", target_os = "freebsd")))]
    lean_allocator();
    cli::run()
}

/// Runs [`lean_allocator`] as the program is loaded, before mimalloc starts
/// (its constructor has the default priority, or 101 built by clang) and
/// before anything allocates: mimalloc commits its first arena when it
/// starts, so `main` would be too late. Elsewhere `main` calls it, which
/// still shortens the purge delay.
#[cfg(any(target_os = "linux", target_os = "freebsd"))]
#[used]
#[link_section = ".init_array.00100"]
static LEAN_ALLOCATOR: extern "C" fn() = lean_allocator;

/// Memory a stage frees goes back to the system within a millisecond, and
/// mimalloc's arenas are committed as they are used, not at once: freed
/// memory is then returned (decommitted) rather than only marked reusable,
/// which the process's resident size still counts. Measured (BENCHMARKS.md,
/// issue 14), interleaved with mimalloc's defaults: the German example
/// 35-37 -> 18.5 MB, the generated 296-page brief 93-103 -> 63-64 MB,
/// `render` of 1,000 briefs 43-45 -> 21 MB, a pack of 1,000 238-245 ->
/// 211 MB, in the same time. The `MIMALLOC_ARENA_EAGER_COMMIT` and
/// `MIMALLOC_PURGE_DELAY` environment variables still have the last word.
extern "C" fn lean_allocator() {
    for (variable, option, value) in [
        (
            c"MIMALLOC_ARENA_EAGER_COMMIT",
            MI_OPTION_ARENA_EAGER_COMMIT,
            0,
        ),
        (c"MIMALLOC_PURGE_DELAY", MI_OPTION_PURGE_DELAY, 1),
    ] {
        // SAFETY: `getenv` reads a NUL-terminated name; `mi_option_set`
        // sets an option. Both before any thread is started.
        unsafe {
            if getenv(variable.as_ptr()).is_null() {
                mi_option_set(option, value);
            }
        }
    }
}
