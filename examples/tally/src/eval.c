/* The tree-walking evaluator: one switch over node kinds, recursive for expressions and calls. This
 * is the hot path: which cases dominate depends entirely on the program being run, which is exactly
 * the knowledge a training profile gives the compiler. */
#include <stdlib.h>

#include "tally.h"

typedef struct {
  const Program* program;
  int returning;
  Value result;
  int depth;
} Interpreter;

static Value eval(Interpreter* in, const Node* node, Value* frame);

static Value call_function(Interpreter* in, const Node* call, Value* caller_frame) {
  const Function* function = &in->program->functions[call->slot];
  Value frame[64];
  for (int i = 0; i < call->count; ++i) frame[i] = eval(in, call->items[i], caller_frame);
  for (int i = call->count; i < function->locals; ++i) frame[i] = value_number(0);
  if (++in->depth > 100000) fatal("call stack too deep");
  eval(in, function->body, frame);
  in->depth--;
  in->returning = 0;
  Value result = in->result;
  in->result = value_number(0);
  return result;
}

static Value eval(Interpreter* in, const Node* node, Value* frame) {
  switch (node->kind) {
  case NODE_NUM:
    return value_number(node->number);
  case NODE_LOCAL:
    return frame[node->slot];
  case NODE_ASSIGN:
    frame[node->slot] = eval(in, node->a, frame);
    return frame[node->slot];
  case NODE_INDEX: {
    Value array = eval(in, node->a, frame);
    return value_index(array, value_to_number(eval(in, node->b, frame), 0));
  }
  case NODE_STORE: {
    Value array = eval(in, node->b, frame);
    int64_t index = value_to_number(eval(in, node->c, frame), 0);
    Value element = eval(in, node->a, frame);
    value_store(array, index, element);
    return element;
  }
  case NODE_BINARY:
    if (node->op == TOK_AND)
      return value_number(value_truthy(eval(in, node->a, frame)) && value_truthy(eval(in, node->b, frame)));
    if (node->op == TOK_OR)
      return value_number(value_truthy(eval(in, node->a, frame)) || value_truthy(eval(in, node->b, frame)));
    return value_binary(node->op, eval(in, node->a, frame), eval(in, node->b, frame));
  case NODE_NOT:
    return value_number(!value_truthy(eval(in, node->a, frame)));
  case NODE_NEG:
    return value_binary(TOK_MINUS, value_number(0), eval(in, node->a, frame));
  case NODE_CALL:
    return call_function(in, node, frame);
  case NODE_ARRAY:
    return value_array(value_to_number(eval(in, node->a, frame), 0));
  case NODE_LEN:
    return value_number(value_length(eval(in, node->a, frame)));
  case NODE_BLOCK:
    for (int i = 0; i < node->count && !in->returning; ++i) eval(in, node->items[i], frame);
    return value_number(0);
  case NODE_WHILE:
    while (!in->returning && value_truthy(eval(in, node->a, frame))) eval(in, node->b, frame);
    return value_number(0);
  case NODE_IF:
    if (value_truthy(eval(in, node->a, frame)))
      eval(in, node->b, frame);
    else if (node->c)
      eval(in, node->c, frame);
    return value_number(0);
  case NODE_PRINT:
    value_print(eval(in, node->a, frame));
    return value_number(0);
  case NODE_RETURN:
    in->result = eval(in, node->a, frame);
    in->returning = 1;
    return in->result;
  case NODE_EXPR:
    return eval(in, node->a, frame);
  }
  fatal("corrupt syntax tree");
  return value_number(0);
}

int64_t run_program(const Program* program) {
  Interpreter in = {program, 0, {0, 0, NULL}, 0};
  Node call = {0};
  call.kind = NODE_CALL;
  call.slot = program->main_index;
  Value result = call_function(&in, &call, NULL);
  return result.is_array ? 0 : result.number;
}
