# Benchmark (never used for training): comma-separated sales records (-F,): revenue by region and
# product, monthly totals, the largest order, a regex filter on the comment and a word count of the
# comments (split and tolower), reported with a user function and printf.
function money(x) { return sprintf("%.2f", x) }
NR > 1 {
    revenue = $5 * $6
    key = $3 SUBSEP $4
    sum[key] += revenue
    orders[key]++
    month[substr($2, 6, 2)] += revenue
    if (revenue > best) { best = revenue; best_id = $1 }
    if ($7 ~ /ref #[0-9]+/) refs++
    n = split(tolower($7), words, " ")
    for (i = 1; i <= n; i++) wc[words[i]]++
    if (length($7) > 40) long_comments++
}
END {
    for (k in sum) {
        split(k, parts, SUBSEP)
        printf "%s/%s %s over %d orders\n", parts[1], parts[2], money(sum[k]), orders[k]
    }
    for (m in month) print "month", m, money(month[m])
    for (w in wc) if (wc[w] > 5000) print w, wc[w]
    print "best", best_id, money(best), "refs", refs, "long", long_comments
}
