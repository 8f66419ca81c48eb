// Intel ISA-L (Debian libisal-dev): igzip raw deflate/inflate and its CRC-32 (the zip/gzip polynomial, reflected).
#include <isa-l/igzip_lib.h>
#include <isa-l/crc.h>

/// The work buffer igzip needs at each level (the header's sizes are macro expressions Swift cannot import).
static inline unsigned int pz_isal_level_buf_size(int level) {
    switch (level) {
    case 1: return ISAL_DEF_LVL1_MEDIUM;
    case 2: return ISAL_DEF_LVL2_MEDIUM;
    case 3: return ISAL_DEF_LVL3_MEDIUM;
    default: return 0;
    }
}
