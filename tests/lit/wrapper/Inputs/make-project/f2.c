int f2(int x) { return x * 2 + (x > 3 ? 2 : -2); }
