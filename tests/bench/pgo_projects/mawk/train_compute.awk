# Training, no input: arithmetic in loops, recursion, string building with sprintf and substr, arrays
# with numeric keys, an insertion sort and split() of built strings.
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) }
function gcd(a, b) { while (b) { t = b; b = a % b; a = t } return a }
BEGIN {
    print fib(24)
    for (i = 2; i < 100000; i++) sieve[i] = 1
    for (i = 2; i * i < 100000; i++) if (sieve[i]) for (j = i * i; j < 100000; j += i) delete sieve[j]
    count = 0
    for (i in sieve) count++
    print "primes", count
    for (i = 1; i <= 150000; i++) g += gcd(i, 360360)
    print "gcd sum", g
    s = ""
    for (i = 1; i <= 5000; i++) s = s sprintf("%05d;", (i * 7919) % 100000)
    n = split(s, parts, ";")
    for (i = 1; i <= 1500; i++) {
        v = parts[i] + 0
        for (j = i - 1; j >= 1 && sorted[j] > v; j--) sorted[j + 1] = sorted[j]
        sorted[j + 1] = v
    }
    print "split", n, "sorted", sorted[1], sorted[750], sorted[1500]
    x = 0
    for (i = 1; i <= 200000; i++) x += sin(i) * cos(i / 3) + int(sqrt(i))
    printf "x %.3f\n", x
}
