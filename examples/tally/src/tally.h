/* tally: a small interpreter for a tiny integer language, the demo project of `hone pgo`.
 *
 * It is split the way real interpreters are (lexer, parser, evaluator, runtime values in separate
 * translation units) because that is what makes profile-guided and link-time optimization pay off:
 * the evaluator's big switch is branchy and its hot paths call small helpers that live in other
 * files, which only LTO can inline and only a profile tells the compiler which cases are hot. */
#ifndef TALLY_H
#define TALLY_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
  TOK_EOF, TOK_NUM, TOK_IDENT, TOK_LET, TOK_WHILE, TOK_IF, TOK_ELSE, TOK_PRINT, TOK_FN, TOK_RETURN,
  TOK_LPAREN, TOK_RPAREN, TOK_LBRACE, TOK_RBRACE, TOK_LBRACKET, TOK_RBRACKET, TOK_COMMA, TOK_SEMI,
  TOK_ASSIGN, TOK_PLUS, TOK_MINUS, TOK_STAR, TOK_SLASH, TOK_PERCENT, TOK_LT, TOK_LE, TOK_GT, TOK_GE,
  TOK_EQ, TOK_NE, TOK_AND, TOK_OR, TOK_NOT
} TokenKind;

typedef struct {
  TokenKind kind;
  int64_t number;
  const char* start;
  int length;
  int line;
} Token;

typedef struct {
  const char* cursor;
  int line;
  Token current;
} Lexer;

void lexer_init(Lexer* lexer, const char* source);
void lexer_next(Lexer* lexer);

typedef enum {
  NODE_NUM, NODE_LOCAL, NODE_ASSIGN, NODE_INDEX, NODE_STORE, NODE_BINARY, NODE_NOT, NODE_NEG,
  NODE_CALL, NODE_ARRAY, NODE_LEN, NODE_BLOCK, NODE_WHILE, NODE_IF, NODE_PRINT, NODE_RETURN, NODE_EXPR
} NodeKind;

typedef struct Node Node;
struct Node {
  NodeKind kind;
  int op;          /* TokenKind of a binary operator */
  int slot;        /* local variable slot, or function index for calls */
  int64_t number;
  Node* a;
  Node* b;
  Node* c;
  Node** items;    /* block statements or call arguments */
  int count;
};

typedef struct {
  char name[32];
  int params;
  int locals;
  Node* body;
} Function;

typedef struct {
  Function* functions;
  int function_count;
  int main_index;
} Program;

/* Parses a whole program; on a syntax error prints "file:line: error" and exits with status 2. */
Program* parse_program(const char* source, const char* file_name);

/* Runtime values: integers and reference-counted integer arrays, tagged. */
typedef struct Array Array;
typedef struct {
  int is_array;
  int64_t number;
  Array* array;
} Value;

Value value_number(int64_t number);
Value value_array(int64_t length);
int64_t value_to_number(Value value, int line_hint);
Value value_index(Value array, int64_t index);
void value_store(Value array, int64_t index, Value element);
int64_t value_length(Value value);
Value value_binary(int op, Value left, Value right);
void value_print(Value value);
int value_truthy(Value value);

/* Runs `main` of the program; returns its result. */
int64_t run_program(const Program* program);

void fatal(const char* message);

#endif
