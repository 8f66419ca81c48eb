/*
 * A complete Pycelize plugin in plain C: `ctest/filter-rows` keeps the rows whose column `column` has the text
 * `value`, writes them as a new table, reports progress, honours cancellation, and returns a small JSON result.
 *
 * Build:  cc -shared -fPIC -O2 -I Sources/PluginABI/include filter_plugin.c -o libfilter_plugin.so
 *
 * The test suite also compiles deliberately broken variants of this file with -D flags (see the bottom).
 */
#include "pycelize_plugin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Finds "key":"value" in a flat JSON object and copies the value (no escapes) into out. Enough for a test plugin;
 * a real plugin would use a JSON library. Returns 1 if found. */
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

static int32_t filter_rows(pz_context *ctx, const pz_host_api *host, void *user_data) {
    (void)user_data;
    char column[256], value[256];
    const char *args = host->arguments_json(ctx);
    if (!json_string(args, "column", column, sizeof column) || !json_string(args, "value", value, sizeof value)) {
        host->set_error(ctx, PZ_ERR_INVALID_ARGUMENT, "column and value are required");
        return PZ_ERR_INVALID_ARGUMENT;
    }

    pz_table_reader *in = host->open_input(ctx, 0, NULL);
    if (!in) return PZ_ERR_BAD_INPUT; /* the host already set the error */

    size_t ncols = host->reader_column_count(in);
    size_t key = (size_t)-1;
    const char **names = calloc(ncols ? ncols : 1, sizeof *names);
    char **copies = calloc(ncols ? ncols : 1, sizeof *copies);
    for (size_t c = 0; c < ncols; c++) {
        const char *name; size_t len;
        host->reader_column_name(in, c, &name, &len);
        copies[c] = strndup(name, len);
        names[c] = copies[c];
        if (strlen(column) == len && memcmp(name, column, len) == 0) key = c;
    }
    int32_t rc = PZ_OK;
    if (key == (size_t)-1) {
        char msg[400];
        snprintf(msg, sizeof msg, "Column '%s' not found in data", column);
        host->set_error(ctx, PZ_ERR_INVALID_ARGUMENT, msg);
        rc = PZ_ERR_INVALID_ARGUMENT;
        goto done;
    }

    pz_output_options opts;
    memset(&opts, 0, sizeof opts);
    opts.struct_size = sizeof opts;
    opts.name_suffix = "filtered";
    opts.format = PZ_FORMAT_CSV;
    opts.column_names = names;
    opts.column_count = ncols;
    pz_table_writer *out = host->create_output_table(ctx, &opts);
    if (!out) { rc = PZ_ERR_INTERNAL; goto done; }

    int64_t kept = 0, seen = 0;
    for (;;) {
        const pz_row_batch *batch;
        rc = host->reader_next_batch(in, 0, &batch);
        if (rc != PZ_OK) goto done;
        if (batch->row_count == 0) break;
        for (size_t r = 0; r < batch->row_count; r++) {
            const pz_cell *row = batch->cells + r * batch->column_count;
            const pz_cell *cell = &row[key];
            if (cell->type == PZ_CELL_TEXT && cell->text_len == strlen(value) &&
                memcmp(cell->text, value, cell->text_len) == 0) {
                rc = host->writer_append_rows(out, row, 1, batch->column_count);
                if (rc != PZ_OK) goto done;
                kept++;
            }
        }
        seen += (int64_t)batch->row_count;
        host->report_progress(ctx, 0.5, "filtering");
        if (host->is_cancelled(ctx)) {
            host->set_error(ctx, PZ_ERR_CANCELLED, "cancelled");
            rc = PZ_ERR_CANCELLED;
            goto done;
        }
    }
    rc = host->writer_finish(out);
    if (rc == PZ_OK) {
        char result[128];
        int n = snprintf(result, sizeof result, "{\"total_rows\": %lld, \"filtered_rows\": %lld}",
                         (long long)seen, (long long)kept);
        host->set_result_json(ctx, result, (size_t)n);
        host->log(ctx, PZ_LOG_INFO, "filter done");
    }
done:
    host->reader_close(in);
    for (size_t c = 0; c < ncols; c++) free(copies[c]);
    free(copies);
    free(names);
    return rc;
}

#ifndef PZ_TEST_OP_NAME
#define PZ_TEST_OP_NAME "ctest/filter-rows"
#endif
#ifndef PZ_TEST_PLUGIN_NAME
#define PZ_TEST_PLUGIN_NAME "c-filter"
#endif

static const pz_operation filter_op = {
    sizeof(pz_operation),
    PZ_TEST_OP_NAME,
    "Keep the rows whose column equals a value (test plugin written in C)",
    "{\"type\":\"object\",\"required\":[\"column\",\"value\"],"
    "\"properties\":{\"column\":{\"type\":\"string\"},\"value\":{\"type\":\"string\"}}}",
    "Filtered {filtered_rows} of {total_rows} rows",
    PZ_OP_NEEDS_INPUT,
    filter_rows,
    NULL,
};

static const pz_operation *const operations[] = {&filter_op};

static const pz_plugin_descriptor descriptor = {
#ifdef PZ_TEST_BAD_SIZE
    8, /* a struct_size no real descriptor has */
#else
    sizeof(pz_plugin_descriptor),
#endif
#ifdef PZ_TEST_MAJOR
    PZ_TEST_MAJOR,
#else
    PZ_ABI_MAJOR,
#endif
#ifdef PZ_TEST_MINOR
    PZ_TEST_MINOR,
#else
    PZ_ABI_MINOR,
#endif
    PZ_TEST_PLUGIN_NAME,
    "1.0.0",
    "Row filter written in plain C",
    1,
    operations,
};

#ifdef PZ_TEST_NO_ENTRY
const pz_plugin_descriptor *some_other_name(const pz_host_api *host) {
#else
const pz_plugin_descriptor *pz_plugin_entry(const pz_host_api *host) {
#endif
    if (host->abi_major != PZ_ABI_MAJOR) return NULL;
    return &descriptor;
}
