# bash completion for hone (installed as /usr/share/bash-completion/completions/hone).
#
# The words come from hone itself, so they never fall behind it: the commands from `hone --help` (the
# command table), a command's options and subcommands from `hone <command> --help` (read once per shell
# and kept). After a word that is not a command, `hone gcc ...` is a compile, and the usual file-name
# completion applies.

declare -gA _hone_words_cache=()

# The commands hone lists under "Commands:" in its help.
_hone_commands() {
  "${1:-hone}" --help 2>/dev/null | awk '/^Commands:/ { listing = 1; next } listing && /^  [a-z]/ { print $1 } listing && /^$/ { listing = 0 }'
}

# A command's options (every -x / --long word in its help) and subcommands (the first word of each line
# under a "Subcommands:" heading).
_hone_command_words() {
  local hone=$1 command=$2
  if [[ -z ${_hone_words_cache[$command]+set} ]]; then
    local help
    help=$("$hone" "$command" --help 2>/dev/null)
    _hone_words_cache[$command]="$(
      printf '%s\n' "$help" | grep -oE -- '(^|[ ,[])--?[A-Za-z][-A-Za-z0-9_]*' | sed 's/^[ ,[]//'
      printf '%s\n' "$help" | awk '/^Subcommands:/ { listing = 1; next } listing && /^  [a-z]/ { print $1 } listing && /^$/ { listing = 0 }'
    )"
  fi
  printf '%s\n' "${_hone_words_cache[$command]}" | sort -u
}

_hone() {
  local current=${COMP_WORDS[COMP_CWORD]} hone=${COMP_WORDS[0]}
  if ((COMP_CWORD == 1)); then
    local compilers="" name
    for name in cc c++ gcc g++ clang clang++ clang-19 clang++-19; do
      command -v "$name" >/dev/null 2>&1 && compilers+=" $name"
    done
    mapfile -t COMPREPLY < <(compgen -W "$(_hone_commands "$hone") --help --version$compilers" -- "$current")
    return
  fi
  local command=${COMP_WORDS[1]}
  if [[ $command == help ]] && ((COMP_CWORD == 2)); then
    mapfile -t COMPREPLY < <(compgen -W "$(_hone_commands "$hone")" -- "$current")
    return
  fi
  if _hone_commands "$hone" | grep -qx -- "$command" && [[ $current == -* || $COMP_CWORD -eq 2 ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_hone_command_words "$hone" "$command")" -- "$current")
    ((${#COMPREPLY[@]} > 0)) && return
  fi
  # A compile (`hone gcc -c a.c`) or a command's file argument: file names.
  mapfile -t COMPREPLY < <(compgen -f -- "$current")
}
complete -o filenames -o bashdefault -F _hone hone
