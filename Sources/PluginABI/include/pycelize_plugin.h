/*
 * pycelize_plugin.h — the Pycelize plugin ABI, version 1.1.
 *
 * This header is the whole contract between the Pycelize host and a plugin. It is plain C (C99), uses only C types,
 * and prefixes every name with `pz_` / `PZ_`. A plugin is a shared library that exports one function,
 * `pz_plugin_entry` (see the bottom of this file). Read docs/plugin-abi.md for a complete, buildable example.
 *
 * Rules that hold for the whole header:
 *  - Strings are UTF-8. A `const char *` with no length is NUL-terminated.
 *  - OWNERSHIP is written on every pointer: "borrowed" means the other side keeps ownership and the pointer is valid
 *    only for the time stated; "host-owned" means the host frees it (you must not); "plugin-owned" means the plugin
 *    keeps it alive for the time stated.
 *  - Nothing unwinds across this boundary: no C++ exceptions, no Swift errors, no longjmp. Report failures with
 *    `pz_host_api.set_error` and a non-zero return code.
 *  - Versioning: PZ_ABI_MAJOR must match the host's exactly; a plugin built against a NEWER minor than the host is
 *    refused; an older minor is accepted. Within one major, structs only grow at the end and each carries its size.
 *  - The host never unloads (dlclose) a plugin library: pointers the plugin hands out may live for the process.
 */
#ifndef PYCELIZE_PLUGIN_H
#define PYCELIZE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PZ_ABI_MAJOR 1
#define PZ_ABI_MINOR 2

/* The exported symbol name of the entry function. */
#define PZ_PLUGIN_ENTRY_SYMBOL "pz_plugin_entry"

/* ---------------------------------------------------------------------------------------------------------------- */
/* Status codes. Returned by plugin `execute` and by host services; the host maps them to HTTP statuses.             */
/* ---------------------------------------------------------------------------------------------------------------- */
typedef enum pz_status {
    PZ_OK = 0,
    PZ_ERR_INVALID_ARGUMENT = 1, /* the caller's arguments are wrong (unknown column, bad value)      -> HTTP 422 */
    PZ_ERR_BAD_INPUT = 2,        /* an input file cannot be read (corrupt, wrong format, encoding)     -> HTTP 400 */
    PZ_ERR_NOT_FOUND = 3,        /* a referenced file or sheet does not exist                          -> HTTP 404 */
    PZ_ERR_CANCELLED = 4,        /* the operation stopped because pz_host_api.is_cancelled said so     -> HTTP 503 */
    PZ_ERR_LIMIT = 5,            /* a configured size or count limit was exceeded                      -> HTTP 413 */
    PZ_ERR_INTERNAL = 6          /* anything else                                                      -> HTTP 500 */
} pz_status;

/* Log levels for pz_host_api.log. */
typedef enum pz_log_level {
    PZ_LOG_DEBUG = 0,
    PZ_LOG_INFO = 1,
    PZ_LOG_WARNING = 2,
    PZ_LOG_ERROR = 3
} pz_log_level;

/* ---------------------------------------------------------------------------------------------------------------- */
/* Cells                                                                                                             */
/* ---------------------------------------------------------------------------------------------------------------- */
typedef enum pz_cell_type {
    PZ_CELL_NULL = 0,     /* empty cell; no value field is meaningful                                         */
    PZ_CELL_INT = 1,      /* value.i: a 64-bit signed integer                                                 */
    PZ_CELL_FLOAT = 2,    /* value.f: an IEEE double (never NaN or infinite when produced by the host)         */
    PZ_CELL_TEXT = 3,     /* text/text_len: UTF-8 bytes, NOT NUL-terminated; text_len may be 0 ("" != null)    */
    PZ_CELL_BOOL = 4,     /* value.b: 0 or 1                                                                  */
    PZ_CELL_DATETIME = 5  /* value.f: seconds since 1970-01-01T00:00:00 in naive (wall-clock) time;            */
                          /*          flags tell whether it is a date, a time or a date-time                 */
} pz_cell_type;

/* pz_cell.flags for PZ_CELL_DATETIME. Neither bit set = a full date-time. */
#define PZ_DT_DATE_ONLY 0x1u /* the value is a calendar date (midnight); show as YYYY-MM-DD  */
#define PZ_DT_TIME_ONLY 0x2u /* the value is a time of day (date part 1970-01-01); HH:MM:SS  */

