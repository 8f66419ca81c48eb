/*
 * A plain-C test plugin whose operation publishes two outputs: `ctest/two-reports` reads no input and writes a
 * `summary` text file then a `details` text file, with an inline result naming both. Used by the tests of
 * `output_files` (every output of a one-shot call) and of the OpenAPI document (third-party operations appear).
 */
#include "pycelize_plugin.h"

#include <string.h>

static int32_t write_text(pz_context *ctx, const pz_host_api *host, const char *suffix, const char *text) {
    pz_text_writer *w = host->create_text_output(ctx, suffix, "txt");
    if (!w) return PZ_ERR_INTERNAL;
    int32_t rc = host->text_write(w, text, strlen(text));
    if (rc != PZ_OK) return rc;
    return host->text_finish(w);
}

static int32_t two_reports(pz_context *ctx, const pz_host_api *host, void *user_data) {
    (void)user_data;
    int32_t rc = write_text(ctx, host, "summary", "first output\n");
    if (rc == PZ_OK) rc = write_text(ctx, host, "details", "second output\n");
    if (rc != PZ_OK) return rc;
    const char *result = "{\"reports\": 2}";
    return host->set_result_json(ctx, result, strlen(result));
}

static const pz_operation reports_op = {
    sizeof(pz_operation),
    "ctest/two-reports",
    "Write a summary and a details report (test plugin written in C)",
    "{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\",\"enum\":[\"short\",\"long\"],"
    "\"default\":\"short\",\"description\":\"Report style\"},\"limit\":{\"type\":\"integer\",\"minimum\":1}}}",
    "Wrote {reports} reports",
    0,
    two_reports,
    NULL,
};

static const pz_operation *const operations[] = {&reports_op};

static const pz_plugin_descriptor descriptor = {
    sizeof(pz_plugin_descriptor), PZ_ABI_MAJOR, PZ_ABI_MINOR, "c-reports", "1.0.0",
    "Two text reports, written in plain C", 1, operations,
};

const pz_plugin_descriptor *pz_plugin_entry(const pz_host_api *host) {
    if (host->abi_major != PZ_ABI_MAJOR) return NULL;
    return &descriptor;
}
