/*
 * sNEAR shim: upstream QuickJS 2021-03-27 plus the functions only NEAR's QuickJS fork has.
 * This file includes quickjs.c so it can use QuickJS internals (JSString, js_get_module_ns,
 * the static BigInt helpers); compile it INSTEAD of quickjs.c.
 */

/* quickjs.c defines JS_NewBigInt / JS_GetBigInt as static: rename them inside it so the
   exported functions below can carry the names builder.c calls. */
#define JS_NewBigInt snear_js_new_bigint_static
#define JS_GetBigInt snear_js_get_bigint_static
#include "quickjs.c"
#undef JS_NewBigInt
#undef JS_GetBigInt

#include "quickjs-libc-min.h"

/* NEAR host import (builder.c declares the same). */
extern void panic_utf8(uint64_t len, uint64_t ptr);

JSValue JS_NewBigInt(JSContext *ctx)
{
    return snear_js_new_bigint_static(ctx);
}

bf_t *JS_GetBigInt(JSValueConst val)
{
    return snear_js_get_bigint_static(val);
}

/* As NEAR's fork: a BigInt outside [0, 2^64) is an error (-1, no exception pending; builder.c
   then throws "Expect Uint64 for ..."), never a value wrapped modulo 2^64. */
int JS_ToBigUint64(JSContext *ctx, uint64_t *pres, JSValueConst val)
{
    bf_t a_s, *a;
    int status;

    *pres = 0;
    if (!JS_IsBigInt(ctx, val)) {
        JS_ThrowTypeError(ctx, "BigInt expected");
        return -1;
    }
    a = JS_ToBigIntFree(ctx, &a_s, JS_DupValue(ctx, val));
    if (!a)
        return -1;
    status = bf_get_uint64(pres, a);
    JS_FreeBigInt(ctx, a, &a_s);
    if (status == BF_ST_INVALID_OP) {
        *pres = 0;
        return -1;
    }
    return 0;
}

/* As NEAR's fork: numbers go through JS_ToInt64 (two's complement), BigInts must fit a u64. */
int JS_ToUint64Ext(JSContext *ctx, uint64_t *pres, JSValueConst val)
{
    int64_t v;
    if (JS_IsBigInt(ctx, val))
        return JS_ToBigUint64(ctx, pres, val);
    if (JS_ToInt64(ctx, &v, val) < 0) {
        *pres = 0;
        return -1;
    }
    *pres = (uint64_t)v;
    return 0;
}

JSValue JS_NewStringLenRaw(JSContext *ctx, const char *buf, size_t len)
{
    if (len > JS_STRING_LEN_MAX)
        return JS_ThrowRangeError(ctx, "string too long");
    return js_new_string8(ctx, (const uint8_t *)buf, (int)len);
}

/* As NEAR's fork: the string's 8-bit code units as bytes. A string holding any character above
   U+00FF (a "wide" QuickJS string) gives NULL and length 0, with no exception: builder.c then
   passes empty bytes to the host (latin1_string_to_uint8array, function-call arguments). */
const char *JS_ToCStringLenRaw(JSContext *ctx, size_t *plen, JSValueConst val1)
{
    JSValue val;
    JSString *str, *out;

    if (plen)
        *plen = 0;
    val = JS_ToString(ctx, val1);
    if (JS_IsException(val))
        return NULL;
    str = JS_VALUE_GET_STRING(val);
    if (str->is_wide_char) {
        JS_FreeValue(ctx, val);
        return NULL;
    }
    out = js_alloc_string(ctx, str->len, 0);
    if (!out) {
        JS_FreeValue(ctx, val);
        return NULL;
    }
    memcpy(out->u.str8, str->u.str8, str->len);
    out->u.str8[str->len] = '\0';
    JS_FreeValue(ctx, val);
    if (plen)
        *plen = out->len;
    return (const char *)out->u.str8;
}

/* Object.hasOwn(O, P) (ES2022), which NEAR's QuickJS has and 2021-03-27 lacks: ToObject(O),
   then whether P is an own property. */
static JSValue snear_object_has_own(JSContext *ctx, JSValueConst this_val, int argc,
                                    JSValueConst *argv)
{
    JSValue obj;
    JSAtom atom;
    int ret;

    obj = JS_ToObject(ctx, argv[0]);
    if (JS_IsException(obj))
        return obj;
    atom = JS_ValueToAtom(ctx, argv[1]);
    if (atom == JS_ATOM_NULL) {
        JS_FreeValue(ctx, obj);
        return JS_EXCEPTION;
    }
    ret = JS_GetOwnPropertyInternal(ctx, NULL, JS_VALUE_GET_OBJ(obj), atom);
    JS_FreeAtom(ctx, atom);
    JS_FreeValue(ctx, obj);
    if (ret < 0)
        return JS_EXCEPTION;
    return JS_NewBool(ctx, ret);
}

