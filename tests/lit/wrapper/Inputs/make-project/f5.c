int f5(int x) { return x * 5 + (x > 3 ? 5 : -5); }
