# Run by clean-debian12.test with `zsh -f` in the clean Debian 12 where the .deb is installed: compinit
# finds hone's completion on zsh's own fpath, and _hone, called as the completion system would call it
# (with compadd, _describe and _files replaced by functions that print what they are given), offers hone's
# commands and a command's options.
autoload -U compinit
compinit -u -D
print -r -- "hone completes with: $_comps[hone] from" ${^fpath}/_hone(N)

_describe() { print -r -- "describe ${(j: | :)${(@P)4}}" }
compadd() {
  if (( ${@[(I)-a]} )); then
    print -r -- "compadd ${2}: ${(j: :)${(@P)${@[-1]}}}"
  else
    print -r -- "compadd ${2}: ${@[${@[(i)--]}+1,-1]}"
  fi
}
_files() { print -r -- "files" }

words=(hone ""); CURRENT=2; _hone
words=(hone bench ""); CURRENT=3; _hone
words=(hone gcc -c ""); CURRENT=4; _hone