/*
 * One typed cell, 32 bytes. Cells passed from the host to the plugin (in a pz_row_batch) are borrowed: `text`
 * points into host memory valid until the next call on the same reader (next_batch, rewind or close).
 * Cells passed from the plugin to the host (append_row/append_rows) are borrowed for the duration of that call only;
 * the host copies what it keeps.
 */
typedef struct pz_cell {
    uint32_t type;  /* a pz_cell_type                                          */
    uint32_t flags; /* PZ_DT_* for datetimes; 0 otherwise                       */
    union {
        int64_t i;
        double f;
        int32_t b;
    } value;
    const char *text; /* PZ_CELL_TEXT only; borrowed (see above). NULL allowed when text_len == 0. */
    size_t text_len;
} pz_cell;

/* ---------------------------------------------------------------------------------------------------------------- */
/* Opaque handles. All are host-owned; a plugin only passes them back to host services.                             */
/* ---------------------------------------------------------------------------------------------------------------- */
typedef struct pz_context pz_context;         /* one call of an operation; valid during `execute` only            */
typedef struct pz_table_reader pz_table_reader; /* an input table being read; closed by reader_close or at the end */
typedef struct pz_table_writer pz_table_writer; /* an output table being written; see writer_finish              */
typedef struct pz_text_writer pz_text_writer;   /* an output text artifact (SQL, JSON, ...) being written         */

/*
 * A batch of rows read from a table, row-major: cell (r, c) is cells[r * column_count + c]. Every row has exactly
 * column_count cells (short rows are padded with PZ_CELL_NULL). Host-owned; valid until the next call on the same
 * reader. row_count == 0 means the end of the table.
 */
typedef struct pz_row_batch {
    size_t struct_size;
    size_t row_count;
    size_t column_count;
    const pz_cell *cells;
    uint64_t first_row_index; /* 0-based index of the batch's first data row (the header is not a data row) */
} pz_row_batch;

/* Output table formats for pz_output_options.format. */
typedef enum pz_output_format {
    PZ_FORMAT_XLSX = 0,
    PZ_FORMAT_CSV = 1,
    PZ_FORMAT_JSON = 2 /* an array of records; every value rendered as its JSON type */
} pz_output_format;

/*
 * Options for create_output_table. Fill struct_size = sizeof(pz_output_options); zero what you do not use.
 * All pointers are borrowed for the duration of the create_output_table call.
 */
typedef struct pz_output_options {
    size_t struct_size;
    const char *name_suffix;  /* short word for the generated file name, e.g. "converted" -> {input}_converted_{ts}. */
                              /* NULL -> "output". Only [A-Za-z0-9_-] are kept.                                  */
    uint32_t format;          /* a pz_output_format                                                             */
    const char *sheet_name;   /* XLSX data sheet name; NULL or "" -> the configured default ("Sheet1")          */
    int32_t include_info_sheet; /* XLSX: 1 = append the "Info" sheet (if the admin's config allows it)          */
    const char *const *column_names; /* column_count header labels, UTF-8, NUL-terminated                       */
    size_t column_count;
} pz_output_options;

