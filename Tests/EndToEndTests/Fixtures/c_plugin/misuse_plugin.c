/*
 * A deliberately clumsy plugin in plain C: `ctest/misuse` calls host services wrongly, one way per `mode`, so the
 * tests can check that every such misuse becomes a clean error (never a crash) and leaves no file behind.
 */
#include "pycelize_plugin.h"

#include <string.h>

static int32_t misuse(pz_context *ctx, const pz_host_api *host, void *user_data) {
    (void)user_data;
    const char *args = host->arguments_json(ctx);
    const char *names[] = {"a"};
    pz_output_options o;
    memset(&o, 0, sizeof o);
    o.struct_size = sizeof o;
    o.name_suffix = "misuse";
    o.format = PZ_FORMAT_CSV;
    o.column_names = names;
    o.column_count = 1;
    pz_cell cells[2];
    memset(cells, 0, sizeof cells);
    cells[0].type = PZ_CELL_INT;
    cells[0].value.i = 7;

    if (strstr(args, "\"bad_json\"")) {
        return host->set_result_json(ctx, "{bad", 4);
    }
    if (strstr(args, "\"wrong_columns\"")) {
        pz_table_writer *w = host->create_output_table(ctx, &o);
        return host->writer_append_rows(w, cells, 1, 2);
    }
    if (strstr(args, "\"closed_reader\"")) {
        pz_table_reader *r = host->open_input(ctx, 0, NULL);
        if (!r) return PZ_ERR_BAD_INPUT;
        host->reader_close(r);
        const pz_row_batch *batch;
        return host->reader_next_batch(r, 0, &batch);
    }
    if (strstr(args, "\"bad_index\"")) {
        return host->open_input(ctx, 5, NULL) ? PZ_OK : PZ_ERR_NOT_FOUND;
    }
    if (strstr(args, "\"unfinished\"")) {
        pz_table_writer *w = host->create_output_table(ctx, &o);
        host->writer_append_rows(w, cells, 1, 1);
        return PZ_OK; /* never calls writer_finish: the host discards the output */
    }
    if (strstr(args, "\"huge_prefix\"") || strstr(args, "\"null_prefix\"")) {
        /* A text prefix over the 1 MiB cap, or NULL data with a length: refused, and the output is discarded. */
        static char big[(1 << 20) + 1];
        pz_text_writer *t = host->create_text_output(ctx, "misuse", "txt");
        if (!t) return PZ_ERR_INTERNAL;
        host->text_write(t, "body\n", 5);
        int huge = strstr(args, "\"huge_prefix\"") != NULL;
        return host->text_set_prefix(t, huge ? big : NULL, huge ? sizeof big : 3);
    }
    if (strstr(args, "\"fail_after_output\"")) {
        pz_table_writer *w = host->create_output_table(ctx, &o);
        host->writer_append_rows(w, cells, 1, 1);
        host->writer_finish(w);
        host->set_error(ctx, PZ_ERR_INTERNAL, "failed after publishing an output");
        return PZ_ERR_INTERNAL;
    }
    host->set_error(ctx, PZ_ERR_INVALID_ARGUMENT, "unknown mode");
    return PZ_ERR_INVALID_ARGUMENT;
}

static const pz_operation misuse_op = {
    sizeof(pz_operation), "ctest/misuse", "Calls host services wrongly (test plugin)",
    "{\"type\":\"object\",\"required\":[\"mode\"],\"properties\":{\"mode\":{\"type\":\"string\"}}}",
    "Done", PZ_OP_NEEDS_INPUT, misuse, NULL,
};
static const pz_operation *const operations[] = {&misuse_op};
static const pz_plugin_descriptor descriptor = {
    sizeof(pz_plugin_descriptor), PZ_ABI_MAJOR, PZ_ABI_MINOR, "c-misuse", "1.0.0", "Misuse test plugin", 1, operations,
};

const pz_plugin_descriptor *pz_plugin_entry(const pz_host_api *host) {
    (void)host;
    return &descriptor;
}
