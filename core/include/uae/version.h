#pragma once
namespace uae {
const char* appVersion();
}
