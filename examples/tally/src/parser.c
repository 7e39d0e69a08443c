/* Recursive-descent parser: tokens to an AST. Local variables are resolved to slots here, once, so
 * the evaluator indexes a frame instead of searching names; calls are resolved to function indexes
 * after the whole program is read, so functions may be used before they are defined. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally.h"

typedef struct {
  Lexer lexer;
  const char* file_name;
  Program* program;
  char locals[64][32];
  int local_count;
  /* Calls seen before their callee was defined, patched at the end. */
  struct {
    Node* node;
    char name[32];
    int line;
  } pending[1024];
  int pending_count;
} Parser;

static void syntax_error(Parser* parser, const char* what) {
  fprintf(stderr, "%s:%d: error: %s\n", parser->file_name, parser->lexer.current.line, what);
  exit(2);
}

static Node* new_node(NodeKind kind) {
  Node* node = calloc(1, sizeof(Node));
  if (!node) fatal("out of memory");
  node->kind = kind;
  return node;
}

static void expect(Parser* parser, TokenKind kind, const char* what) {
  if (parser->lexer.current.kind != kind) syntax_error(parser, what);
  lexer_next(&parser->lexer);
}

static void copy_name(char out[32], const Token* token) {
  int length = token->length < 31 ? token->length : 31;
  memcpy(out, token->start, (size_t)length);
  out[length] = '\0';
}

static int find_local(Parser* parser, const char* name) {
  for (int i = 0; i < parser->local_count; ++i)
    if (strcmp(parser->locals[i], name) == 0) return i;
  return -1;
}

static int add_local(Parser* parser, const char* name) {
  if (parser->local_count == 64) syntax_error(parser, "more than 64 locals in one function");
  strcpy(parser->locals[parser->local_count], name);
  return parser->local_count++;
}

static void push_item(Node* list, Node* item) {
  list->items = realloc(list->items, sizeof(Node*) * (size_t)(list->count + 1));
  if (!list->items) fatal("out of memory");
  list->items[list->count++] = item;
}

static Node* parse_expression(Parser* parser);

static Node* parse_primary(Parser* parser) {
  Token token = parser->lexer.current;
  if (token.kind == TOK_NUM) {
    lexer_next(&parser->lexer);
    Node* node = new_node(NODE_NUM);
    node->number = token.number;
    return node;
  }
  if (token.kind == TOK_LPAREN) {
    lexer_next(&parser->lexer);
    Node* inner = parse_expression(parser);
    expect(parser, TOK_RPAREN, "expected ')'");
    return inner;
  }
  if (token.kind != TOK_IDENT) syntax_error(parser, "expected an expression");
  char name[32];
  copy_name(name, &token);
  lexer_next(&parser->lexer);
  if (parser->lexer.current.kind == TOK_LPAREN) {
    lexer_next(&parser->lexer);
    Node* call = new_node(NODE_CALL);
    while (parser->lexer.current.kind != TOK_RPAREN) {
      push_item(call, parse_expression(parser));
      if (parser->lexer.current.kind != TOK_COMMA) break;
      lexer_next(&parser->lexer);
    }
    expect(parser, TOK_RPAREN, "expected ')' after arguments");
    if (strcmp(name, "array") == 0 || strcmp(name, "len") == 0) {
      if (call->count != 1) syntax_error(parser, "array() and len() take one argument");
      call->kind = strcmp(name, "array") == 0 ? NODE_ARRAY : NODE_LEN;
      call->a = call->items[0];
      return call;
    }
    if (parser->pending_count == 1024) syntax_error(parser, "too many calls");
    parser->pending[parser->pending_count].node = call;
    strcpy(parser->pending[parser->pending_count].name, name);
    parser->pending[parser->pending_count].line = token.line;
    parser->pending_count++;
    return call;
  }
  int slot = find_local(parser, name);
  if (slot < 0) syntax_error(parser, "unknown variable");
  Node* local = new_node(NODE_LOCAL);
  local->slot = slot;
  while (parser->lexer.current.kind == TOK_LBRACKET) {
    lexer_next(&parser->lexer);
    Node* index = new_node(NODE_INDEX);
    index->a = local;
    index->b = parse_expression(parser);
    expect(parser, TOK_RBRACKET, "expected ']'");
    local = index;
  }
  return local;
}

static Node* parse_unary(Parser* parser) {
  TokenKind kind = parser->lexer.current.kind;
  if (kind == TOK_MINUS || kind == TOK_NOT) {
    lexer_next(&parser->lexer);
    Node* node = new_node(kind == TOK_MINUS ? NODE_NEG : NODE_NOT);
    node->a = parse_unary(parser);
    return node;
  }
  return parse_primary(parser);
}

static int precedence(TokenKind kind) {
  switch (kind) {
  case TOK_OR: return 1;
  case TOK_AND: return 2;
  case TOK_EQ: case TOK_NE: return 3;
  case TOK_LT: case TOK_LE: case TOK_GT: case TOK_GE: return 4;
  case TOK_PLUS: case TOK_MINUS: return 5;
  case TOK_STAR: case TOK_SLASH: case TOK_PERCENT: return 6;
  default: return 0;
  }
}

static Node* parse_binary(Parser* parser, int min_precedence) {
  Node* left = parse_unary(parser);
  for (;;) {
    TokenKind op = parser->lexer.current.kind;
    int prec = precedence(op);
    if (prec == 0 || prec < min_precedence) return left;
    lexer_next(&parser->lexer);
    Node* node = new_node(NODE_BINARY);
    node->op = op;
    node->a = left;
    node->b = parse_binary(parser, prec + 1);
    left = node;
  }
}

