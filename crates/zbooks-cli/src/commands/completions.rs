//! `zbooks completions SHELL`: the shell's completion script for every command and flag,
//! written to stdout for the user to install (clap_complete; the same command tree as
//! `--help`, so the two never disagree).

use clap::Args;
use clap_complete::Shell;

use crate::CommandResult;
use crate::exit;
use crate::printer::Printer;

/// `zbooks completions`.
#[derive(Debug, Args)]
#[command(after_help = "\
Install (then open a new shell):
  bash        zbooks completions bash > ~/.local/share/bash-completion/completions/zbooks
  zsh         zbooks completions zsh > ~/.zfunc/_zbooks   (with fpath+=(~/.zfunc) before compinit)
  fish        zbooks completions fish > ~/.config/fish/completions/zbooks.fish
  powershell  zbooks completions powershell >> $PROFILE
  elvish      zbooks completions elvish >> ~/.config/elvish/rc.elv")]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

/// Writes the completion script of `command` (the whole `zbooks` tree) for the shell.
pub fn run(args: &CompletionsArgs, mut command: clap::Command, p: Printer) -> CommandResult {
    p.out_data(&script(args.shell, &mut command));
    Ok(exit::OK)
}

/// The completion script for `shell`.
pub fn script(shell: Shell, command: &mut clap::Command) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, command, "zbooks", &mut out);
    out
}
