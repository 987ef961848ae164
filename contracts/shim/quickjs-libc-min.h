/*
 * sNEAR shim: the API that near-sdk-js's builder/builder.c expects from NEAR's QuickJS fork,
 * provided on top of upstream QuickJS 2021-03-27 (see quickjs-near.c, quickjs-libc-min.c).
 * Written for sNEAR; not copied from NEAR's fork.
 */
#ifndef SNEAR_QUICKJS_LIBC_MIN_H
#define SNEAR_QUICKJS_LIBC_MIN_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cutils.h" /* TRUE/FALSE, which builder.c uses */
#include "quickjs.h"
#include "libbf.h"

/* BigInt or Number to u64 (BigInt modulo 2^64, Number truncated); <0 on exception. */
int JS_ToUint64Ext(JSContext *ctx, uint64_t *pres, JSValueConst val);
/* BigInt to u64 modulo 2^64; <0 (TypeError) when val is not a BigInt. */
int JS_ToBigUint64(JSContext *ctx, uint64_t *pres, JSValueConst val);
/* A string whose char codes are the bytes buf[0..len) (latin1, no UTF-8 decoding). */
JSValue JS_NewStringLenRaw(JSContext *ctx, const char *buf, size_t len);
/* The string's char codes as bytes (latin1; code units above 255 keep their low byte).
   Free with JS_FreeCString. NULL on exception. */
const char *JS_ToCStringLenRaw(JSContext *ctx, size_t *plen, JSValueConst val);
/* A new BigInt value (0) and the libbf number inside a BigInt value. */
JSValue JS_NewBigInt(JSContext *ctx);
bf_t *JS_GetBigInt(JSValueConst val);

/* Run pending jobs (promise reactions) until none is left. */
void js_std_loop(JSContext *ctx);
/* Read module bytecode (qjsc -c -m), link and evaluate it; return its namespace object.
   Panics the NEAR call (panic_utf8) with the error when the module fails to load. */
JSValue js_load_module_binary(JSContext *ctx, const uint8_t *buf, size_t buf_len);

#endif
