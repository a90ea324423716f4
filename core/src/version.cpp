#include "uae/version.h"

namespace uae {
const char* appVersion() {
    return UAE_VERSION;
}
} // namespace uae
