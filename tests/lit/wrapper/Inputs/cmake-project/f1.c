int f1(int x) { return x * 1 + (x > 3 ? 1 : -1); }
