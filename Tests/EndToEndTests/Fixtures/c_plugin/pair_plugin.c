/*
 * A two-input plugin in plain C: `ctest/pair-rows` counts the rows of its source table and of a second table —
 * input 1 when the REST client uploaded `source_file` + `bind_file`, otherwise the conversation file a workflow
 * step names in the `bind_file` argument (opened with open_named_file). The pattern docs/plugin-abi.md shows.
 */
#include "pycelize_plugin.h"

#include <stdio.h>
#include <string.h>

/* Finds "key":"value" in a flat JSON object (no escapes). Returns 1 if found. */
static int json_string(const char *json, const char *key, char *out, size_t cap) {
    char pattern[128];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *p = strstr(json, pattern);
    if (!p) return 0;
    p += strlen(pattern);
    while (*p == ' ') p++;
    if (*p != '"') return 0;
    p++;
    size_t n = 0;
    while (*p && *p != '"' && n + 1 < cap) out[n++] = *p++;
    out[n] = 0;
    return 1;
}

static pz_table_reader *open_second(pz_context *ctx, const pz_host_api *host, const char *named) {
    if (host->input_count(ctx) >= 2) return host->open_input(ctx, 1, NULL); /* REST: uploaded bind_file */
    if (!named || !*named) {
        host->set_error(ctx, PZ_ERR_INVALID_ARGUMENT, "bind_file is required");
        return NULL;
    }
    return host->open_named_file(ctx, named, NULL); /* workflow: a file of the same conversation */
}

static int32_t pair_rows(pz_context *ctx, const pz_host_api *host, void *user_data) {
    (void)user_data;
    char named[512] = {0};
    json_string(host->arguments_json(ctx), "bind_file", named, sizeof named);
    pz_table_reader *readers[2] = {host->open_input(ctx, 0, NULL), NULL};
    if (!readers[0]) return PZ_ERR_BAD_INPUT;
    readers[1] = open_second(ctx, host, named);
    if (!readers[1]) return PZ_ERR_NOT_FOUND; /* the host already set the real code and message */
    long long rows[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        for (;;) {
            const pz_row_batch *batch;
            int32_t rc = host->reader_next_batch(readers[i], 0, &batch);
            if (rc != PZ_OK) return rc;
            if (batch->row_count == 0) break;
            rows[i] += (long long)batch->row_count;
        }
    }
    char result[160];
    int n = snprintf(result, sizeof result, "{\"source_rows\": %lld, \"bind_rows\": %lld, \"inputs\": %zu}", rows[0],
                     rows[1], host->input_count(ctx));
    host->set_result_json(ctx, result, (size_t)n);
    return PZ_OK;
}

static const pz_operation pair_op = {
    sizeof(pz_operation),
    "ctest/pair-rows",
    "Count the rows of two tables",
    "{\"type\":\"object\",\"properties\":{\"bind_file\":{\"type\":\"string\"}}}",
    "Counted {source_rows} and {bind_rows} rows",
    PZ_OP_NEEDS_INPUT | PZ_OP_TWO_INPUTS,
    pair_rows,
    NULL,
};
static const pz_operation *const operations[] = {&pair_op};

static const pz_plugin_descriptor descriptor = {
    sizeof(pz_plugin_descriptor), PZ_ABI_MAJOR, PZ_ABI_MINOR, "c-pair", "1.0.0", "Two-input plugin written in plain C",
    1, operations,
};

const pz_plugin_descriptor *pz_plugin_entry(const pz_host_api *host) {
    if (host->abi_major != PZ_ABI_MAJOR) return NULL;
    return &descriptor;
}
