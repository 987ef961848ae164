/*
 * sNEAR shim: WASI imports that wasi-libc pulls in (stdio, clock), defined here so wasm-ld
 * resolves them and the contract imports only `env.*` (NEAR provides no WASI). Output is
 * discarded, clocks read 0, seeks and fd queries fail with an errno.
 */
#include <stdint.h>

#define SNEAR_WASI_EBADF 8
#define SNEAR_WASI_ESPIPE 70

int32_t __imported_wasi_snapshot_preview1_clock_time_get(int32_t clock_id, int64_t precision,
                                                        int32_t time_ptr)
{
    (void)clock_id;
    (void)precision;
    *(uint64_t *)(uintptr_t)time_ptr = 0;
    return 0;
}

int32_t __imported_wasi_snapshot_preview1_fd_close(int32_t fd)
{
    (void)fd;
    return 0;
}

int32_t __imported_wasi_snapshot_preview1_fd_fdstat_get(int32_t fd, int32_t stat_ptr)
{
    (void)fd;
    (void)stat_ptr;
    return SNEAR_WASI_EBADF;
}

int32_t __imported_wasi_snapshot_preview1_fd_seek(int32_t fd, int64_t offset, int32_t whence,
                                                 int32_t newoffset_ptr)
{
    (void)fd;
    (void)offset;
    (void)whence;
    (void)newoffset_ptr;
    return SNEAR_WASI_ESPIPE;
}

/* Pretend everything was written so stdio never retries. */
int32_t __imported_wasi_snapshot_preview1_fd_write(int32_t fd, int32_t iovs_ptr, int32_t iovs_len,
                                                  int32_t nwritten_ptr)
{
    const uint32_t *iov = (const uint32_t *)(uintptr_t)iovs_ptr;
    uint32_t total = 0;
    int32_t i;
    (void)fd;
    for (i = 0; i < iovs_len; i++)
        total += iov[2 * i + 1];
    *(uint32_t *)(uintptr_t)nwritten_ptr = total;
    return 0;
}
