/* Preview1 behaviours pinned by the official wasi-testsuite (issue 17), on raw WASI calls, so
   a regression shows without the suite: the rights model, trailing slashes, fd_seek/fd_tell
   on a directory, contradictory fstflags, absolute symlink targets, path_link's follow flag
   and the socket calls on descriptors that are not sockets. One line per check, each naming
   the WASI errno it got; run.py compares the whole output. Expects the pre-open as fd 3 and
   stdout to be a pipe. */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define R(name) __WASI_RIGHTS_##name

static const char *en(__wasi_errno_t e) {
    switch (e) {
    case 0: return "ok";
    case __WASI_ERRNO_BADF: return "EBADF";
    case __WASI_ERRNO_EXIST: return "EEXIST";
    case __WASI_ERRNO_INVAL: return "EINVAL";
    case __WASI_ERRNO_ISDIR: return "EISDIR";
    case __WASI_ERRNO_NOENT: return "ENOENT";
    case __WASI_ERRNO_NOTDIR: return "ENOTDIR";
    case __WASI_ERRNO_NOTSOCK: return "ENOTSOCK";
    case __WASI_ERRNO_PERM: return "EPERM";
    case __WASI_ERRNO_NOTCAPABLE: return "ENOTCAPABLE";
    case __WASI_ERRNO_NOSYS: return "ENOSYS";
    default: { static char b[16]; snprintf(b, sizeof b, "errno %u", e); return b; }
    }
}

static void show(const char *what, __wasi_errno_t e) { printf("%s: %s\n", what, en(e)); }

static __wasi_fdstat_t stat_of(__wasi_fd_t fd) {
    __wasi_fdstat_t st;
    memset(&st, 0, sizeof st);
    if (__wasi_fd_fdstat_get(fd, &st) != 0) printf("fdstat of %u failed\n", fd);
    return st;
}

static __wasi_fd_t open_at(__wasi_fd_t dir, const char *path, __wasi_oflags_t oflags, __wasi_rights_t base,
                           __wasi_rights_t inheriting, __wasi_errno_t *err) {
    __wasi_fd_t fd = (__wasi_fd_t)-1;
    *err = __wasi_path_open(dir, 0, path, oflags, base, inheriting, 0, &fd);
    return fd;
}

static __wasi_errno_t write1(__wasi_fd_t fd) {
    __wasi_ciovec_t v = {(const uint8_t *)"x", 1};
    __wasi_size_t n;
    return __wasi_fd_write(fd, &v, 1, &n);
}

static __wasi_errno_t read1(__wasi_fd_t fd) {
    uint8_t c;
    __wasi_iovec_t v = {&c, 1};
    __wasi_size_t n;
    return __wasi_fd_read(fd, &v, 1, &n);
}

