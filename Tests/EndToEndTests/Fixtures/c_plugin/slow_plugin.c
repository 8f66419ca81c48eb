/*
 * A slow test plugin in plain C: `ctest/slow` reads its input, then works for up to `seconds` (default 30),
 * reporting progress every 50 ms and stopping as soon as the host says the call is cancelled.
 */
#include "pycelize_plugin.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int32_t slow(pz_context *ctx, const pz_host_api *host, void *user_data) {
    (void)user_data;
    const char *args = host->arguments_json(ctx);
    const char *p = strstr(args, "\"seconds\":");
    long seconds = p ? strtol(p + 10, NULL, 10) : 30;
    pz_table_reader *in = host->open_input(ctx, 0, NULL);
    if (!in) return PZ_ERR_BAD_INPUT;
    host->reader_close(in);
    struct timespec pause = {0, 50 * 1000 * 1000};
    for (long i = 0; i < seconds * 20; i++) {
        if (host->is_cancelled(ctx)) {
            host->set_error(ctx, PZ_ERR_CANCELLED, "stopped: the host cancelled the call");
            return PZ_ERR_CANCELLED;
        }
        host->report_progress(ctx, (double)i / (double)(seconds * 20), "working");
        nanosleep(&pause, NULL);
    }
    host->set_result_json(ctx, "{\"slept\": true}", 15);
    return PZ_OK;
}

static const pz_operation slow_op = {
    sizeof(pz_operation), "ctest/slow", "Sleep (test plugin)",
    "{\"type\":\"object\",\"properties\":{\"seconds\":{\"type\":\"integer\",\"minimum\":0}}}",
    "Done", PZ_OP_NEEDS_INPUT, slow, NULL,
};
static const pz_operation *const operations[] = {&slow_op};
static const pz_plugin_descriptor descriptor = {
    sizeof(pz_plugin_descriptor), PZ_ABI_MAJOR, PZ_ABI_MINOR, "c-slow", "1.0.0", "Slow test plugin", 1, operations,
};

const pz_plugin_descriptor *pz_plugin_entry(const pz_host_api *host) {
    (void)host;
    return &descriptor;
}
