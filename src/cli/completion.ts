import type { Command } from "commander";
import { type CommandNode, commandTree, flagsOf, takesValue } from "./command-tree.js";

/**
 * Shell completion scripts, generated from the command tree itself, so a new
 * command or flag completes the day it is added. Each script walks the words
 * typed so far the way commander parses them: a word that names a subcommand
 * of the path so far extends the path (until the first plain argument), a flag
 * that takes a value swallows the next word, and everything else is an
 * argument. Then it offers the path's subcommands, or its flags and the global
 * ones after a dash; where nothing matches, the shell completes file names
 * (lock paths, plan and report files).
 */

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

interface Entry {
  word: string;
  description: string;
}

interface PathInfo {
  path: string;
  subcommands: Entry[];
  /** This command's own flags, --help included; the global flags are offered everywhere. */
  flags: Entry[];
  /** Flags of this command (and global ones) that take a value. */
  valueFlags: string[];
  /** Choices of the first argument, where the command declares them. */
  argumentChoices: string[];
  /** It takes arguments without declared choices: file names are a fair guess (lock paths, plans). */
  files: boolean;
}

const HELP: Entry = { word: "--help", description: "display help for command" };

function describe(root: Command): { global: Entry[]; globalValueFlags: string[]; paths: PathInfo[] } {
  const flagEntries = (command: Command) =>
    command.options
      .filter((option) => !option.hidden)
      .flatMap((option) => flagsOf(option).map((word) => ({ word, description: option.description })));
  const valueFlags = (command: Command) =>
    command.options.filter(takesValue).flatMap((option) => flagsOf(option));
  const paths = commandTree(root).map(
    ({ path, command }: CommandNode): PathInfo => ({
      path,
      subcommands: command.commands.map((sub) => ({ word: sub.name(), description: sub.description() })),
      flags: path === "" ? [HELP] : [...flagEntries(command), HELP],
      valueFlags: path === "" ? [] : valueFlags(command),
      argumentChoices: command.registeredArguments[0]?.argChoices ?? [],
      files: command.registeredArguments.length > 0 && !command.registeredArguments[0]?.argChoices,
    }),
  );
  return { global: flagEntries(root), globalValueFlags: valueFlags(root), paths };
}

/** Single-quotes a word for any of the three shells (none of them expands inside single quotes). */
function quote(text: string, shell: Shell): string {
  const flat = text.replace(/[\r\n\t]+/g, " ");
  if (shell === "fish") return `'${flat.replace(/[\\']/g, (c) => `\\${c}`)}'`;
  return `'${flat.replace(/'/g, `'\\''`)}'`;
}

/** `case` arms shared by bash and zsh: which words are subcommands, which flags take a value. */
function posixHelpers(info: ReturnType<typeof describe>, prefix: string): string {
  const subArms = info.paths
    .flatMap((p) => p.subcommands.map((s) => quote(`${p.path}/${s.word}`, "bash")))
    .join("|");
  const valueArms = [
    ...info.globalValueFlags.map((flag) => `*/${flag}`),
    ...info.paths.flatMap((p) => p.valueFlags.map((flag) => `${p.path}/${flag}`)),
  ]
    .map((arm) => (arm.startsWith("*") ? `*${quote(arm.slice(1), "bash")}` : quote(arm, "bash")))
    .join("|");
  return `${prefix}_is_sub() { case "$1/$2" in ${subArms || "''"}) return 0 ;; esac; return 1; }
${prefix}_takes_value() { case "$1/$2" in ${valueArms || "''"}) return 0 ;; esac; return 1; }
${prefix}_walk() {
  # Walks words 1 .. $1-1 of ${prefix}_words into the caller's cmd (the command path, "task
  # claim") and seen (1 once a plain argument came: no subcommand can follow it).
  local i=1 w
  cmd="" seen=0
  while [ "$i" -lt "$1" ]; do
    w=\${${prefix}_words[$i]}
    case "$w" in
      --*=*) ;;
      -*) if ${prefix}_takes_value "$cmd" "$w"; then i=$((i + 1)); fi ;;
      *) if [ "$seen" = 0 ] && ${prefix}_is_sub "$cmd" "$w"; then cmd="\${cmd:+$cmd }$w"; else seen=1; fi ;;
    esac
    i=$((i + 1))
  done
}`;
}

function bashScript(info: ReturnType<typeof describe>): string {
  const global = info.global.map((e) => e.word).join(" ");
  const arms = info.paths
    .map((p) => {
      const flags = p.flags.map((f) => f.word);
      return `    ${quote(p.path, "bash")}) subs=${quote(p.subcommands.map((s) => s.word).join(" "), "bash")}; choices=${quote(p.argumentChoices.join(" "), "bash")}; flags=${quote(flags.join(" "), "bash")}; files=${p.files ? 1 : 0} ;;`;
    })
    .join("\n");
  return `# baton completion for bash: source <(baton completion bash)
${posixHelpers(info, "_baton")}
_baton() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local _baton_words=("\${COMP_WORDS[@]}")
  local cmd seen subs="" choices="" flags="" files=0
  _baton_walk "$COMP_CWORD"
  COMPREPLY=()
  # A flag's value: nothing to offer but the shell's own (file names).
  if [[ $prev == -* && $prev != *=* ]] && _baton_takes_value "$cmd" "$prev"; then return 0; fi
  case "$cmd" in