int main(void) {
    const __wasi_fd_t pre = 3;
    __wasi_errno_t e;

    /* The pre-open: every directory right, directory and file rights to hand on; none of the
       rights a directory cannot use. */
    __wasi_fdstat_t ps = stat_of(pre);
    printf("preopen base 0x%llx inheriting 0x%llx\n", (unsigned long long)ps.fs_rights_base,
           (unsigned long long)ps.fs_rights_inheriting);
    printf("preopen holds fd_filestat_set_size: %d\n", !!(ps.fs_rights_base & R(FD_FILESTAT_SET_SIZE)));

    /* A scratch directory, opened the way wasi-libc opens directories. */
    show("mkdir p1", __wasi_path_create_directory(pre, "p1"));
    /* Asking for fd_write on a directory is EISDIR (as wasmtime; wasi-libc never does). */
    open_at(pre, "p1", __WASI_OFLAGS_DIRECTORY, ps.fs_rights_inheriting, ps.fs_rights_inheriting, &e);
    show("open p1 with fd_write", e);
    __wasi_fd_t dir = open_at(pre, "p1", __WASI_OFLAGS_DIRECTORY, ps.fs_rights_inheriting & ~R(FD_WRITE),
                              ps.fs_rights_inheriting, &e);
    show("open p1", e);
    __wasi_fdstat_t ds = stat_of(dir);
    printf("p1 base 0x%llx inheriting 0x%llx (asked for all the pre-open hands on but fd_write)\n",
           (unsigned long long)ds.fs_rights_base, (unsigned long long)ds.fs_rights_inheriting);

    /* Read-only and write-only opens hold only their own right, and it is enforced. */
    __wasi_fd_t f = open_at(dir, "f", __WASI_OFLAGS_CREAT, R(FD_READ), 0, &e);
    show("create f read-only", e);
    __wasi_fdstat_t fs = stat_of(f);
    printf("read-only base 0x%llx\n", (unsigned long long)fs.fs_rights_base);
    show("fd_write on read-only", write1(f));
    show("fd_read on read-only", read1(f));
    /* A file is not a directory: ENOTDIR before any missing right. */
    open_at(f, "x", 0, 0, 0, &e);
    show("path_open through a file", e);
    uint8_t dbuf[64];
    __wasi_size_t used;
    show("fd_readdir on a file", __wasi_fd_readdir(f, dbuf, sizeof dbuf, 0, &used));
    (void)!__wasi_fd_close(f);
    f = open_at(dir, "f", 0, R(FD_WRITE), 0, &e);
    printf("write-only base 0x%llx\n", (unsigned long long)stat_of(f).fs_rights_base);
    show("fd_read on write-only", read1(f));
    show("fd_write on write-only", write1(f));
    (void)!__wasi_fd_close(f);

    /* fd_fdstat_set_rights narrows, and never widens. */
    f = open_at(dir, "f", 0, R(FD_READ) | R(FD_WRITE) | R(FD_SEEK) | R(FD_TELL), 0, &e);
    show("drop fd_write", __wasi_fd_fdstat_set_rights(f, R(FD_READ) | R(FD_SEEK) | R(FD_TELL), 0));
    show("fd_write after dropping it", write1(f));
    show("fd_read kept", read1(f));
    __wasi_filesize_t pos;
    show("fd_seek kept", __wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos));
    show("give fd_write back", __wasi_fd_fdstat_set_rights(f, R(FD_READ) | R(FD_WRITE), 0));
    show("drop fd_seek, keep fd_tell", __wasi_fd_fdstat_set_rights(f, R(FD_READ) | R(FD_TELL), 0));
    show("fd_seek(cur, 0) with fd_tell", __wasi_fd_seek(f, 0, __WASI_WHENCE_CUR, &pos));
    show("fd_seek(set, 0) without fd_seek", __wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos));
    (void)!__wasi_fd_close(f);

    /* Inheritance: a directory without fd_write to hand on gives files without it, however
       they are asked for; without path_filestat_set_size it cannot truncate, without
       path_create_file it cannot create, without path_unlink_file it cannot unlink. */
    __wasi_fd_t ro = open_at(pre, "p1", __WASI_OFLAGS_DIRECTORY, R(PATH_OPEN) | R(FD_READDIR),
                             R(FD_READ) | R(FD_SEEK), &e);
    show("open p1 with few rights", e);
    f = open_at(ro, "f", 0, R(FD_READ) | R(FD_WRITE), 0, &e);
    printf("file through it: %s, base 0x%llx\n", en(e), (unsigned long long)stat_of(f).fs_rights_base);
    show("fd_write on it", write1(f));
    (void)!__wasi_fd_close(f);
    open_at(ro, "f", __WASI_OFLAGS_TRUNC, R(FD_READ), 0, &e);
    show("truncate without path_filestat_set_size", e);
    open_at(ro, "g", __WASI_OFLAGS_CREAT, R(FD_READ), 0, &e);
    show("create without path_create_file", e);
    show("unlink without path_unlink_file", __wasi_path_unlink_file(ro, "f"));
    show("mkdir without path_create_directory", __wasi_path_create_directory(ro, "d"));
    (void)!__wasi_fd_close(ro);

    /* Directories: no seek, tell, size or write rights; fd_seek and fd_tell refuse; opening
       one for writing is EISDIR. */
    __wasi_fd_t sub = open_at(dir, ".", __WASI_OFLAGS_DIRECTORY, R(FD_SEEK) | R(FD_TELL) | R(FD_READDIR), 0, &e);
    printf("directory asked for seek: %s, base 0x%llx\n", en(e), (unsigned long long)stat_of(sub).fs_rights_base);
    show("fd_seek on a directory", __wasi_fd_seek(dir, 0, __WASI_WHENCE_CUR, &pos));
    show("fd_tell on a directory", __wasi_fd_tell(dir, &pos));
    show("fd_filestat_set_size on a directory", __wasi_fd_filestat_set_size(dir, 0));
    show("fd_read on a directory", read1(dir));
    (void)!__wasi_fd_close(sub);
    open_at(dir, ".", __WASI_OFLAGS_DIRECTORY, R(FD_READ) | R(FD_WRITE), 0, &e);
    show("open a directory for writing", e);

    /* Trailing slashes: a non-directory with one fails. */
    show("mkdir d", __wasi_path_create_directory(dir, "d"));
    show("unlink f/", __wasi_path_unlink_file(dir, "f/"));
    show("unlink d/", __wasi_path_unlink_file(dir, "d/"));
    show("symlink to new/", __wasi_path_symlink("f", dir, "new/"));
    show("symlink onto f/", __wasi_path_symlink("f", dir, "f/"));
    show("link f to new/", __wasi_path_link(dir, 0, "f", dir, "new/"));
    show("link f/ to new", __wasi_path_link(dir, 0, "f/", dir, "new"));
    __wasi_filestat_t st;
    show("stat f/", __wasi_path_filestat_get(dir, 0, "f/", &st));
    show("stat d/", __wasi_path_filestat_get(dir, 0, "d/", &st));
    open_at(dir, "f/", 0, R(FD_READ), 0, &e);
    show("open f/", e);
    show("symlink sd -> d", __wasi_path_symlink("d", dir, "sd"));
    show("stat sd/ (a link to a directory)", __wasi_path_filestat_get(dir, 0, "sd/", &st));
    show("symlink sf -> f", __wasi_path_symlink("f", dir, "sf"));
    show("unlink sf/ (a link to a file)", __wasi_path_unlink_file(dir, "sf/"));
    show("rmdir d/", __wasi_path_remove_directory(dir, "d/"));

    /* Both a time and "now" for the same timestamp: EINVAL. */
    f = open_at(dir, "f", 0, R(FD_READ) | R(FD_FILESTAT_SET_TIMES), 0, &e);
    show("fd times MTIM|MTIM_NOW", __wasi_fd_filestat_set_times(f, 1, 2, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
    show("fd times ATIM|ATIM_NOW", __wasi_fd_filestat_set_times(f, 1, 2, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
    show("fd times ATIM|MTIM_NOW", __wasi_fd_filestat_set_times(f, 1, 2, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM_NOW));
    show("path times MTIM|MTIM_NOW", __wasi_path_filestat_set_times(dir, 0, "f", 1, 2, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
    show("path times ATIM|ATIM_NOW", __wasi_path_filestat_set_times(dir, 0, "f", 1, 2, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
    (void)!__wasi_fd_close(f);

    /* Symlinks with absolute targets are refused; path_link does not follow symlinks. */
    show("symlink to /", __wasi_path_symlink("/", dir, "abs"));
    show("symlink to /etc/passwd", __wasi_path_symlink("/etc/passwd", dir, "abs"));
    show("path_link with SYMLINK_FOLLOW", __wasi_path_link(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "sf", dir, "hard"));
    show("path_link of a symlink", __wasi_path_link(dir, 0, "sf", dir, "hard"));

    /* Sockets: a descriptor that is not open, and one that is not a socket. */
    show("sock_shutdown on a closed fd", __wasi_sock_shutdown(99, __WASI_SDFLAGS_RD));
    show("sock_shutdown on stdout", __wasi_sock_shutdown(1, __WASI_SDFLAGS_RD));
    __wasi_fd_t accepted;
    show("sock_accept on stdout", __wasi_sock_accept(1, 0, &accepted));

    /* stdout is a pipe here: write rights only, no seek, and not a terminal. */
    __wasi_fdstat_t os = stat_of(1);
    printf("stdout: filetype %u, write %d, read %d, seek %d\n", os.fs_filetype, !!(os.fs_rights_base & R(FD_WRITE)),
           !!(os.fs_rights_base & R(FD_READ)), !!(os.fs_rights_base & R(FD_SEEK)));

    /* Clean up. */
    (void)!__wasi_path_unlink_file(dir, "hard");
    (void)!__wasi_path_unlink_file(dir, "sf");
    (void)!__wasi_path_unlink_file(dir, "sd");
    (void)!__wasi_path_unlink_file(dir, "f");
    (void)!__wasi_fd_close(dir);
    show("rmdir p1", __wasi_path_remove_directory(pre, "p1"));
    return 0;
}
