# Training: web-server log lines (default field splitting): counts by status and method, bytes per path,
# regex matches and match()/substr() on the quoted user agent, sub() on query strings.
{
    status[$9]++
    method[substr($6, 2)]++
    path = $7
    if (sub(/\?.*$/, "", path)) queries++
    bytes[path] += $10
    hits[path]++
    if ($0 ~ /(bot|crawl|spider)\//) bots++
    if (match($0, /"[^"]*"$/)) {
        agent = substr($0, RSTART + 1, RLENGTH - 2)
        split(agent, parts, "/")
        agents[parts[1]]++
    }
    hour = substr($4, 14, 2) + 0
    per_hour[hour] += $10
}
END {
    for (s in status) printf "status %s %d\n", s, status[s]
    for (m in method) printf "method %s %d\n", m, method[m]
    for (p in bytes) printf "path %-20s %8d hits %12d bytes %10.1f avg\n", p, hits[p], bytes[p], bytes[p] / hits[p]
    for (a in agents) printf "agent %s %d\n", a, agents[a]
    for (h = 0; h < 24; h++) printf "hour %02d %d\n", h, per_hour[h]
    printf "queries %d bots %d lines %d\n", queries, bots, NR
}
