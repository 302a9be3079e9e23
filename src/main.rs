//! The `piiscan` binary: parse flags, run a command, exit with its code.

mod cli;

fn main() -> std::process::ExitCode {
    limit_heap_retention();
    cli::main()
}

/// Findings are made on worker threads and freed on the writer thread, in
/// batches of all sizes; glibc then keeps freed memory resident, and its
/// dynamic threshold moves large buffers off `mmap`. A fixed threshold
/// returns large blocks to the system when they are freed, which keeps peak
/// memory near what is live (measured: 250 MB down to 140 MB on a 1 GB tree).
fn limit_heap_retention() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; called before any
    // thread is started.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
