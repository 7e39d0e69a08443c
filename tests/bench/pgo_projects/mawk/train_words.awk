# Training: prose, one sentence pair a line: word frequencies (tolower, gsub of punctuation), word-length
# histogram, the longest line, index() and toupper() on the first word of each sentence.
{
    line = tolower($0)
    gsub(/[.,]/, "", line)
    n = split(line, words, " ")
    for (i = 1; i <= n; i++) {
        freq[words[i]]++
        lengths[length(words[i])]++
    }
    if (length($0) > longest) { longest = length($0); longest_line = NR }
    if (index($0, ", ") > 0) commas++
    first[toupper(substr($1, 1, 1))]++
    total += n
}
END {
    for (w in freq) if (freq[w] > total / 200) printf "%s %d\n", w, freq[w]
    for (l in lengths) printf "length %d: %d\n", l, lengths[l]
    for (c in first) printf "initial %s %d\n", c, first[c]
    printf "words %d lines %d commas %d longest %d at %d\n", total, NR, commas, longest, longest_line
}