void snear_add_intrinsics(JSContext *ctx)
{
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue object = JS_GetPropertyStr(ctx, global, "Object");
    JS_DefinePropertyValueStr(ctx, object, "hasOwn",
                              JS_NewCFunction(ctx, snear_object_has_own, "hasOwn", 2),
                              JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
    JS_FreeValue(ctx, object);
    JS_FreeValue(ctx, global);
}

/* While pre-initialising, freed blocks are zeroed: garbage left in dlmalloc's free chunks would
   otherwise be non-zero bytes of the snapshot (data segments, so code size and gas on every
   call). Off once the snapshot is taken (the flag is part of it). */
static int snear_zero_freed = 1;

static void snear_free_zeroing(JSMallocState *s, void *ptr)
{
    if (ptr && snear_zero_freed)
        memset(ptr, 0, js_def_malloc_usable_size(ptr));
    js_def_free(s, ptr);
}

static void *snear_realloc_zeroing(JSMallocState *s, void *ptr, size_t size)
{
    void *moved;
    size_t old_size;

    if (!snear_zero_freed || !ptr || size == 0)
        return size == 0 ? (snear_free_zeroing(s, ptr), NULL) : js_def_realloc(s, ptr, size);
    old_size = js_def_malloc_usable_size(ptr);
    if (size <= old_size)
        return js_def_realloc(s, ptr, size);
    moved = js_def_malloc(s, size);
    if (!moved)
        return NULL;
    memcpy(moved, ptr, old_size);
    snear_free_zeroing(s, ptr);
    return moved;
}

static const JSMallocFunctions snear_malloc_funcs = {
    js_def_malloc,
    snear_free_zeroing,
    snear_realloc_zeroing,
    js_def_malloc_usable_size,
};

/* JS_NewRuntime with the allocator above. */
JSRuntime *snear_new_runtime(void)
{
    return JS_NewRuntime2(&snear_malloc_funcs, NULL);
}

/* Collect garbage now, and let the heap grow by `headroom` bytes before the next collection. */
void snear_collect_and_set_gc_headroom(JSRuntime *rt, size_t headroom)
{
    JS_RunGC(rt);
    rt->malloc_gc_threshold = rt->malloc_state.malloc_size + headroom;
    snear_zero_freed = 0;
}

/* Panic the NEAR call with "<message>\n<stack>" of the pending exception. */
static void snear_panic_with_exception(JSContext *ctx, const char *what)
{
    JSValue err = JS_GetException(ctx);
    JSValue msg = JS_GetPropertyStr(ctx, err, "message");
    const char *m;
    size_t mlen = 0, wlen = strlen(what);
    char *buf;

    if (JS_IsUndefined(msg)) {
        JS_FreeValue(ctx, msg);
        msg = JS_DupValue(ctx, err);
    }
    m = JS_ToCStringLen(ctx, &mlen, msg);
    if (!m) {
        m = "unknown error";
        mlen = strlen(m);
    }
    buf = js_malloc(ctx, wlen + mlen + 1);
    if (!buf)
        panic_utf8(wlen, (uint64_t)(uintptr_t)what);
    memcpy(buf, what, wlen);
    memcpy(buf + wlen, m, mlen);
    panic_utf8(wlen + mlen, (uint64_t)(uintptr_t)buf);
}

JSValue js_load_module_binary(JSContext *ctx, const uint8_t *buf, size_t buf_len)
{
    JSValue obj, ret;
    JSModuleDef *m;

    obj = JS_ReadObject(ctx, buf, buf_len, JS_READ_OBJ_BYTECODE);
    if (JS_IsException(obj))
        goto fail;
    if (JS_VALUE_GET_TAG(obj) != JS_TAG_MODULE) {
        JS_FreeValue(ctx, obj);
        JS_ThrowTypeError(ctx, "contract bytecode is not a module (build it with qjsc -m)");
        goto fail;
    }
    m = JS_VALUE_GET_PTR(obj);
    if (JS_ResolveModule(ctx, obj) < 0) {
        JS_FreeValue(ctx, obj);
        goto fail;
    }
    /* JS_EvalFunction releases obj; ctx->loaded_modules keeps m alive. */
    ret = JS_EvalFunction(ctx, obj);
    if (JS_IsException(ret))
        goto fail;
    JS_FreeValue(ctx, ret);
    ret = js_get_module_ns(ctx, m);
    if (JS_IsException(ret))
        goto fail;
    return ret;
fail:
    snear_panic_with_exception(ctx, "contract module failed to load: ");
    return JS_EXCEPTION;
}
