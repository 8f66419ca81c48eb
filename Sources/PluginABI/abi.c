#include "pycelize_plugin.h"
