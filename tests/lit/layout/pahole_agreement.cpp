// Every figure must equal pahole's reading of the same structs in a -g object.
// REQUIRES: analyzers, pahole
// RUN: %clangxx -std=c++20 -g -c %s -o %t.o
// RUN: pahole -C Mixed %t.o | FileCheck %s --check-prefix=PAHOLE
// RUN: %hone layout %s --all -- -std=c++20 | FileCheck %s --check-prefix=HONE
//
// Real system headers (C, glibc and Linux UAPI: FILE, stat, sockaddr_*, addrinfo, pthread types,
// sigaction, termios, timex with its unnamed `int :32` padding, iphdr/tcphdr/tcp_info bit-fields...):
// for every struct both tools describe, sizeof, byte holes, tail padding, bit holes and tail bit
// padding agree. At least 90 structs must be compared, so the check cannot pass on nothing.
// RUN: printf '%%s\n' '#include <stdio.h>' '#include <time.h>' '#include <sys/stat.h>' '#include <sys/socket.h>' \
// RUN:   '#include <netinet/in.h>' '#include <netdb.h>' '#include <pthread.h>' '#include <dirent.h>' '#include <signal.h>' \
// RUN:   '#include <sys/resource.h>' '#include <sys/utsname.h>' '#include <termios.h>' '#include <locale.h>' \
// RUN:   '#include <pwd.h>' '#include <grp.h>' '#include <sys/time.h>' '#include <poll.h>' '#include <sys/uio.h>' \
// RUN:   '#include <sys/statvfs.h>' '#include <netinet/ip.h>' '#include <netinet/tcp.h>' '#include <sys/timex.h>' \
// RUN:   '#include <net/if.h>' '#include <netinet/ip_icmp.h>' > %t.system.c
// RUN: %clang -g -fno-eliminate-unused-debug-types -c %t.system.c -o %t.system.o
// RUN: pahole %t.system.o > %t.system.pahole
// RUN: %hone layout --all --system-headers --format json %t.system.c -- > %t.system.json
// RUN: %python %S/Inputs/compare_pahole.py %t.system.pahole %t.system.json 90 | FileCheck %s --check-prefix=SYSTEM
// SYSTEM-NOT: MISMATCH
// SYSTEM: compared {{[0-9]+}} structs ({{[0-9]+}} with holes), 0 mismatches

struct Mixed { char a; double b; short c; int d; char e; };
Mixed mixed;

// PAHOLE: char a; /* 0 1 */
// PAHOLE: XXX 7 bytes hole
// PAHOLE: double b; /* 8 8 */
// PAHOLE: short c; /* 16 2 */
// PAHOLE: XXX 2 bytes hole
// PAHOLE: int d; /* 20 4 */
// PAHOLE: char e; /* 24 1 */
// PAHOLE: size: 32, cachelines: 1, members: 5
// PAHOLE: sum members: 16, holes: 2, sum holes: 9
// PAHOLE: padding: 7

// HONE: struct 'Mixed' (32 bytes, 1 cache line) has 16 bytes of padding
// HONE: char a; /* 0 1 */
// HONE-NEXT: XXX 7 bytes hole
// HONE-NEXT: double b; /* 8 8 */
// HONE-NEXT: short c; /* 16 2 */
// HONE-NEXT: XXX 2 bytes hole
// HONE-NEXT: int d; /* 20 4 */
// HONE-NEXT: char e; /* 24 1 */
// HONE-NEXT: tail padding: 7 bytes