/* ---------------------------------------------------------------------------------------------------------------- */
/* Host services. An append-only table: new services are added at the end in later minors, and `struct_size` says   */
/* how much of the table this host has. Test `PZ_HOST_HAS(host, member)` before calling a service newer than 1.0.    */
/* Every service is thread-safe for distinct contexts; one context must be used from one thread at a time.          */
/* ---------------------------------------------------------------------------------------------------------------- */
typedef struct pz_host_api {
    size_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;

    /* -- diagnostics ------------------------------------------------------------------------------------------ */
    /* Log a line under the plugin's name. msg borrowed for the call. ctx may be NULL (e.g. during entry). */
    void (*log)(pz_context *ctx, int32_t level, const char *msg);
    /* Record the operation's error; the last call wins. msg borrowed for the call. Return `code` from execute. */
    void (*set_error)(pz_context *ctx, int32_t code, const char *msg);
    /* Report progress: fraction in [0, 1], msg (may be NULL) borrowed for the call. Cheap; the host throttles. */
    void (*report_progress)(pz_context *ctx, double fraction, const char *msg);
    /* Non-zero when the caller gave up (timeout, client gone, shutdown). Check it between batches. */
    int32_t (*is_cancelled)(pz_context *ctx);

    /* -- arguments -------------------------------------------------------------------------------------------- */
    /* The operation's arguments as a JSON object text, already validated against the operation's schema.
     * Host-owned, NUL-terminated, valid until execute returns. Never NULL ("{}" when none were given). */
    const char *(*arguments_json)(pz_context *ctx);

    /* -- inputs ----------------------------------------------------------------------------------------------- */
    /* Number of input files given to this call (0 for operations that need none). */
    size_t (*input_count)(pz_context *ctx);
    /* The client-visible file name of input `index` (e.g. "sales.csv"). Host-owned, valid until execute returns;
     * NULL when index is out of range. */
    const char *(*input_name)(pz_context *ctx, size_t index);
    /* Open input `index` as a table. sheet_name (borrowed, may be NULL) selects an XLSX sheet; NULL = the first.
     * Returns NULL and sets the context's error (PZ_ERR_BAD_INPUT / PZ_ERR_NOT_FOUND) on failure. The reader is
     * host-owned; close it with reader_close, or the host closes it when execute returns. */
    pz_table_reader *(*open_input)(pz_context *ctx, size_t index, const char *sheet_name);
    /* Open another file of the same conversation by its name (e.g. a `bind_file` argument), same rules. */
    pz_table_reader *(*open_named_file)(pz_context *ctx, const char *file_name, const char *sheet_name);

    /* -- reading tables --------------------------------------------------------------------------------------- */
    size_t (*reader_column_count)(pz_table_reader *reader);
    /* Header label of column `index`: *out_name (host-owned, valid while the reader is open) and *out_len.
     * Returns PZ_OK or PZ_ERR_INVALID_ARGUMENT for a bad index. */
    int32_t (*reader_column_name)(pz_table_reader *reader, size_t index, const char **out_name, size_t *out_len);
    /* Read up to max_rows rows (0 = the host's choice). *out_batch is host-owned (see pz_row_batch). Returns PZ_OK
     * (row_count 0 at the end) or an error code with the context's error set (e.g. a corrupt file mid-way). */
    int32_t (*reader_next_batch)(pz_table_reader *reader, size_t max_rows, const pz_row_batch **out_batch);
    /* Start again from the first data row (for two-pass operations). Returns PZ_OK or an error code. */
    int32_t (*reader_rewind)(pz_table_reader *reader);
    /* Rows read so far and, when known in advance, the total (-1 if unknown); for progress reporting. */
    int64_t (*reader_row_count_hint)(pz_table_reader *reader);
    void (*reader_close)(pz_table_reader *reader);

    /* -- writing tables --------------------------------------------------------------------------------------- */
    /* Create an output table. options borrowed for the call. Returns NULL with the error set on failure.
     * Host-owned; call writer_finish exactly once to publish it (or the host discards it when execute returns). */
    pz_table_writer *(*create_output_table)(pz_context *ctx, const pz_output_options *options);
    /* Append `row_count` rows of `column_count` cells (row-major; column_count must equal the table's).
     * cells borrowed for the call. Returns PZ_OK or an error code (limit reached, disk full, ...). */
    int32_t (*writer_append_rows)(pz_table_writer *writer, const pz_cell *cells, size_t row_count,
                                  size_t column_count);
    /* Complete the file and publish it as one of the call's outputs. Returns PZ_OK or an error code.
     * The writer must not be used afterwards. */
    int32_t (*writer_finish)(pz_table_writer *writer);

    /* -- writing text artifacts (SQL, JSON, ...) ---------------------------------------------------------------- */
    /* Create a text output. name_suffix as in pz_output_options; extension without the dot ("sql", "json", "txt").
     * Both borrowed for the call. Returns NULL with the error set on failure. Host-owned. */
    pz_text_writer *(*create_text_output)(pz_context *ctx, const char *name_suffix, const char *extension);
    /* Append bytes; data borrowed for the call. Returns PZ_OK or an error code. */
    int32_t (*text_write)(pz_text_writer *writer, const char *data, size_t len);
    /* Complete and publish, as writer_finish. */
    int32_t (*text_finish)(pz_text_writer *writer);

    /* -- results ---------------------------------------------------------------------------------------------- */
    /* Set the call's inline JSON result (an object), shown to REST clients as `data` and merged into workflow step
     * results. json borrowed for the call (the host copies it); must be valid JSON; the last call wins. */
    int32_t (*set_result_json)(pz_context *ctx, const char *json, size_t len);

    /* -- added in ABI 1.1 --------------------------------------------------------------------------------------- */
    /* The sheet names of input `index` as a JSON array of strings (`["Sheet1","Info"]`; `["Sheet1"]` for CSV).
     * Host-owned, NUL-terminated, valid until execute returns. NULL with the error set if the input cannot be
     * read (PZ_ERR_BAD_INPUT) or does not exist (PZ_ERR_NOT_FOUND). Check PZ_HOST_HAS(host, input_sheet_names). */
    const char *(*input_sheet_names)(pz_context *ctx, size_t index);

    /* -- added in ABI 1.2 --------------------------------------------------------------------------------------- */
    /* Bytes that go before everything written to this text output: a header that depends on what follows (a row
     * or statement count), so a generator needs one pass over its input instead of two. May be called any time
     * before text_finish; the last call wins (len 0 removes it). data borrowed for the call; at most 1 MiB.
     * Check PZ_HOST_HAS(host, text_set_prefix). */
    int32_t (*text_set_prefix)(pz_text_writer *writer, const char *data, size_t len);
    /* The plugin's settings: the `settings` mapping of its plugins.d/ file as a JSON object text ("{}" when there
     * is none). Admins configure plugins there; read it once per call. Host-owned, NUL-terminated, valid until
     * execute returns. Check PZ_HOST_HAS(host, plugin_settings_json). */
    const char *(*plugin_settings_json)(pz_context *ctx);

    /* New services are appended here in later minors. */
} pz_host_api;

