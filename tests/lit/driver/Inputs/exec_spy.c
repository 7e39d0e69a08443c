/* A tiny LD_PRELOAD library in the manner of Bear's: it records every execvp/execve/execv a process
 * makes (program and first argument) in the file $EXEC_SPY_LOG, then does the real call. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void record(const char* how, const char* program, char* const argv[]) {
  const char* log = getenv("EXEC_SPY_LOG");
  if (!log) return;
  char line[4096];
  int length = snprintf(line, sizeof line, "%s %s %s\n", how, program, argv && argv[0] && argv[1] ? argv[1] : "");
  int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) return;
  if (write(fd, line, (size_t)length) < 0) { /* nothing to do: the spy must not change the program */ }
  close(fd);
}

int execvp(const char* file, char* const argv[]) {
  record("execvp", file, argv);
  int (*real)(const char*, char* const[]) = (int (*)(const char*, char* const[]))dlsym(RTLD_NEXT, "execvp");
  return real(file, argv);
}

int execve(const char* path, char* const argv[], char* const envp[]) {
  record("execve", path, argv);
  int (*real)(const char*, char* const[], char* const[]) =
      (int (*)(const char*, char* const[], char* const[]))dlsym(RTLD_NEXT, "execve");
  return real(path, argv, envp);
}

int execv(const char* path, char* const argv[]) {
  record("execv", path, argv);
  int (*real)(const char*, char* const[]) = (int (*)(const char*, char* const[]))dlsym(RTLD_NEXT, "execv");
  return real(path, argv);
}
