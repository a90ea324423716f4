#pragma once
// qcustomplot.h uses the Qt keywords that QT_NO_KEYWORDS removes (needed so LibTorch headers
// compile next to Qt): map them to the Q_ forms for this one include.
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
