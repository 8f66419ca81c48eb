/*
 * A plugin whose entry function crashes (a NULL write), for `pycelize plugins check`: the checker loads plugins
 * in a child process and must report the crash instead of dying with it.
 */
#include "pycelize_plugin.h"

#include <stddef.h>

const pz_plugin_descriptor *pz_plugin_entry(const pz_host_api *host) {
    volatile int *nowhere = NULL;
    *nowhere = (int)host->abi_major;
    return NULL;
}