/* True when the host's service table contains `member` (use for services added after 1.0). */
#define PZ_HOST_HAS(host, member) \
    ((host)->struct_size >= offsetof(pz_host_api, member) + sizeof(((pz_host_api *)0)->member))

/* ---------------------------------------------------------------------------------------------------------------- */
/* What a plugin declares                                                                                            */
/* ---------------------------------------------------------------------------------------------------------------- */

/* pz_operation.flags */
#define PZ_OP_NEEDS_INPUT 0x1u   /* the operation reads input file 0 (REST: multipart field `file`)            */
#define PZ_OP_TWO_INPUTS 0x2u    /* the operation reads two files (REST: `source_file` + `bind_file`)          */

/*
 * One operation. Plugin-owned; every pointer must stay valid for the life of the process (static storage).
 * `execute` is called once per request/step, possibly from several threads at once for different contexts, so it
 * must not keep per-call state in globals. It returns PZ_OK or the pz_status it also passed to set_error.
 */
typedef struct pz_operation {
    size_t struct_size;            /* sizeof(pz_operation) as the plugin was compiled                         */
    const char *name;              /* "namespace/verb", e.g. "csv/convert-to-excel"; unique across plugins    */
    const char *summary;           /* one line for GET /api/v1/operations                                     */
    const char *arguments_schema;  /* JSON Schema (draft 2020-12 subset, see docs) for the arguments object   */
    const char *success_message;   /* REST `message` on success, e.g. "Converted to Excel file successfully"  */
    uint32_t flags;                /* PZ_OP_*                                                                  */
    int32_t (*execute)(pz_context *ctx, const pz_host_api *host, void *user_data);
    void *user_data;               /* passed back to execute unchanged                                        */
} pz_operation;

/* The plugin as a whole. Plugin-owned, static storage, valid for the life of the process. */
typedef struct pz_plugin_descriptor {
    size_t struct_size;                     /* sizeof(pz_plugin_descriptor) as the plugin was compiled      */
    uint32_t abi_major;                     /* PZ_ABI_MAJOR the plugin was compiled against                 */
    uint32_t abi_minor;                     /* PZ_ABI_MINOR the plugin was compiled against                 */
    const char *name;                       /* short unique plugin name, e.g. "csv-ops"                     */
    const char *version;                    /* the plugin's own version, e.g. "1.0.0"                       */
    const char *description;                /* one line                                                     */
    size_t operation_count;
    const pz_operation *const *operations;  /* operation_count pointers                                     */
} pz_plugin_descriptor;

/*
 * The entry function every plugin exports (extern "C", default visibility) under the name "pz_plugin_entry".
 * The host calls it once, right after dlopen, with its service table (host-owned, valid for the process; keep the
 * pointer if you like). Return the plugin's descriptor, or NULL to decline loading (log why through host->log).
 */
typedef const pz_plugin_descriptor *(*pz_plugin_entry_fn)(const pz_host_api *host);

#ifdef __cplusplus
}
#endif

#endif /* PYCELIZE_PLUGIN_H */