${arms}
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$flags ${global}" -- "$cur"))
    return 0
  fi
  [ "$seen" = 1 ] && subs=""
  [ "$seen" = 1 ] && choices=""
  COMPREPLY=($(compgen -W "$subs $choices" -- "$cur"))
  if [ "$files" = 1 ]; then COMPREPLY+=($(compgen -f -- "$cur")); fi
  return 0
}
complete -o default -o bashdefault -F _baton baton
`;
}

function zshScript(info: ReturnType<typeof describe>): string {
  const entry = (e: Entry) => quote(`${e.word.replace(/:/g, "\\:")}:${e.description}`, "zsh");
  const arms = info.paths
    .map((p) => {
      const subs = [
        ...p.subcommands.map(entry),
        ...p.argumentChoices.map((c) => entry({ word: c, description: "" })),
      ];
      const flags = [...p.flags, ...info.global].map(entry);
      return `    ${quote(p.path, "zsh")}) subs=(${subs.join(" ")}); flags=(${flags.join(" ")}); files=${p.files ? 1 : 0} ;;`;
    })
    .join("\n");
  return `#compdef baton
# baton completion for zsh: baton completion zsh > "\${fpath[1]}/_baton" (then restart zsh)
${posixHelpers(info, "_baton")}
_baton() {
  local -a _baton_words subs flags
  local cmd seen files=0 prev=\${words[CURRENT-1]}
  # The walker reads words 1 .. N-1 after the command: zsh arrays start at 1, words[1] is baton.
  _baton_words=("\${(@)words[2,CURRENT-1]}")
  _baton_walk "$((CURRENT - 1))"
  if [[ $prev == -* && $prev != *=* ]] && _baton_takes_value "$cmd" "$prev"; then _files; return; fi
  case "$cmd" in
${arms}
  esac
  if [[ \${words[CURRENT]} == -* ]]; then
    _describe -t options 'option' flags
    return
  fi
  (( seen )) && subs=()
  (( \${#subs} )) && _describe -t commands 'command' subs
  (( files )) && _files
}
# Autoloaded from $fpath, this file is _baton's body: complete now. Sourced, register.
if [[ $funcstack[1] == _baton ]]; then _baton "$@"; else compdef _baton baton; fi
`;
}

function fishScript(info: ReturnType<typeof describe>): string {
  const q = (text: string) => quote(text, "fish");
  const subArms = info.paths
    .filter((p) => p.subcommands.length)
    .map(
      (p) =>
        `    case ${q(p.path)}\n        contains -- $argv[2] ${p.subcommands.map((s) => q(s.word)).join(" ")}`,
    )
    .join("\n");
  const valueArms = info.paths
    .filter((p) => p.valueFlags.length)
    .map((p) => `    case ${q(p.path)}\n        contains -- $argv[2] ${p.valueFlags.map(q).join(" ")}`)
    .join("\n");
  const option = (e: Entry, takes: boolean) => {
    const flag = e.word.startsWith("--") ? `-l ${q(e.word.slice(2))}` : `-s ${q(e.word.slice(1))}`;
    return `${flag}${takes ? " -r" : ""} -d ${q(e.description)}`;
  };
  const lines = [
    `# baton completion for fish: baton completion fish > ~/.config/fish/completions/baton.fish`,
    `function __baton_is_sub`,
    `    switch $argv[1]`,
    subArms,
    `    case '*'`,
    `        return 1`,
    `    end`,
    `end`,
    `function __baton_takes_value`,
    `    contains -- $argv[2] ${info.globalValueFlags.map(q).join(" ")}; and return 0`,
    `    switch $argv[1]`,
    valueArms,
    `    case '*'`,
    `        return 1`,
    `    end`,
    `end`,
    `function __baton_path`,
    `    set -l tokens (commandline -opc)`,
    `    set -e tokens[1]`,
    `    set -l cmd ''`,
    `    set -l skip 0`,
    `    set -l seen 0`,
    `    for w in $tokens`,
    `        if test $skip = 1`,
    `            set skip 0`,
    `            continue`,
    `        end`,
    `        switch $w`,
    `            case '--*=*'`,
    `            case '-*'`,
    `                __baton_takes_value "$cmd" $w; and set skip 1`,
    `            case '*'`,
    `                if test $seen = 0; and __baton_is_sub "$cmd" $w`,
    `                    set cmd (string trim -- "$cmd $w")`,
    `                else`,
    `                    set seen 1`,
    `                end`,
    `        end`,
    `    end`,
    `    echo $cmd`,
    `end`,
    `function __baton_at`,
    `    set -l here (__baton_path)`,
    `    test "$here" = "$argv[1]"`,
    `end`,
    `complete -c baton -e`,
    ...info.global.map((e) => `complete -c baton ${option(e, info.globalValueFlags.includes(e.word))}`),
  ];
  for (const p of info.paths) {
    const when = `-n ${q(`__baton_at ${q(p.path)}`)}`;
    if (!p.files) lines.push(`complete -c baton ${when} -f`);
    // -f would turn file names off for the path altogether: not where arguments may be files.
    const noFiles = p.files ? "" : " -f";
    for (const s of p.subcommands)
      lines.push(`complete -c baton ${when}${noFiles} -a ${q(s.word)} -d ${q(s.description)}`);
    for (const c of p.argumentChoices) lines.push(`complete -c baton ${when} -f -a ${q(c)}`);
    for (const f of p.flags)
      lines.push(`complete -c baton ${when} ${option(f, p.valueFlags.includes(f.word))}`);
  }
  return `${lines.join("\n")}\n`;
}

export function completionScript(root: Command, shell: Shell): string {
  const info = describe(root);
  if (shell === "bash") return bashScript(info);
  if (shell === "zsh") return zshScript(info);
  return fishScript(info);
}
