/*
 * A plain-C test plugin for the ABI 1.2 services. `ctest/numbered-lines` writes one line per input row in a single
 * pass, then puts the row count before them with text_set_prefix (a header that needs a count known only at the
 * end), and returns its plugins.d/ settings (plugin_settings_json) as the inline result.
 */
#include "pycelize_plugin.h"

#include <stdio.h>
#include <string.h>

static int32_t numbered_lines(pz_context *ctx, const pz_host_api *host, void *user_data) {
    (void)user_data;
    if (!PZ_HOST_HAS(host, text_set_prefix) || !PZ_HOST_HAS(host, plugin_settings_json)) {
        host->set_error(ctx, PZ_ERR_INTERNAL, "the host is older than ABI 1.2");
        return PZ_ERR_INTERNAL;
    }
    pz_table_reader *reader = host->open_input(ctx, 0, NULL);
    if (!reader) return PZ_ERR_BAD_INPUT;
    pz_text_writer *out = host->create_text_output(ctx, "numbered", "txt");
    if (!out) return PZ_ERR_INTERNAL;
    /* A first prefix, replaced below: the last call wins. */
    int32_t rc = host->text_set_prefix(out, "draft\n", 6);
    long rows = 0;
    const pz_row_batch *batch = NULL;
    while (rc == PZ_OK && (rc = host->reader_next_batch(reader, 0, &batch)) == PZ_OK && batch->row_count > 0) {
        for (size_t r = 0; r < batch->row_count && rc == PZ_OK; r++) {
            char line[64];
            int n = snprintf(line, sizeof line, "row %ld\n", ++rows);
            rc = host->text_write(out, line, (size_t)n);
        }
    }
    if (rc != PZ_OK) return rc;
    char header[64];
    int n = snprintf(header, sizeof header, "rows: %ld\n", rows);
    if ((rc = host->text_set_prefix(out, header, (size_t)n)) != PZ_OK) return rc;
    if ((rc = host->text_finish(out)) != PZ_OK) return rc;
    const char *settings = host->plugin_settings_json(ctx);
    char result[512];
    n = snprintf(result, sizeof result, "{\"settings\": %s}", settings);
    if (n <= 0 || (size_t)n >= sizeof result) return PZ_ERR_INTERNAL;
    return host->set_result_json(ctx, result, (size_t)n);
}

static const pz_operation numbered_op = {
    sizeof(pz_operation),
    "ctest/numbered-lines",
    "A line per row, the row count before them (test plugin for ABI 1.2, written in C)",
    "{\"type\":\"object\"}",
    "Numbered the rows",
    PZ_OP_NEEDS_INPUT,
    numbered_lines,
    NULL,
};

static const pz_operation *const operations[] = {&numbered_op};

static const pz_plugin_descriptor descriptor = {
    sizeof(pz_plugin_descriptor), PZ_ABI_MAJOR, PZ_ABI_MINOR, "c-prefix", "1.0.0",
    "ABI 1.2 services, written in plain C", 1, operations,
};

const pz_plugin_descriptor *pz_plugin_entry(const pz_host_api *host) {
    if (host->abi_major != PZ_ABI_MAJOR) return NULL;
    return &descriptor;
}
