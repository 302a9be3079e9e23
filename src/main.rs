//! The `piiscan` binary: parse flags, run a command, exit with its code.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
