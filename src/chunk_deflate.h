/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * chunk_deflate.h — private to output_h5.c: one dataset chunk encoded as
 * HDF5's shuffle and deflate filters encode it, so that it can be
 * compressed on any thread and stored with H5Dwrite_chunk (notes §1.5).
 */
#ifndef MNDSIM_CHUNK_DEFLATE_H
#define MNDSIM_CHUNK_DEFLATE_H

#include <stddef.h>

/* Bytes that an encoded chunk of `n` input bytes can take at most. */
size_t mnd_chunk_deflate_bound(size_t n);

/* Encodes a chunk of `chunk_bytes` bytes of elements of `elem_size` bytes
 * (chunk_bytes a multiple of elem_size) for the HDF5 filter pipeline
 * "shuffle, then deflate at `level`" (1..9): the shuffle filter's byte
 * order (byte j of every element, for j = 0..elem_size-1; nothing moves
 * for 1-byte elements), then a zlib stream that HDF5's deflate filter
 * decodes to those bytes: ISA-L's igzip at level 1, else zlib's compress2
 * at `level` (the bytes HDF5's own filter writes).  The first `have` bytes come from `src`;
 * the rest of the chunk (an edge chunk past the last row) is filled with
 * copies of the element `fill`.  `scratch` holds chunk_bytes bytes; `dst`
 * has room for mnd_chunk_deflate_bound(chunk_bytes) bytes, and *dst_bytes
 * receives the encoded size.  Thread-safe.  Returns 0, or -1 when zlib
 * fails. */
int mnd_chunk_deflate(const void *src, size_t have, size_t chunk_bytes, size_t elem_size,
                      const void *fill, int level, void *scratch, void *dst, size_t *dst_bytes);

#endif
