int f6(int x) { return x * 6 + (x > 3 ? 6 : -6); }
