/* The sock_* calls on a real socket, handed in as stdin by run.py (a socketpair whose other
   end sent "ping"): receive, answer "pong", shut the writing side down. */
#include <stdio.h>
#include <wasi/api.h>

int main(void) {
    uint8_t buf[64];
    __wasi_iovec_t iv = {buf, sizeof buf};
    __wasi_size_t n = 0;
    __wasi_roflags_t ro = 0;
    __wasi_errno_t e = __wasi_sock_recv(0, &iv, 1, 0, &n, &ro);
    printf("recv: %u '%.*s'\n", e, (int)n, (const char *)buf);
    __wasi_ciovec_t cv = {(const uint8_t *)"pong", 4};
    e = __wasi_sock_send(0, &cv, 1, 0, &n);
    printf("send: %u, %d bytes\n", e, (int)n);
    printf("shutdown with no flags: %u\n", __wasi_sock_shutdown(0, 0));
    printf("shutdown wr: %u\n", __wasi_sock_shutdown(0, __WASI_SDFLAGS_WR));
    __wasi_fdstat_t st;
    (void)!__wasi_fd_fdstat_get(0, &st);
    printf("filetype %u, sock_shutdown right %d, seek right %d\n", st.fs_filetype,
           !!(st.fs_rights_base & __WASI_RIGHTS_SOCK_SHUTDOWN), !!(st.fs_rights_base & __WASI_RIGHTS_FD_SEEK));
    return 0;
}
