/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * chunk_deflate.c — a chunk encoded for HDF5's shuffle + deflate filters
 * (chunk_deflate.h).
 *
 * Design.  HDF5 runs its filters inside the library, on the calling thread
 * and under its global lock, so a run whose output is compressed there
 * compresses on one core.  Encoding a chunk needs no HDF5 at all: the
 * shuffle filter (H5Zshuffle.c) writes byte j of element i at
 * j x n_elements + i, and the deflate filter (H5Zdeflate.c) stores a zlib
 * stream (RFC 1950) of that, which it inflates with zlib when read.  Doing
 * the same here, on the simulation threads, gives chunks that readers
 * decode with the standard filters; output_h5.c hands them to
 * H5Dwrite_chunk with a filter mask of 0 (every filter applied).  An edge
 * chunk is encoded full-size, padded with the fill value, as HDF5 stores
 * edge chunks.
 *
 * Encoder.  At level 1, the default and the fastest, the stream comes
 * from ISA-L's igzip (isal_deflate_stateless, its level 1): on this
 * model's chunks (three quarters fill values past the last visit, the
 * rest float mantissas and small integers) it encodes about 1.4 GB/s
 * against 280 MB/s for zlib's level 1 (bench/bench_deflate.c) and 350
 * MB/s for zlib's run-length strategy, and its streams are as small
 * (README, "Output" under "Performance").  The other
 * levels ask for smaller files, so they get zlib's compress2 at that
 * level, which is also exactly what HDF5's own filter stores.
 */
#include <stdint.h>
#include <string.h>
#include <isa-l/igzip_lib.h>
#include <zlib.h>
#include "chunk_deflate.h"

/* ISA-L 2.30's AVX2 encoder returns with the upper halves of the vector
 * registers dirty (no vzeroupper), and on recent Intel cores every SSE
 * instruction after that pays for merging them: glibc's exp ran about 10
 * times slower on a thread that had encoded a chunk, and a full run took
 * 3.6 times as long (10.2 s instead of 2.8).  vzeroupper
 * clears that state; it exists only where AVX does, which is the only case
 * in which ISA-L dirtied it. */
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx"))) static void clear_upper_vector_state(void)
{
    __builtin_ia32_vzeroupper();
}
static void after_vector_code(void)
{
    if (__builtin_cpu_supports("avx"))
        clear_upper_vector_state();
}
#else
static void after_vector_code(void) {}
#endif

size_t mnd_chunk_deflate_bound(size_t n) { return (size_t)compressBound((uLong)n); }

/* Byte j of element i to out[j * n_elems + i]: elements [0, have_elems)
 * from src, the others copies of `fill`. */
static void shuffle(const unsigned char *src, size_t have_elems, size_t n_elems,
                    size_t elem_size, const unsigned char *fill, unsigned char *out)
{
    for (size_t j = 0; j < elem_size; j++) {
        unsigned char *plane = out + j * n_elems;
        const unsigned char *in = src + j;
        for (size_t i = 0; i < have_elems; i++, in += elem_size)
            plane[i] = *in;
        memset(plane + have_elems, fill[j], n_elems - have_elems);
    }
}

const void *mnd_chunk_filter_input(const void *src, size_t have, size_t chunk_bytes,
                                   size_t elem_size, const void *fill, void *scratch)
{
    if (elem_size > 1) {
        shuffle(src, have / elem_size, chunk_bytes / elem_size, elem_size, fill, scratch);
        return scratch;
    }
    if (have == chunk_bytes)
        return src; /* nothing moves */
    memcpy(scratch, src, have);
    memset((unsigned char *)scratch + have, *(const unsigned char *)fill, chunk_bytes - have);
    return scratch;
}

int mnd_chunk_encode(const void *in, size_t n, int level, void *dst, size_t *dst_bytes)
{
    size_t room = mnd_chunk_deflate_bound(n);
    if (level == 1) {
        struct isal_zstream z;
        /* isal_deflate_stateless_init leaves the hash table of the 82 KB
         * stream as it finds it, and the encoder reads its entries before
         * writing them (valgrind): zeroed, the stream depends on the
         * chunk alone, whatever ran on this stack before */
        memset(&z, 0, sizeof z);
        isal_deflate_stateless_init(&z);
        z.level = 1; /* no level buffer: optional at level 1, and as fast here */
        z.gzip_flag = IGZIP_ZLIB;
        z.end_of_stream = 1;
        z.next_in = (uint8_t *)(uintptr_t)in; /* only read: ISA-L's field is not const */
        z.avail_in = (uint32_t)n;
        z.next_out = dst;
        z.avail_out = (uint32_t)room;
        int rc = isal_deflate_stateless(&z);
        after_vector_code();
        if (rc == COMP_OK) {
            *dst_bytes = z.total_out;
            return 0;
        }
        if (rc != STATELESS_OVERFLOW)
            return -1;
        /* more than zlib's bound (incompressible data): zlib's stream fits */
    }
    uLongf out = (uLongf)room;
    if (compress2(dst, &out, in, (uLong)n, level) != Z_OK)
        return -1;
    *dst_bytes = (size_t)out;
    return 0;
}

int mnd_chunk_deflate(const void *src, size_t have, size_t chunk_bytes, size_t elem_size,
                      const void *fill, int level, void *scratch, void *dst, size_t *dst_bytes)
{
    const void *in = mnd_chunk_filter_input(src, have, chunk_bytes, elem_size, fill, scratch);
    return mnd_chunk_encode(in, chunk_bytes, level, dst, dst_bytes);
}