static Node* parse_expression(Parser* parser) { return parse_binary(parser, 1); }

static Node* parse_block(Parser* parser);

static Node* parse_statement(Parser* parser) {
  Token token = parser->lexer.current;
  Node* node;
  switch (token.kind) {
  case TOK_LET: {
    lexer_next(&parser->lexer);
    if (parser->lexer.current.kind != TOK_IDENT) syntax_error(parser, "expected a name after 'let'");
    char name[32];
    copy_name(name, &parser->lexer.current);
    lexer_next(&parser->lexer);
    expect(parser, TOK_ASSIGN, "expected '=' in 'let'");
    node = new_node(NODE_ASSIGN);
    node->a = parse_expression(parser);
    node->slot = find_local(parser, name) >= 0 ? find_local(parser, name) : add_local(parser, name);
    expect(parser, TOK_SEMI, "expected ';'");
    return node;
  }
  case TOK_WHILE:
  case TOK_IF:
    lexer_next(&parser->lexer);
    node = new_node(token.kind == TOK_WHILE ? NODE_WHILE : NODE_IF);
    expect(parser, TOK_LPAREN, "expected '('");
    node->a = parse_expression(parser);
    expect(parser, TOK_RPAREN, "expected ')'");
    node->b = parse_block(parser);
    if (token.kind == TOK_IF && parser->lexer.current.kind == TOK_ELSE) {
      lexer_next(&parser->lexer);
      node->c = parser->lexer.current.kind == TOK_IF ? parse_statement(parser) : parse_block(parser);
    }
    return node;
  case TOK_PRINT:
  case TOK_RETURN:
    lexer_next(&parser->lexer);
    node = new_node(token.kind == TOK_PRINT ? NODE_PRINT : NODE_RETURN);
    node->a = parse_expression(parser);
    expect(parser, TOK_SEMI, "expected ';'");
    return node;
  default: {
    Node* target = parse_expression(parser);
    if (parser->lexer.current.kind == TOK_ASSIGN) {
      lexer_next(&parser->lexer);
      if (target->kind == NODE_LOCAL) {
        node = new_node(NODE_ASSIGN);
        node->slot = target->slot;
      } else if (target->kind == NODE_INDEX) {
        node = new_node(NODE_STORE);
        node->b = target->a;
        node->c = target->b;
      } else {
        syntax_error(parser, "cannot assign to this expression");
      }
      node->a = parse_expression(parser);
    } else {
      node = new_node(NODE_EXPR);
      node->a = target;
    }
    expect(parser, TOK_SEMI, "expected ';'");
    return node;
  }
  }
}

static Node* parse_block(Parser* parser) {
  expect(parser, TOK_LBRACE, "expected '{'");
  Node* block = new_node(NODE_BLOCK);
  while (parser->lexer.current.kind != TOK_RBRACE) {
    if (parser->lexer.current.kind == TOK_EOF) syntax_error(parser, "unterminated block");
    push_item(block, parse_statement(parser));
  }
  lexer_next(&parser->lexer);
  return block;
}

static void parse_function(Parser* parser) {
  expect(parser, TOK_FN, "expected 'fn'");
  if (parser->lexer.current.kind != TOK_IDENT) syntax_error(parser, "expected a function name");
  Program* program = parser->program;
  program->functions = realloc(program->functions, sizeof(Function) * (size_t)(program->function_count + 1));
  if (!program->functions) fatal("out of memory");
  Function* function = &program->functions[program->function_count];
  memset(function, 0, sizeof(*function));
  copy_name(function->name, &parser->lexer.current);
  lexer_next(&parser->lexer);
  parser->local_count = 0;
  expect(parser, TOK_LPAREN, "expected '('");
  while (parser->lexer.current.kind == TOK_IDENT) {
    char name[32];
    copy_name(name, &parser->lexer.current);
    add_local(parser, name);
    function->params++;
    lexer_next(&parser->lexer);
    if (parser->lexer.current.kind != TOK_COMMA) break;
    lexer_next(&parser->lexer);
  }
  expect(parser, TOK_RPAREN, "expected ')'");
  Node* body = parse_block(parser);
  function = &program->functions[program->function_count];
  function->body = body;
  function->locals = parser->local_count;
  program->function_count++;
}

Program* parse_program(const char* source, const char* file_name) {
  Parser* parser = calloc(1, sizeof(Parser));
  Program* program = calloc(1, sizeof(Program));
  if (!parser || !program) fatal("out of memory");
  parser->file_name = file_name;
  parser->program = program;
  lexer_init(&parser->lexer, source);
  while (parser->lexer.current.kind != TOK_EOF) parse_function(parser);
  program->main_index = -1;
  for (int i = 0; i < program->function_count; ++i)
    if (strcmp(program->functions[i].name, "main") == 0) program->main_index = i;
  if (program->main_index < 0) {
    fprintf(stderr, "%s: error: no 'fn main()'\n", file_name);
    exit(2);
  }
  for (int p = 0; p < parser->pending_count; ++p) {
    int found = -1;
    for (int i = 0; i < program->function_count; ++i)
      if (strcmp(program->functions[i].name, parser->pending[p].name) == 0) found = i;
    if (found < 0 || program->functions[found].params != parser->pending[p].node->count) {
      fprintf(stderr, "%s:%d: error: no function '%s' with %d arguments\n", file_name,
              parser->pending[p].line, parser->pending[p].name, parser->pending[p].node->count);
      exit(2);
    }
    parser->pending[p].node->slot = found;
  }
  free(parser);
  return program;
}
