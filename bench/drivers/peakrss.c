/* Runs a command and reports its peak memory: peakrss FILE CMD [ARG...] runs CMD, waits for
   it with wait4 and writes its ru_maxrss (KiB) to FILE; exits with CMD's status (128 + signal
   if it was killed).

   Why a launcher: on Linux a child's ru_maxrss never drops below the footprint of the process
   that forked it (the address space it leaves at execve counts), so children started straight
   from the Python harness would all report at least the harness's ~20 MB. Forked from this
   small program, they report their own peak to within its ~1 MB. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s FILE CMD [ARG...]\n", argv[0]);
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 127; }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int status;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) < 0) { perror("wait4"); return 127; }
    FILE *f = fopen(argv[1], "w");
    if (f) {
        fprintf(f, "%ld\n", usage.ru_maxrss);
        fclose(f);
    }
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
