/*
 * sNEAR contract entry points: the QuickJS runtime is created once, at build time.
 *
 * builder.c (near-sdk-js) starts every method from nothing: a runtime, a context with a dozen
 * intrinsics, the host functions, then loading and evaluating the whole bytecode module, about
 * 20 Tgas before the method runs. Here `__snear_preinit` does that work once; the contract build
 * (contracts/scripts/preinit.mjs) calls it in Node and snapshots the wasm's memory and globals
 * into the module itself, then removes the export. A method entry only updates QuickJS's stack
 * top, looks its function up in the already-evaluated module and calls it. nearcore instantiates
 * the module afresh for every call, so every call starts from that same snapshot.
 *
 * wasm.mjs puts `#include "snear-entry.h"` in place of builder.c's DEFINE_NEAR_METHOD.
 */
#include <stdlib.h>
#include <string.h>

static void js_add_near_host_functions(JSContext *ctx);
void snear_add_intrinsics(JSContext *ctx);
void snear_collect_and_set_gc_headroom(JSRuntime *rt, size_t headroom);
JSRuntime *snear_new_runtime(void);
extern void panic_utf8(uint64_t len, uint64_t ptr);

/* QuickJS's own stack check stops deep JS recursion before the 256 KiB shadow stack (-z
   stack-size) overflows into static data: the limit sits 64 KiB below it, room for the C frames
   that run between two checks. */
#define SNEAR_JS_STACK_SIZE (192 * 1024)
/* Allocation allowed after the snapshot before QuickJS's cycle collector first runs. A call is
   short-lived (its instance is thrown away), so a GC that walks every object of the module only
   pays off when a call allocates a lot; 16 MiB of 64 MiB of growth room (pages 1024..2048). */
#define SNEAR_GC_HEADROOM (16u * 1024 * 1024)

static JSRuntime *snear_rt;
static JSContext *snear_ctx;
static JSValue snear_module;
static int snear_ready;

/* Runtime, context, host functions, module evaluation: everything that does not depend on the
   call. Exported only until the build has snapshotted its result. */
__attribute__((export_name("__snear_preinit"))) void snear_preinit(void)
{
    uint8_t *volatile bytecode;
    if (snear_ready)
        return;
    snear_rt = snear_new_runtime();
    JS_SetMaxStackSize(snear_rt, SNEAR_JS_STACK_SIZE);
    snear_ctx = JS_NewCustomContext(snear_rt);
    snear_add_intrinsics(snear_ctx);
    js_add_near_host_functions(snear_ctx);
    snear_module = js_load_module_binary(snear_ctx, code, code_size);
    /* The snapshot keeps no garbage, and starts with the collector's threshold set above; freed
       blocks were zeroed until here (quickjs-near.c). */
    snear_collect_and_set_gc_headroom(snear_rt, SNEAR_GC_HEADROOM);
    /* JS_ReadObject copied the bytecode into the heap: zero the original so the snapshot does
       not carry it twice (zero runs become no data segment). The volatile pointer keeps the
       compiler from treating `code` as immutable. */
    bytecode = (uint8_t *)code;
    memset(bytecode, 0, code_size);
    snear_ready = 1;
}

/* One method call: what builder.c's DEFINE_NEAR_METHOD does after loading the module, with its
   panic message format ("<message>\n<stack>"). */
static void snear_call(const char *name)
{
    JSValue fun, result, error, message, stack;
    const char *message_c, *stack_c;
    size_t message_len, stack_len;
    char *text;

    if (!snear_ready)
        snear_preinit(); /* only a wasm the build has not snapshotted yet */
    JS_UpdateStackTop(snear_rt);
    fun = JS_GetPropertyStr(snear_ctx, snear_module, name);
    result = JS_Call(snear_ctx, fun, snear_module, 0, NULL);
    if (JS_IsException(result)) {
        error = JS_GetException(snear_ctx);
        message = JS_GetPropertyStr(snear_ctx, error, "message");
        stack = JS_GetPropertyStr(snear_ctx, error, "stack");
        message_c = JS_ToCStringLen(snear_ctx, &message_len, message);
        stack_c = JS_ToCStringLen(snear_ctx, &stack_len, stack);
        text = malloc(message_len + 1 + stack_len);
        memcpy(text, message_c, message_len);
        text[message_len] = '\n';
        memcpy(text + message_len + 1, stack_c, stack_len);
        panic_utf8(message_len + 1 + stack_len, (uint64_t)(uintptr_t)text);
    }
    js_std_loop(snear_ctx);
}

#define DEFINE_NEAR_METHOD(name) \
    void name() __attribute__((export_name(#name))) { snear_call(#name); }
