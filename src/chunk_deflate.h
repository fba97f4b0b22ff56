/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * chunk_deflate.h — private to output_h5.c (and bench/bench_deflate.c):
 * one dataset chunk encoded for HDF5's shuffle and deflate filters, so that
 * it can be compressed on any thread and stored with H5Dwrite_chunk
 * (notes §1.5).
 */
#ifndef MNDSIM_CHUNK_DEFLATE_H
#define MNDSIM_CHUNK_DEFLATE_H

#include <stddef.h>

/* Bytes that an encoded chunk of `n` input bytes can take at most. */
size_t mnd_chunk_deflate_bound(size_t n);

/* The bytes HDF5's shuffle filter makes of a chunk of `chunk_bytes` bytes
 * of elements of `elem_size` bytes (chunk_bytes a multiple of elem_size):
 * byte j of every element, for j = 0..elem_size-1, of the first `have`
 * bytes from `src` and, past them (an edge chunk past the last row),
 * copies of the element `fill`.  Returns `src` itself when nothing moves
 * (1-byte elements, a whole chunk), else `scratch` (chunk_bytes bytes),
 * which then holds them. */
const void *mnd_chunk_filter_input(const void *src, size_t have, size_t chunk_bytes,
                                   size_t elem_size, const void *fill, void *scratch);

/* Encodes n bytes as a zlib stream (RFC 1950) that HDF5's deflate filter
 * decodes: ISA-L's igzip at level 1, else zlib's compress2 at `level`
 * (1..9; the bytes HDF5's own filter writes).  `dst` has room for
 * mnd_chunk_deflate_bound(n) bytes; *dst_bytes receives the encoded size.
 * Thread-safe.  Returns 0, or -1 when the encoder fails. */
int mnd_chunk_encode(const void *in, size_t n, int level, void *dst, size_t *dst_bytes);

/* mnd_chunk_filter_input, then mnd_chunk_encode of its chunk_bytes bytes:
 * the chunk as HDF5's pipeline "shuffle, then deflate at `level`" stores
 * it.  `scratch` holds chunk_bytes bytes. */
int mnd_chunk_deflate(const void *src, size_t have, size_t chunk_bytes, size_t elem_size,
                      const void *fill, int level, void *scratch, void *dst, size_t *dst_bytes);

#endif
