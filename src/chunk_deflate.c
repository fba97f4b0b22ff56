/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * chunk_deflate.c — a chunk encoded as HDF5's shuffle + deflate filters
 * encode it (chunk_deflate.h).
 *
 * Design.  HDF5 runs its filters inside the library, on the calling thread
 * and under its global lock, so a run whose output is compressed there
 * compresses on one core.  Encoding a chunk needs no HDF5 at all: the
 * shuffle filter (H5Zshuffle.c) writes byte j of element i at
 * j x n_elements + i, and the deflate filter (H5Zdeflate.c) stores what
 * zlib's compress2 makes of that at the dataset's level.  Doing the same
 * here, on the simulation threads, gives the bytes the library would have
 * stored; output_h5.c hands them to H5Dwrite_chunk with a filter mask of
 * 0 (every filter applied), and readers decode them with the standard
 * filters.  An edge chunk is encoded full-size, padded with the fill
 * value, as HDF5 stores edge chunks.
 */
#include <string.h>
#include <zlib.h>
#include "chunk_deflate.h"

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

int mnd_chunk_deflate(const void *src, size_t have, size_t chunk_bytes, size_t elem_size,
                      const void *fill, int level, void *scratch, void *dst, size_t *dst_bytes)
{
    const unsigned char *in = src;
    if (elem_size > 1) {
        shuffle(src, have / elem_size, chunk_bytes / elem_size, elem_size, fill, scratch);
        in = scratch;
    } else if (have < chunk_bytes) {
        memcpy(scratch, src, have);
        memset((unsigned char *)scratch + have, *(const unsigned char *)fill, chunk_bytes - have);
        in = scratch;
    }
    uLongf out = (uLongf)mnd_chunk_deflate_bound(chunk_bytes);
    if (compress2(dst, &out, in, (uLong)chunk_bytes, level) != Z_OK)
        return -1;
    *dst_bytes = (size_t)out;
    return 0;
}
