/*
 * sNEAR shim: the part of NEAR's quickjs-libc-min that builder.c uses, on QuickJS's public API.
 */
#include "quickjs-libc-min.h"

void js_std_loop(JSContext *ctx)
{
    JSContext *job_ctx;
    /* A job that throws ends the loop, as in quickjs-libc (which only prints the error). */
    while (JS_ExecutePendingJob(JS_GetRuntime(ctx), &job_ctx) > 0) {
    }
}
