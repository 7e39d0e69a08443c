/* Runtime values and their operations. Kept in their own file on purpose: every arithmetic or array
 * operation of the evaluator is a cross-file call here, which is what LTO can inline. */
#include <stdio.h>
#include <stdlib.h>

#include "tally.h"

struct Array {
  int64_t length;
  int64_t elements[];
};

Value value_number(int64_t number) {
  Value value = {0, number, NULL};
  return value;
}

Value value_array(int64_t length) {
  if (length < 0 || length > (1 << 26)) fatal("array length out of range");
  Array* array = calloc(1, sizeof(Array) + sizeof(int64_t) * (size_t)length);
  if (!array) fatal("out of memory");
  array->length = length;
  Value value = {1, 0, array};
  return value;
}

int64_t value_to_number(Value value, int line_hint) {
  (void)line_hint;
  if (value.is_array) fatal("expected a number, got an array");
  return value.number;
}

Value value_index(Value array, int64_t index) {
  if (!array.is_array) fatal("indexing a number");
  if (index < 0 || index >= array.array->length) fatal("array index out of range");
  return value_number(array.array->elements[index]);
}

void value_store(Value array, int64_t index, Value element) {
  if (!array.is_array) fatal("indexing a number");
  if (index < 0 || index >= array.array->length) fatal("array index out of range");
  array.array->elements[index] = value_to_number(element, 0);
}

int64_t value_length(Value value) {
  if (!value.is_array) fatal("len() of a number");
  return value.array->length;
}

Value value_binary(int op, Value left, Value right) {
  int64_t a = value_to_number(left, 0);
  int64_t b = value_to_number(right, 0);
  switch (op) {
  case TOK_PLUS: return value_number((int64_t)((uint64_t)a + (uint64_t)b));
  case TOK_MINUS: return value_number((int64_t)((uint64_t)a - (uint64_t)b));
  case TOK_STAR: return value_number((int64_t)((uint64_t)a * (uint64_t)b));
  case TOK_SLASH:
    if (b == 0) fatal("division by zero");
    return value_number(a / b);
  case TOK_PERCENT:
    if (b == 0) fatal("division by zero");
    return value_number(a % b);
  case TOK_LT: return value_number(a < b);
  case TOK_LE: return value_number(a <= b);
  case TOK_GT: return value_number(a > b);
  case TOK_GE: return value_number(a >= b);
  case TOK_EQ: return value_number(a == b);
  case TOK_NE: return value_number(a != b);
  default: fatal("unknown operator"); return value_number(0);
  }
}

int value_truthy(Value value) { return value.is_array || value.number != 0; }

void value_print(Value value) {
  if (!value.is_array) {
    printf("%lld\n", (long long)value.number);
    return;
  }
  printf("[");
  for (int64_t i = 0; i < value.array->length; ++i)
    printf(i ? ", %lld" : "%lld", (long long)value.array->elements[i]);
  printf("]\n");
}

void fatal(const char* message) {
  fprintf(stderr, "tally: runtime error: %s\n", message);
  exit(3);
}
