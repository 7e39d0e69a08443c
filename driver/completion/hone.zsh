#compdef hone
# zsh completion for hone (driver/completion/hone.zsh, installed as /usr/share/zsh/vendor-completions/_hone,
# which Debian's zsh has on its fpath; with another zsh, put that folder on fpath before compinit).
#
# Like the bash completion (hone.bash), the words come from hone itself, so they never fall behind it:
# the commands with their summaries from `hone --help` (the command table), a command's options and
# subcommands from `hone <command> --help`, read once per shell and kept. After a word that is not a
# command, `hone gcc ...` is a compile, and file names are completed.

typeset -gA _hone_words_cache

# The commands under "Commands:" in hone's help, one "name:summary" per line (for _describe).
(( $+functions[_hone_command_list] )) ||
_hone_command_list() {
  "$1" --help 2>/dev/null | awk '
    /^Commands:/ { listing = 1; next }
    listing && /^  [a-z]/ { name = $1; sub(/^  [^ ]+ +/, ""); gsub(/:/, "\\:", name); print name ":" $0; next }
    listing && /^$/ { listing = 0 }'
}

# A command's options (every -x / --long word in its help) and subcommands (the first word of each line
# under a "Subcommands:" heading), one per line.
(( $+functions[_hone_command_words] )) ||
_hone_command_words() {
  local hone=$1 command=$2 help
  if (( ! ${+_hone_words_cache[$command]} )); then
    help=$("$hone" "$command" --help 2>/dev/null)
    _hone_words_cache[$command]="$(
      print -r -- "$help" | grep -oE -- '(^|[ ,[])--?[A-Za-z][-A-Za-z0-9_]*' | sed 's/^[ ,[]//'
      print -r -- "$help" | awk '/^Subcommands:/ { listing = 1; next } listing && /^  [a-z]/ { print $1 } listing && /^$/ { listing = 0 }'
    )"
  fi
  print -r -- "${_hone_words_cache[$command]}" | sort -u
}

_hone() {
  local hone=${words[1]}
  local -a hone_commands compilers command_words
  hone_commands=(${(f)"$(_hone_command_list "$hone")"})
  if (( CURRENT == 2 )); then
    local name
    # $commands: zsh's table of the programs on PATH.
    for name in cc c++ gcc g++ clang clang++ clang-19 clang++-19; do
      (( $+commands[$name] )) && compilers+=("$name")
    done
    _describe -t commands 'hone command' hone_commands
    (( ${#compilers} )) && compadd -J compilers -X 'compiler (launcher mode)' -a compilers
    compadd -J options -- --help --version
    return 0
  fi
  local command=${words[2]}
  if [[ $command == help ]] && (( CURRENT == 3 )); then
    _describe -t commands 'hone command' hone_commands
    return 0
  fi
  if (( ${hone_commands[(I)${command}:*]} )) && [[ $PREFIX == -* || $CURRENT -eq 3 ]]; then
    command_words=(${(f)"$(_hone_command_words "$hone" "$command")"})
    if (( ${#command_words} )); then
      compadd -J "$command" -X "hone $command" -a command_words
      return 0
    fi
  fi
  # A compile (`hone gcc -c a.c`) or a command's file argument: file names.
  _files
}

_hone "$@"
