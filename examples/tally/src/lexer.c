/* The tokenizer: turns source text into tokens one at a time, on demand of the parser. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally.h"

static const struct {
  const char* word;
  TokenKind kind;
} k_keywords[] = {{"let", TOK_LET},     {"while", TOK_WHILE}, {"if", TOK_IF},
                  {"else", TOK_ELSE},   {"print", TOK_PRINT}, {"fn", TOK_FN},
                  {"return", TOK_RETURN}};

void lexer_init(Lexer* lexer, const char* source) {
  lexer->cursor = source;
  lexer->line = 1;
  lexer_next(lexer);
}

static void skip_space_and_comments(Lexer* lexer) {
  for (;;) {
    char c = *lexer->cursor;
    if (c == '\n') {
      lexer->line++;
      lexer->cursor++;
    } else if (isspace((unsigned char)c)) {
      lexer->cursor++;
    } else if (c == '#') {
      while (*lexer->cursor && *lexer->cursor != '\n') lexer->cursor++;
    } else {
      return;
    }
  }
}

static TokenKind two_char(Lexer* lexer, char second, TokenKind both, TokenKind single) {
  if (lexer->cursor[1] == second) {
    lexer->cursor += 2;
    return both;
  }
  lexer->cursor += 1;
  return single;
}

void lexer_next(Lexer* lexer) {
  skip_space_and_comments(lexer);
  Token* token = &lexer->current;
  token->start = lexer->cursor;
  token->line = lexer->line;
  char c = *lexer->cursor;
  if (c == '\0') {
    token->kind = TOK_EOF;
  } else if (isdigit((unsigned char)c)) {
    int64_t number = 0;
    while (isdigit((unsigned char)*lexer->cursor)) number = number * 10 + (*lexer->cursor++ - '0');
    token->kind = TOK_NUM;
    token->number = number;
  } else if (isalpha((unsigned char)c) || c == '_') {
    while (isalnum((unsigned char)*lexer->cursor) || *lexer->cursor == '_') lexer->cursor++;
    token->kind = TOK_IDENT;
    size_t length = (size_t)(lexer->cursor - token->start);
    for (size_t i = 0; i < sizeof(k_keywords) / sizeof(k_keywords[0]); ++i) {
      if (strlen(k_keywords[i].word) == length && memcmp(k_keywords[i].word, token->start, length) == 0)
        token->kind = k_keywords[i].kind;
    }
  } else {
    switch (c) {
    case '(': token->kind = TOK_LPAREN; lexer->cursor++; break;
    case ')': token->kind = TOK_RPAREN; lexer->cursor++; break;
    case '{': token->kind = TOK_LBRACE; lexer->cursor++; break;
    case '}': token->kind = TOK_RBRACE; lexer->cursor++; break;
    case '[': token->kind = TOK_LBRACKET; lexer->cursor++; break;
    case ']': token->kind = TOK_RBRACKET; lexer->cursor++; break;
    case ',': token->kind = TOK_COMMA; lexer->cursor++; break;
    case ';': token->kind = TOK_SEMI; lexer->cursor++; break;
    case '+': token->kind = TOK_PLUS; lexer->cursor++; break;
    case '-': token->kind = TOK_MINUS; lexer->cursor++; break;
    case '*': token->kind = TOK_STAR; lexer->cursor++; break;
    case '/': token->kind = TOK_SLASH; lexer->cursor++; break;
    case '%': token->kind = TOK_PERCENT; lexer->cursor++; break;
    case '<': token->kind = two_char(lexer, '=', TOK_LE, TOK_LT); break;
    case '>': token->kind = two_char(lexer, '=', TOK_GE, TOK_GT); break;
    case '=': token->kind = two_char(lexer, '=', TOK_EQ, TOK_ASSIGN); break;
    case '!': token->kind = two_char(lexer, '=', TOK_NE, TOK_NOT); break;
    case '&': token->kind = two_char(lexer, '&', TOK_AND, TOK_AND); break;
    case '|': token->kind = two_char(lexer, '|', TOK_OR, TOK_OR); break;
    default:
      fprintf(stderr, "tally: line %d: unexpected character '%c'\n", lexer->line, c);
      exit(2);
    }
  }
  token->length = (int)(lexer->cursor - token->start);
}
